"""The supply chain of AI systems: general-purpose model → fine-tunes → systems built on them →
deployers, from the registry's own records, and what a change upstream means downstream.

A version's card names its base model (``model.base_model``): a registered system's id, or
``id@version`` to pin one version, or the name of a model outside the registry. Each link
carries its provider, so the duties along the chain are visible: the provider of a
general-purpose model owes a downstream provider the information of EU AI Act Art. 53(1)(b) and
Annex XII; a provider building on another's model is a downstream provider (Art. 3(68)), and
one that substantially modifies a high-risk system takes the provider's obligations (Art. 25).

Flags: a system is flagged for every upstream system that has a newer version than the one it
builds on (or than the system's own latest version, when the link is not pinned), whose
provider's licence is suspended or revoked, or that a serious incident concerns. Flags reach
every system downstream and its deployers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, Field


class Node(BaseModel):
    """One system of the registry as the lineage sees it."""

    id: str
    name: str
    provider: str
    version: str
    registered_at: datetime
    general_purpose: bool = False
    base_model: str | None = None
    deployers: list[str] = Field(default_factory=list)
    versions: dict[str, datetime] = Field(default_factory=dict, description="version → registered")


class Link(BaseModel):
    system: str
    name: str
    provider: str
    version: str
    general_purpose: bool
    depth: int = Field(description="1 for a direct link")
    pinned: str | None = Field(None, description="the version the downstream link names, if any")


class Flag(BaseModel):
    upstream: str
    kind: str = Field(
        description="new-version, licence-suspended, licence-revoked, serious-incident"
    )
    detail: str


class Lineage(BaseModel):
    version: int = 1
    system: str
    provider: str
    upstream: list[Link] = Field(description="nearest first; an external model has provider ''")
    downstream: list[Link]
    deployers: list[str] = Field(description="deployers of this system and of its downstream")
    duties: list[str]
    flags: list[Flag]


def parse_base(text: str) -> tuple[str, str | None]:
    """``aurora-4@4.0.0`` → (``aurora-4``, ``4.0.0``); ``aurora-4`` → (``aurora-4``, None)."""
    name, _, version = text.strip().partition("@")
    return name, version or None


def _upstream(nodes: Mapping[str, Node], system: str) -> list[Link]:
    out: list[Link] = []
    seen = {system}
    current = nodes[system]
    depth = 1
    while current.base_model:
        name, pinned = parse_base(current.base_model)
        base = nodes.get(name)
        if base is None:
            out.append(
                Link(
                    system=name,
                    name=name,
                    provider="",
                    version=pinned or "",
                    general_purpose=False,
                    depth=depth,
                    pinned=pinned,
                )
            )
            break
        if base.id in seen:
            break  # a cycle in declared bases: stop rather than loop
        seen.add(base.id)
        out.append(
            Link(
                system=base.id,
                name=base.name,
                provider=base.provider,
                version=base.version,
                general_purpose=base.general_purpose,
                depth=depth,
                pinned=pinned,
            )
        )
        current, depth = base, depth + 1
    return out


def _downstream(nodes: Mapping[str, Node], system: str) -> list[Link]:
    children: dict[str, list[Node]] = {}
    for node in nodes.values():
        if node.base_model:
            name, _ = parse_base(node.base_model)
            children.setdefault(name, []).append(node)
    out: list[Link] = []
    seen = {system}
    frontier = [(system, 1)]
    while frontier:
        parent, depth = frontier.pop(0)
        for child in sorted(children.get(parent, []), key=lambda n: n.id):
            if child.id in seen:
                continue
            seen.add(child.id)
            out.append(
                Link(
                    system=child.id,
                    name=child.name,
                    provider=child.provider,
                    version=child.version,
                    general_purpose=child.general_purpose,
                    depth=depth,
                    pinned=parse_base(child.base_model or "")[1],
                )
            )
            frontier.append((child.id, depth + 1))
    return out


def _reference_time(base: Node, pinned: str | None, since: datetime) -> datetime | None:
    """When the version a downstream builds on was registered: the pinned one, else the latest
    registered by the time the downstream version was (or the first, if none was yet)."""
    if pinned:
        return base.versions.get(pinned)
    times = sorted(base.versions.values())
    before = [t for t in times if t <= since]
    return before[-1] if before else (times[0] if times else None)


def own_flags(
    node: Node,
    *,
    licence_states: Mapping[str, Sequence[str]],
    serious_incidents: Mapping[str, Sequence[int]],
) -> list[tuple[str, str]]:
    """What is wrong at ``node`` itself, as (kind, detail): its provider's licence states and the
    serious incidents that concern it."""
    out = []
    for state in sorted(set(licence_states.get(node.provider, []))):
        if state in ("suspended", "revoked"):
            out.append(
                (f"licence-{state}", f"a licence of its provider {node.provider} is {state}")
            )
    for incident in sorted(serious_incidents.get(node.id, [])):
        out.append(("serious-incident", f"serious incident {incident} concerns it"))
    return out


def lineage(
    nodes: Mapping[str, Node],
    system: str,
    *,
    licence_states: Mapping[str, Sequence[str]],
    serious_incidents: Mapping[str, Sequence[int]],
) -> Lineage:
    me = nodes[system]
    up = _upstream(nodes, system)
    down = _downstream(nodes, system)
    flags: list[Flag] = []
    below = me
    for link in up:
        base = nodes.get(link.system)
        if base is None:
            continue
        reference = _reference_time(base, link.pinned, below.registered_at)
        newer = sorted(
            (when, v)
            for v, when in base.versions.items()
            if reference is not None and when > reference
        )
        if newer:
            flags.append(
                Flag(
                    upstream=base.id,
                    kind="new-version",
                    detail=f"{base.id} has a newer version {newer[-1][1]} than the one built on",
                )
            )
        for kind, detail in own_flags(
            base, licence_states=licence_states, serious_incidents=serious_incidents
        ):
            flags.append(Flag(upstream=base.id, kind=kind, detail=f"{base.id}: {detail}"))
        below = base
    duties = []
    for link in up:
        if link.general_purpose and link.provider and link.provider != me.provider:
            duties.append(
                f"{link.provider}, provider of the general-purpose model {link.system}, owes "
                f"{me.provider} the information and documentation of Art. 53(1)(b) and Annex XII"
            )
            duties.append(
                f"{me.provider} is a downstream provider (Art. 3(68)) of {link.system}; if it "
                "substantially modifies a high-risk system it takes the provider's obligations "
                "(Art. 25(1))"
            )
    if me.general_purpose:
        for link in down:
            if link.depth == 1 and link.provider != me.provider:
                duties.append(
                    f"{me.provider} owes {link.provider} ({link.system}) the information of "
                    "Art. 53(1)(b) and Annex XII"
                )
    deployers = sorted(
        set(me.deployers) | {d for link in down for d in nodes[link.system].deployers}
    )
    return Lineage(
        system=me.id,
        provider=me.provider,
        upstream=up,
        downstream=down,
        deployers=deployers,
        duties=duties,
        flags=flags,
    )
