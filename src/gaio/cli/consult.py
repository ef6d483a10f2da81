"""``gaio consult``: public consultations on a system or a framework."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.output import emit_json
from gaio.cli.state import State

app = typer.Typer(
    help="Public consultations: questions, moderated comments, answers.", no_args_is_help=True
)
Json = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command("open")
def open_cmd(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="system id, or framework id with --framework")],
    question: Annotated[str, typer.Option(help="the question put to the public")],
    opens: Annotated[str, typer.Option(help="first day (YYYY-MM-DD)")],
    closes: Annotated[str, typer.Option(help="last day (YYYY-MM-DD)")],
    framework: Annotated[
        bool, typer.Option("--framework", help="the subject is a framework")
    ] = False,
) -> None:
    """Open a consultation (regulators)."""
    from gaio.services.observatory import consultations

    state: State = ctx.obj
    c = consultations.open_consultation(
        state.gaio(),
        state.actor,
        {
            "subject_kind": "framework" if framework else "system",
            "subject": subject,
            "question": question,
            "opens": opens,
            "closes": closes,
        },
    )
    typer.echo(f"consultation {c.id} on {c.subject_kind} {c.subject}: {c.opens} to {c.closes}")


@app.command("comment")
def comment_cmd(
    ctx: typer.Context,
    consultation: int,
    text: Annotated[str, typer.Option("--text", help="the comment")],
    region: Annotated[str | None, typer.Option(help="your region, if you wish to say")] = None,
    community: Annotated[
        str | None, typer.Option(help="your community, if you wish to say")
    ] = None,
) -> None:
    """Comment on a consultation (it waits for moderation)."""
    from gaio.services.observatory import consultations

    state: State = ctx.obj
    c = consultations.comment(
        state.gaio(),
        state.actor,
        consultation,
        {"body": text, "region": region, "community": community},
    )
    typer.echo(f"comment {c.number} on consultation {c.consultation} is waiting for moderation")


@app.command("moderate")
def moderate_cmd(
    ctx: typer.Context,
    consultation: int,
    number: int,
    publish: Annotated[bool, typer.Option("--publish/--reject", help="publish or reject")],
) -> None:
    """Publish or reject a comment waiting for moderation (regulators)."""
    from gaio.services.observatory import consultations

    state: State = ctx.obj
    c = consultations.moderate(state.gaio(), state.actor, consultation, number, publish=publish)
    typer.echo(f"comment {c.number} on consultation {c.consultation}: {c.status.value}")


@app.command("answer")
def answer_cmd(
    ctx: typer.Context,
    consultation: int,
    text: Annotated[str, typer.Option("--text", help="the answer")],
) -> None:
    """Record the provider's answer (a regulator's, for a framework)."""
    from gaio.services.observatory import consultations

    state: State = ctx.obj
    consultations.answer(state.gaio(), state.actor, consultation, text)
    typer.echo(f"answer recorded on consultation {consultation}")


@app.command("show")
def show_cmd(ctx: typer.Context, consultation: int, as_json: Json = False) -> None:
    """A consultation with its published comments (moderators also see the queue)."""
    from gaio.services.observatory import consultations

    state: State = ctx.obj
    c = consultations.get_consultation(state.gaio(), state.actor, consultation)
    if as_json:
        emit_json(c)
        return
    typer.echo(f"{c.id}: {c.question} ({c.subject_kind} {c.subject}, {c.opens} to {c.closes})")
    for m in c.comments:
        who = m.organisation or "member of the public"
        said = ", ".join(x for x in (m.region, m.community) if x)
        typer.echo(
            f"  #{m.number} [{m.status.value}] {who}{f' ({said})' if said else ''}: {m.body}"
        )
    if c.answer:
        typer.echo(f"  answer ({c.answered_by}): {c.answer}")
