"""Browser flows across capabilities: incidents, certificates, reviews, confidentiality."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gaio.certification.model import Answer, Decision
from gaio.services.certification import assessments
from gaio.services.certification import certificates as certification
from gaio.services.certification import review as assessment_review
from gaio.services.incidents import intake as incidents
from gaio.services.registry import licences, systems
from tests.certification.helpers import complete
from tests.conftest import PROVIDER, REGULATOR
from tests.factories import card
from tests.web.conftest import log_in, shot

AUDITOR_USER = "anna"


def certification_setup(g: Any) -> int:
    """acme's CV ranker, submitted for review to the licensed body 'assure'."""
    licences.grant_licence(
        g, REGULATOR, {"holder": "assure", "scope": "certification-body", "reason": "accredited"}
    )
    systems.register_system(g, PROVIDER, card(deployers=["globex"]))
    aid = assessments.start_assessment(g, PROVIDER, "acme-cv-ranker")
    complete(g, aid, Answer.YES)
    assessments.submit(g, PROVIDER, aid)
    return aid


def test_report_an_incident_and_see_a_duplicate_suggestion(
    live_server: str, page: Any, g: Any
) -> None:
    systems.register_system(g, PROVIDER, card())
    known = incidents.report_incident(
        g,
        PROVIDER,
        {
            "title": "Recruiting AI ranked older applicants last",
            "description": "A CV screening system consistently ranked applicants over fifty "
            "at the bottom.",
            "occurred": "2026-02-01",
            "countries": ["DE"],
        },
    )
    known_id = known.incident_ids[0]
    page.goto(f"{live_server}/incidents/report")
    page.get_by_label("What happened, in one line").fill(
        "Recruiting AI ranked older applicants last in Germany"
    )
    page.get_by_label("Description").fill(
        "A CV screening system consistently ranked applicants over fifty at the bottom."
    )
    page.get_by_label("When it happened (YYYY, YYYY-MM or YYYY-MM-DD)").fill("2026-02")
    page.get_by_label("Countries (names or ISO codes, comma-separated)").fill("Germany")
    suggestion = page.locator("#duplicates a", has_text=f"#{known_id}")
    suggestion.wait_for()
    shot(page, "incident-report-duplicates")
    page.get_by_role("button", name="Submit").click()
    assert "looks like an incident we already have" in page.get_by_role("alert").inner_text()
    page.get_by_role("button", name=f"Yes: add my report to #{known_id}").click()
    assert "once a moderator approves it" in page.get_by_role("status").inner_text()
    assert incidents.get_incident(g, PROVIDER, known_id).reports == []  # awaits moderation
    from gaio.services.incidents import moderation

    (pending,) = moderation.queue(g, REGULATOR)
    moderation.decide(g, REGULATOR, "report", pending.id, "approve")
    titles = [r.title for r in incidents.get_incident(g, PROVIDER, known_id).reports]
    assert titles == ["Recruiting AI ranked older applicants last in Germany"]


def test_verify_a_valid_and_a_tampered_certificate(
    live_server: str, page: Any, g: Any, tmp_path: Path
) -> None:
    from tests.certification.helpers import AUDITOR, OVERRIDE

    aid = certification_setup(g)
    assessment_review.take_review(g, AUDITOR, aid)
    assessment_review.decide(
        g,
        AUDITOR,
        aid,
        Decision.APPROVE,
        "All requirements are met with evidence.",
        override_reason=OVERRIDE,
    )
    cert_id = certification.issue_certificate(g, AUDITOR, aid)
    credential = certification.export_certificate(g, PROVIDER, cert_id)
    page.goto(f"{live_server}/verify")
    page.get_by_label("Certificate (JSON)").fill(json.dumps(credential))
    page.get_by_role("button", name="Verify").click()
    verdict = page.locator("#verdict")
    assert verdict.inner_text().startswith("VALID")
    facts = page.locator("#certificate-facts").inner_text()
    for label in ("Issuer", "Scope", "Frameworks", "Validity", "Status", "Registry entry"):
        assert label in facts, label
    assert "assure" in facts and "eu-ai-act" in facts.lower()
    shot(page, "verify-valid")
    page.get_by_role("link", name="/systems/acme-cv-ranker").click()
    page.wait_for_url(f"{live_server}/systems/acme-cv-ranker")
    tampered = json.loads(json.dumps(credential))
    tampered["validUntil"] = "2099-01-01T00:00:00Z"
    upload = tmp_path / "tampered.json"
    upload.write_text(json.dumps(tampered), encoding="utf-8")
    page.goto(f"{live_server}/verify")
    page.get_by_label("or upload the file").set_input_files(str(upload))
    page.get_by_role("button", name="Verify").click()
    text = page.locator("#verdict").inner_text()
    assert text.startswith("TAMPERED") and "validUntil" in text
    shot(page, "verify-tampered")


def test_an_auditor_records_a_finding(live_server: str, page: Any, g: Any) -> None:
    aid = certification_setup(g)
    log_in(page, live_server, AUDITOR_USER)
    page.get_by_role("link", name=str(aid), exact=True).click()
    page.get_by_role("button", name="Take this review").click()
    page.get_by_label("Severity").select_option("major")
    page.get_by_label("Finding", exact=True).fill("Human oversight procedure is not documented.")
    page.get_by_label("Corrective action").fill("Write and train the oversight procedure.")
    page.get_by_role("button", name="Record finding").click()
    page.wait_for_url(f"{live_server}/assessments/{aid}")
    assert page.locator("td", has_text="Human oversight procedure is not documented.").count() == 1
    found = assessments.get_assessment(g, PROVIDER, aid).findings
    assert [(f.severity.value, f.raised_by) for f in found] == [("major", "anna@assure")]
    shot(page, "assessment-finding")


def test_the_public_cannot_see_a_providers_confidential_fields(
    live_server: str, browser: Any, g: Any
) -> None:
    systems.register_system(g, PROVIDER, card())
    made = incidents.report_incident(
        g,
        PROVIDER,
        {
            "title": "Ranking outage in production",
            "description": "The ranker returned empty lists.",
            "occurred": "2026-02-03",
            "systems": ["acme-cv-ranker"],
            "confidential": "Root cause: expired credentials in the feature store (ticket 9931).",
        },
        check_duplicates=False,
    )
    iid = made.incident_ids[0]
    public = browser.new_context()
    pg = public.new_page()
    pg.goto(f"{live_server}/incidents/{iid}")
    assert pg.get_by_role("heading", name=f"#{iid} Ranking outage in production").is_visible()
    assert "ticket 9931" not in pg.content()
    other = browser.new_context()
    other_page = other.new_page()
    log_in(other_page, live_server, "olga")
    other_page.goto(f"{live_server}/incidents/{iid}")
    assert "ticket 9931" not in other_page.content()
    owner = browser.new_context()
    owner_page = owner.new_page()
    log_in(owner_page, live_server, "paul")
    owner_page.goto(f"{live_server}/incidents/{iid}")
    assert "ticket 9931" in owner_page.locator(".confidential").inner_text()
    for ctx in (public, other, owner):
        ctx.close()


def test_an_auditor_reviews_closes_a_finding_decides_and_issues_in_the_browser(
    live_server: str, page: Any, g: Any
) -> None:
    from tests.certification.helpers import OVERRIDE

    aid = certification_setup(g)
    log_in(page, live_server, AUDITOR_USER)
    page.goto(f"{live_server}/assessments/{aid}")
    page.get_by_role("button", name="Take this review").click()
    assert page.get_by_role("heading", name="Checklist answers").is_visible()
    assert page.locator("details table tbody tr").count() > 5
    assert page.get_by_role("heading", name="Test results against thresholds").is_visible()
    options = page.locator("#requirement option").all_inner_texts()
    assert len(options) == len(set(options)), "each requirement once"
    page.get_by_label("Severity").select_option("minor")
    page.get_by_label("Finding", exact=True).fill("Log retention is undocumented.")
    page.get_by_label("Corrective action").fill("Document the retention period.")
    page.get_by_role("button", name="Record finding").click()
    page.get_by_label("Closing note").fill("Retention documented in v2 of the manual.")
    page.get_by_role("button", name="Close finding").click()
    page.wait_for_url(f"{live_server}/assessments/{aid}#findings-title")
    assert [f.state for f in assessments.get_assessment(g, PROVIDER, aid).findings] == ["closed"]
    page.get_by_label("Decision", exact=True).select_option("approve")
    page.get_by_label("Rationale (required)").fill("All requirements are met.")
    page.get_by_label("Override reason", exact=False).fill(OVERRIDE)
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("button", name="Issue the certificate").click()
    page.wait_for_url(f"{live_server}/systems/acme-cv-ranker#certificates-title")
    assert certification.list_certificates(g, PROVIDER, system="acme-cv-ranker")
    steps = [s.action for s in assessments.get_assessment(g, PROVIDER, aid).steps]
    assert "finding.close" in " ".join(steps) or any("close" in s for s in steps)
    shot(page, "auditor-issued")
