"""A command group that imports a sub-command's module only when that sub-command runs.

Why: ``gaio evaluate fairness`` on a million rows does ~0.1 s of work; importing every face of
every capability (registry, ledger, certification, incidents …) to build the whole command tree
cost more than twice that on each start. The group knows the sub-commands by name and builds
each one through Typer's public API on first use, with the root's settings, so ``--help`` and
the generated reference are unchanged.
"""

from __future__ import annotations

import importlib
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperGroup

Entry = tuple[str, str, str]
"""(kind, module, attribute): kind "group" names a Typer app, "command" a function."""

LAZY: dict[str, Entry] = {}


def _build(name: str, entry: Entry, markup: Any) -> Any:
    """The click command for ``entry``, built as Typer would under a root with ``markup``."""
    kind, module, attr = entry
    target: Any = getattr(importlib.import_module(module), attr)
    holder = typer.Typer(add_completion=False, rich_markup_mode=markup)
    holder.callback()(_noop)
    if kind == "group":
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    group: Any = typer.main.get_command(holder)
    return group.commands[name]


def _noop() -> None:
    """Placeholder callback: it makes Typer build a group around the one sub-command."""


class LazyGroup(TyperGroup):
    """The root group: eager commands first, then the lazy ones in the order registered."""

    # Click's types are not named here: Typer has moved between click and its own copy of it.

    def list_commands(self, ctx: Any) -> list[str]:
        eager = [n for n in super().list_commands(ctx) if n not in LAZY]
        return eager + list(LAZY)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in LAZY:
            found = _build(cmd_name, LAZY[cmd_name], self.rich_markup_mode)
            self.commands[cmd_name] = found
        return found

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else None
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            matches = get_close_matches(str(name), self.list_commands(ctx))
            hint = f" Did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)
