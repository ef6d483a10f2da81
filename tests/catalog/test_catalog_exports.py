"""The package's public surface is exactly ``__all__``, and every name in it resolves."""

from __future__ import annotations

import inspect

import gaio.catalog as catalog_pkg


def test_all_names_resolve_and_nothing_else_is_public() -> None:
    for name in catalog_pkg.__all__:
        assert getattr(catalog_pkg, name) is not None, name
    public = {
        name
        for name, value in vars(catalog_pkg).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(catalog_pkg.__all__)


def test_public_functions_and_classes_are_documented() -> None:
    for name in catalog_pkg.__all__:
        value = getattr(catalog_pkg, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"
