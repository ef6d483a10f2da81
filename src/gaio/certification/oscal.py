"""The assessment as OSCAL assessment results (JSON, OSCAL 1.2.1).

One result per framework assessed, each reviewing that framework's controls (the ids of the
catalog exports, ``gaio catalog export-oscal``); observations are the checklist answers and the
evidence files (by SHA-256); findings say per requirement whether it is satisfied, and carry
the auditor's findings in their remarks. UUIDs are UUIDv5 of the assessment's state, so the same
state exports the same bytes.
"""

from __future__ import annotations

import uuid
from typing import Any

from gaio.certification.model import Assessment
from gaio.certification.status import requirement_status
from gaio.clock import utc_text

OSCAL_VERSION = "1.2.1"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gaio:assessment:oscal")
PROP_NS = "urn:gaio:assessment"


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def _local(item_id: str) -> str:
    return item_id.split(":", 1)[1] if ":" in item_id else item_id


def _observations(a: Assessment, stamp: tuple[object, ...]) -> list[dict[str, Any]]:
    answers = {x.check_id: x for x in a.answers}
    observations: list[dict[str, Any]] = []
    for p in a.plan.principles:
        for c in p.checks:
            ans = answers.get(c.id)
            if ans is None:
                continue
            observations.append(
                {
                    "uuid": _uuid(*stamp, "check", c.id),
                    "title": f"{c.id}: {ans.answer.value}",
                    "description": c.process,
                    "props": [{"name": "answer", "ns": PROP_NS, "value": ans.answer.value}],
                    "methods": ["INTERVIEW", "EXAMINE"],
                    "collected": utc_text(ans.answered_at, seconds=True),
                    "remarks": ans.elaboration,
                }
            )
    for e in a.latest_evidence().values():
        observations.append(
            {
                "uuid": _uuid(*stamp, "evidence", e.slot, e.revision),
                "title": f"{e.slot} revision {e.revision}",
                "description": f"{e.kind} {e.filename}",
                "methods": ["TEST"] if e.kind == "test-result" else ["EXAMINE"],
                "relevant-evidence": [
                    {
                        "href": f"urn:sha256:{e.sha256}",
                        "description": f"{e.filename} ({e.size} bytes)",
                    }
                ],
                "collected": utc_text(e.attached_at, seconds=True),
            }
        )
    return observations


def assessment_results(a: Assessment) -> dict[str, Any]:
    last = a.steps[-1] if a.steps else None
    stamp = (a.id, last.seq if last else 0)
    modified = last.at if last else a.opened_at
    results = []
    frameworks = {f.framework: f for f in a.plan.frameworks}
    for framework, ref in frameworks.items():
        reqs = [r for r in a.plan.requirements if r.framework == framework]
        if not reqs:
            continue
        controls = sorted({_local(r.item_id) for r in reqs})
        findings = []
        for r in reqs:
            met, gaps = requirement_status(a, r)
            notes = [
                f"finding {f.number} ({f.severity.value}, {f.state}): {f.description}"
                for f in a.findings
                if f.requirement == r.item_id
            ]
            finding: dict[str, Any] = {
                "uuid": _uuid(*stamp, "finding", r.item_id, r.role),
                "title": f"{r.citation}: {r.title}",
                "description": "; ".join(gaps) if gaps else "all evidence present and accepted",
                "props": [{"name": "role", "ns": PROP_NS, "value": r.role}],
                "target": {
                    "type": "objective-id",
                    "target-id": _local(r.item_id),
                    "status": {"state": met},
                },
            }
            if notes:
                finding["remarks"] = "\n".join(notes)
            findings.append(finding)
        result: dict[str, Any] = {
            "uuid": _uuid(*stamp, "result", framework),
            "title": f"{ref.framework}@{ref.version} requirements of {a.system}@{a.system_version}",
            "description": ref.why,
            "start": utc_text(a.opened_at, seconds=True),
            "reviewed-controls": {
                "control-selections": [{"include-controls": [{"control-id": c} for c in controls]}]
            },
            "observations": _observations(a, (*stamp, framework)),
            "findings": findings,
        }
        if a.decided_at is not None:
            result["end"] = utc_text(a.decided_at, seconds=True)
            result["remarks"] = f"decision: {a.decision.value if a.decision else ''}: {a.rationale}"
        results.append(result)
    return {
        "assessment-results": {
            "uuid": _uuid(*stamp),
            "metadata": {
                "title": f"Conformity assessment {a.id} of {a.plan.system_name} {a.system_version}",
                "last-modified": utc_text(modified, seconds=True),
                "version": str(stamp[1]),
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {"href": f"urn:gaio:assessment:{a.id}:plan"},
            "results": results,
        }
    }
