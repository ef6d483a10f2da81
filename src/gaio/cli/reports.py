"""``gaio report``: the conformity assessment report (HTML, PDF) and its OSCAL results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.assess import AssessmentId
from gaio.cli.observatory import observatory_cmd, verify_cmd
from gaio.cli.state import State

report_app = typer.Typer(
    help="Reports: the conformity assessment report (HTML, PDF, OSCAL) and the observatory report.",
    no_args_is_help=True,
)


@report_app.command("assessment")
def report_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    out: Annotated[Path, typer.Option("-o", "--out", help="directory to write into")] = Path("."),
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf", help="also write the PDF [default: when the 'pdf' extra is installed]"
        ),
    ] = None,
) -> None:
    """Write the conformity assessment report (HTML, PDF) and the OSCAL assessment results."""
    from gaio.services.certification import report as assessment_report

    state: State = ctx.obj
    written = assessment_report.write_report(state.gaio(), state.actor, assessment_id, out, pdf=pdf)
    for path in written:
        typer.echo(f"wrote {path}")


report_app.command("observatory")(observatory_cmd)
report_app.command("verify")(verify_cmd)
