"""The incident database: incidents, hazards, near misses and issues; reports; taxonomies;
similar-incident search and de-duplication; legal reporting clocks.

This package is the pure core (types, taxonomies, URL and name canonicalisation, clocks,
embeddings, AIID parsing); the use cases are in ``gaio.services.incidents.intake`` and its
``incident_*`` siblings, which register the incident record kinds with the ledger.
"""

from __future__ import annotations

from gaio.incidents.model import (
    Incident,
    IncidentDraft,
    IncidentSummary,
    Kind,
    Label,
    LabelStatus,
    Obligation,
    Origin,
    Page,
    Report,
    SeriousGround,
    Severity,
    Status,
)

__all__ = [
    "Incident",
    "IncidentDraft",
    "IncidentSummary",
    "Kind",
    "Label",
    "LabelStatus",
    "Obligation",
    "Origin",
    "Page",
    "Report",
    "SeriousGround",
    "Severity",
    "Status",
]
