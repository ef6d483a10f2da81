"""Charts as Vega-Lite specs rendered to SVG on the server (vl-convert), so the page needs no
JavaScript; the numbers behind every chart are shown in a table beside it."""

from __future__ import annotations

import functools
import json
from typing import Any

from markupsafe import Markup


def bar(
    title: str, rows: list[tuple[str, int]], x: str, y: str = "count", *, sort: bool = True
) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 360,
        "height": 200,
        "data": {"values": [{x: k, y: v} for k, v in rows]},
        "mark": {"type": "bar", "color": "#1f5fa8"},
        "encoding": {
            "x": {
                "field": x,
                "type": "nominal",
                "sort": "-y" if sort else None,
                "axis": {"labelAngle": -30},
            },
            "y": {"field": y, "type": "quantitative"},
            "tooltip": [{"field": x}, {"field": y}],
        },
    }


def svg(spec: dict[str, Any]) -> Markup | None:
    """The chart as inline SVG, or None when vl-convert is not installed.

    Rendering takes tens of milliseconds, so charts are cached by their spec (the data is in
    the spec, so a changed number is a different chart)."""
    text = _render(json.dumps(spec, sort_keys=True))
    return None if text is None else Markup(text)  # noqa: S704 - SVG made by vl-convert from our data


@functools.lru_cache(maxsize=64)
def _render(spec_json: str) -> str | None:
    try:
        import vl_convert
    except ImportError:
        return None
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))
