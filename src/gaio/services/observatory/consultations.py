"""Public consultations: a regulator asks a question about a system or a framework for a
period; anyone comments (stating, if they wish, their region and community); comments wait in
a moderation queue until a regulator publishes or rejects them; the provider (or, for a
framework, a regulator) records the answer. Abuse protections: bounded text, at most a few
links, a cap on one submitter's comments waiting in the queue, and the faces' per-address rate
limit for anonymous submissions (the same as for incident reports)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select

from gaio.actors import Actor
from gaio.catalog import load_catalog
from gaio.clock import today
from gaio.errors import Conflict, InvalidInput, NotFound, RateLimited
from gaio.observatory import voice
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store import counters
from gaio.store.tables.consultations import CommentRow, ConsultationRow
from gaio.store.tables.registry import SystemRow


def _parse(model: type[Any], data: Any, what: str) -> Any:
    try:
        return data if isinstance(data, model) else model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or what
        raise InvalidInput(f"{what}: {where}: {first['msg']}") from None


def open_consultation(
    g: Gaio, actor: Actor, data: voice.ConsultationDraft | dict[str, Any]
) -> voice.Consultation:
    permissions.check(actor, "consultation.open")
    draft: voice.ConsultationDraft = _parse(voice.ConsultationDraft, data, "consultation")
    if draft.closes < draft.opens:
        raise InvalidInput(f"consultation: closes {draft.closes} is before opens {draft.opens}")
    if draft.subject_kind == "framework" and draft.subject not in load_catalog().frameworks:
        raise NotFound(f"no framework {draft.subject!r} in the catalog")
    with g.write() as session:
        if draft.subject_kind == "system" and session.get(SystemRow, draft.subject) is None:
            raise NotFound(f"no system {draft.subject!r} in the registry")
        new_id = counters.reserve(
            session,
            "consultations",
            seed=lambda: session.scalar(select(func.max(ConsultationRow.id))),
        )
        row = ConsultationRow(
            id=new_id,
            subject_kind=draft.subject_kind,
            subject=draft.subject,
            question=draft.question,
            opens=draft.opens,
            closes=draft.closes,
            opened_by=actor.label,
            opened_at=g.clock.now(),
        )
        session.add(row)
        record_change(g, session, actor, "consultation.open", row)
    return get_consultation(g, actor, new_id)


def comment(
    g: Gaio, actor: Actor, consultation_id: int, data: voice.CommentDraft | dict[str, Any]
) -> voice.Comment:
    """Submit a comment; it waits for moderation before anyone but moderators sees it."""
    permissions.check(actor, "consultation.comment")
    draft: voice.CommentDraft = _parse(voice.CommentDraft, data, "comment")
    reason = voice.abuse_reason(draft.body)
    if reason:
        raise InvalidInput(f"comment: {reason}")
    day = today(g.clock)
    with g.write() as session:
        c = session.get(ConsultationRow, consultation_id)
        if c is None:
            raise NotFound(f"no consultation {consultation_id}")
        if not c.opens <= day <= c.closes:
            raise Conflict(
                f"consultation {consultation_id} takes comments from {c.opens} to {c.closes}"
            )
        waiting = session.scalar(
            select(func.count())
            .select_from(CommentRow)
            .where(
                CommentRow.consultation_id == consultation_id,
                CommentRow.submitted_by == actor.label,
                CommentRow.status == voice.CommentStatus.PENDING.value,
            )
        )
        if (waiting or 0) >= voice.PENDING_PER_SUBMITTER:
            raise RateLimited(
                f"{waiting} of your comments on consultation {consultation_id} are waiting for "
                "moderation; try again once they are moderated"
            )
        number = counters.reserve(
            session,
            f"consultation-comments:{consultation_id}",
            seed=lambda: session.scalar(
                select(func.max(CommentRow.number)).where(
                    CommentRow.consultation_id == consultation_id
                )
            ),
        )
        row = CommentRow(
            consultation_id=consultation_id,
            number=number,
            body=draft.body,
            commenter="organisation" if actor.organisation else "public",
            organisation=actor.organisation,
            region=draft.region,
            community=draft.community,
            status=voice.CommentStatus.PENDING.value,
            submitted_by=actor.label,
            submitted_at=g.clock.now(),
        )
        session.add(row)
        record_change(g, session, actor, "consultation.comment", row)
        return _comment(row, show_body=True)


def moderate(
    g: Gaio, actor: Actor, consultation_id: int, number: int, *, publish: bool
) -> voice.Comment:
    permissions.check(actor, "consultation.moderate")
    with g.write() as session:
        row = session.get(CommentRow, (consultation_id, number))
        if row is None:
            raise NotFound(f"no comment {number} on consultation {consultation_id}")
        if row.status != voice.CommentStatus.PENDING.value:
            raise Conflict(f"comment {number} was already moderated ({row.status})")
        row.status = (
            voice.CommentStatus.PUBLISHED if publish else voice.CommentStatus.REJECTED
        ).value
        row.moderated_by = actor.label
        row.moderated_at = g.clock.now()
        record_change(g, session, actor, f"consultation.comment.{row.status}", row)
        return _comment(row, show_body=True)


def answer(g: Gaio, actor: Actor, consultation_id: int, text: str) -> voice.Consultation:
    """The provider's answer (a regulator's, for a framework); recorded once."""
    if not text.strip() or len(text) > 20_000:
        raise InvalidInput("answer: expected 1 to 20,000 characters of text")
    with g.write() as session:
        c = session.get(ConsultationRow, consultation_id)
        if c is None:
            raise NotFound(f"no consultation {consultation_id}")
        if c.subject_kind == "system":
            system = session.get(SystemRow, c.subject)
            owner = {system.provider} if system else set()
            permissions.check(actor, "consultation.answer", permissions.Facts(org=owner))
        else:
            permissions.check(actor, "consultation.moderate", what="answer framework consultations")
        if c.answer is not None:
            raise Conflict(f"consultation {consultation_id} was already answered")
        c.answer = text.strip()
        c.answered_by = actor.label
        c.answered_at = g.clock.now()
        record_change(g, session, actor, "consultation.answer", c)
    return get_consultation(g, actor, consultation_id)


def _comment(row: CommentRow, *, show_body: bool) -> voice.Comment:
    return voice.Comment(
        consultation=row.consultation_id,
        number=row.number,
        body=row.body if show_body else None,
        commenter=row.commenter,
        organisation=row.organisation,
        region=row.region,
        community=row.community,
        status=voice.CommentStatus(row.status),
        submitted_at=row.submitted_at,
    )


def get_consultation(g: Gaio, actor: Actor, consultation_id: int) -> voice.Consultation:
    """The consultation with its published comments (moderators also see the queue)."""
    permissions.check(actor, "consultation.read")
    moderator = permissions.allows(actor, "consultation.moderate")
    with g.read() as session:
        c = session.get(ConsultationRow, consultation_id)
        if c is None:
            raise NotFound(f"no consultation {consultation_id}")
        query = select(CommentRow).where(CommentRow.consultation_id == consultation_id)
        if not moderator:
            query = query.where(CommentRow.status == voice.CommentStatus.PUBLISHED.value)
        comments = [
            _comment(r, show_body=True) for r in session.scalars(query.order_by(CommentRow.number))
        ]
        return voice.Consultation(
            id=c.id,
            subject_kind=c.subject_kind,
            subject=c.subject,
            question=c.question,
            opens=c.opens,
            closes=c.closes,
            opened_by=c.opened_by,
            answer=c.answer,
            answered_by=c.answered_by,
            comments=comments,
        )


def list_consultations(g: Gaio, actor: Actor) -> list[voice.Consultation]:
    permissions.check(actor, "consultation.read")
    with g.read() as session:
        ids = list(session.scalars(select(ConsultationRow.id).order_by(ConsultationRow.id)))
    return [get_consultation(g, actor, i) for i in ids]
