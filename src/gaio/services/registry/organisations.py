"""Use cases for organisations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.registry.card import Jurisdiction, Slug, validation_errors
from gaio.registry.models import Organisation
from gaio.registry.vocab import OrgKind
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store.tables.registry import OrganisationRow


class OrganisationInput(BaseModel):
    """What it takes to register an organisation."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    jurisdictions: list[Jurisdiction] = Field(min_length=1)
    contact: str | None = Field(None, max_length=300)


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        id=row.id,
        name=row.name,
        kind=OrgKind(row.kind),
        jurisdictions=list(row.jurisdictions),
        contact=row.contact,
        created_at=row.created_at,
    )


def parse_input(data: object, source: str = "organisation") -> OrganisationInput:
    if isinstance(data, OrganisationInput):
        return data
    try:
        return OrganisationInput.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(source, exc) from None


def add_organisation(
    g: Gaio, actor: Actor, data: OrganisationInput | dict[str, object]
) -> Organisation:
    permissions.require_org_admin(actor)
    org = parse_input(data)
    with g.write() as session:
        if session.get(OrganisationRow, org.id) is not None:
            raise Conflict(f"organisation {org.id!r} already exists")
        row = OrganisationRow(
            id=org.id,
            name=org.name,
            kind=org.kind.value,
            jurisdictions=sorted(set(org.jurisdictions)),
            contact=org.contact,
            created_at=g.clock.now(),
        )
        session.add(row)
        record_change(g, session, actor, "org.add", row, {"name": org.name, "kind": org.kind.value})
        return to_organisation(row)


def get_organisation(g: Gaio, actor: Actor, org_id: str) -> Organisation:
    with g.read() as session:
        row = session.get(OrganisationRow, org_id)
        if row is None:
            raise NotFound(f"no organisation {org_id!r}")
        return to_organisation(row)


def list_organisations(
    g: Gaio, actor: Actor, *, kind: OrgKind | None = None, jurisdiction: str | None = None
) -> list[Organisation]:
    with g.read() as session:
        query = select(OrganisationRow).order_by(OrganisationRow.id)
        if kind is not None:
            query = query.where(OrganisationRow.kind == kind.value)
        orgs = [to_organisation(r) for r in session.scalars(query)]
    if jurisdiction is not None:
        code = jurisdiction.upper()
        orgs = [o for o in orgs if code in o.jurisdictions]
    return orgs


def require_organisation(session: Session, org_id: str, field: str) -> OrganisationRow:
    """The organisation row, or :class:`InvalidInput` naming the field that referred to it."""
    row = session.get(OrganisationRow, org_id)
    if row is None:
        raise InvalidInput(
            f"{field}: organisation {org_id!r} is not registered (run 'gaio org list')"
        )
    return row
