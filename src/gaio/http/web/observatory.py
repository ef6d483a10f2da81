"""Web pages of the observatory's publications: the period report and the open-data download."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from gaio.errors import InvalidInput
from gaio.http.deps import gaio
from gaio.http.web.pages import Viewer
from gaio.http.web.render import page
from gaio.observatory.render import chart_spec, svg_uri
from gaio.services.context import Gaio
from gaio.services.observatory import opendata
from gaio.services.observatory import report as observatory_report

router = APIRouter(include_in_schema=False)
G = Annotated[Gaio, Depends(gaio)]


def _day(value: str, name: str, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} {value!r} is not a date; expected YYYY-MM-DD") from None


@router.get("/observatory/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    g: G,
    who: Viewer,
    start: Annotated[str, Query(alias="from")] = "",
    end: Annotated[str, Query(alias="to")] = "",
) -> Response:
    """The observatory report for a period (default: this calendar year), computed on request."""
    year = g.clock.now().year
    first = _day(start, "from", dt.date(year, 1, 1))
    last = _day(end, "to", dt.date(year, 12, 31))
    doc, _ = observatory_report.build(g, who, first, last)
    sections = []
    for table in doc.sections:
        spec = chart_spec(table)
        sections.append((table, svg_uri(spec) if spec else None))
    return page(request, "observatory_report.html", r=doc, sections=sections)


@router.get("/opendata", response_class=HTMLResponse)
def opendata_page(request: Request, who: Viewer) -> Response:
    """What the open data holds and where to download it."""
    return page(request, "opendata.html")


@router.get("/opendata/gaio-opendata.zip")
def opendata_download(g: G, who: Viewer) -> Response:
    """The full open-data export at the ledger's current size, as one zip."""
    path = opendata.download(g, who)
    return FileResponse(path, media_type="application/zip", filename=path.name)
