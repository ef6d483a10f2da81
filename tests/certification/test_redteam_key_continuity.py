"""Red team, issue 14 item 4: an instance moved with its keys, and keys rotated, keep verifying.

Before: after export/import into a new instance, the new instance had new ledger and issuer
keys: its status lists did not verify for certificates issued before, and old checkpoints could
not be checked; there was no supported way to move or rotate keys.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from gaio.certification import keys as key_files
from gaio.certification import multibase
from gaio.certification.issuers import trusted_keys
from gaio.certification.verify import verify_certificate
from gaio.errors import ConfigurationError, Conflict, InvalidInput, PermissionDenied
from gaio.ledger.proofs import verify_proof_document
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.keys import bundle, issuers, rotation
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from gaio.store.tables.ledger import LedgerCheckpointRow
from tests.certification.helpers import AUDITOR, issued
from tests.conftest import ADMIN, PROVIDER, PUBLIC, REGULATOR

PASSPHRASE = "correct horse battery staple"


def _lists(g: Gaio) -> list[dict[str, Any]]:
    return [certification.status_list(g, PUBLIC, p, "assure") for p in ("revocation", "suspension")]


def test_a_moved_instance_keeps_its_keys_and_its_proofs(
    g: Gaio, empty_gaio: Any, tmp_path: Path
) -> None:
    cert_id = issued(g)
    doc = certification.export_certificate(g, PROVIDER, cert_id)
    certification.change_certificate(g, AUDITOR, cert_id, "suspend", "under review")
    old_checkpoint = ledger.checkpoint(g)
    old_ledger_key = ledger.verifier_key(g)
    data, keys = tmp_path / "export.jsonl", tmp_path / "keys.json"
    exchange.export(g, ADMIN, data)
    summary = bundle.export_keys(g, ADMIN, keys, PASSPHRASE)
    assert {k.purpose for k in summary.keys} == {"ledger", "issuer"}
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    seed = key_files.read_key_file(
        next((g.settings.home / "keys" / "issuers" / "assure").glob("*.key")), "key"
    ).seed
    text = keys.read_text()
    assert multibase.private_key_multibase(seed) not in text
    assert "PRIVATE+KEY" not in text

    moved: Gaio = empty_gaio("moved")
    with pytest.raises(Conflict, match="--replace"):
        bundle.import_keys(moved, ADMIN, keys, PASSPHRASE)
    result = bundle.import_keys(moved, ADMIN, keys, PASSPHRASE, replace=True)
    assert len(result.replaced) == 1 and Path(result.replaced[0]).exists()
    exchange.import_(moved, ADMIN, data)

    assert ledger.verifier_key(moved) == old_ledger_key
    verdict = verify_certificate(
        doc, issuers.trusted_keys(moved, PUBLIC), now=moved.clock.now(), status_lists=_lists(moved)
    )
    assert verdict.outcome == "suspended", verdict
    assert certification.verify_credential(moved, PUBLIC, doc).outcome == "suspended"
    # a checkpoint signed before the move opens with the moved instance's key, and its root is
    # the moved log's at that size: consistency proofs from it can be made and checked
    from gaio.ledger import merkle
    from gaio.ledger.note import Verifier, open_checkpoint
    from gaio.store import ledger as ledger_repo

    cp, _ = open_checkpoint(old_checkpoint.note, Verifier.from_key(ledger.verifier_key(moved)))
    new_checkpoint = ledger.checkpoint(moved)
    with moved.read() as session:
        nodes = ledger_repo.SqlNodes(session)
        assert merkle.root(cp.size, nodes) == cp.root_hash
        new_cp, _ = open_checkpoint(
            new_checkpoint.note, Verifier.from_key(ledger.verifier_key(moved))
        )
        hashes = merkle.consistency_proof(cp.size, new_cp.size, nodes)
    merkle.verify_consistency(cp.size, new_cp.size, cp.root_hash, new_cp.root_hash, hashes)
    # the body keeps issuing under the same key
    assert issuers.issuer_document(moved, PUBLIC, "assure") == issuers.issuer_document(
        g, PUBLIC, "assure"
    )
    assert ledger.verify(moved).ok


def test_a_key_bundle_does_not_open_with_a_wrong_passphrase_or_an_edit(
    g: Gaio, empty_gaio: Any, tmp_path: Path
) -> None:
    issued(g)
    keys = tmp_path / "keys.json"
    bundle.export_keys(g, ADMIN, keys, PASSPHRASE)
    other: Gaio = empty_gaio("other")
    with pytest.raises(InvalidInput, match="wrong passphrase, or the file was changed"):
        bundle.import_keys(other, ADMIN, keys, "wrong horse battery staple")
    edited = json.loads(keys.read_text())
    edited["keys"][0]["public"] = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    keys.write_text(json.dumps(edited))
    with pytest.raises(InvalidInput, match="does not open"):
        bundle.import_keys(other, ADMIN, keys, PASSPHRASE)
    with pytest.raises(InvalidInput, match="at least 12"):
        bundle.export_keys(g, ADMIN, tmp_path / "weak.json", "short")
    for who in (PROVIDER, AUDITOR, REGULATOR, PUBLIC):
        with pytest.raises(PermissionDenied):
            bundle.export_keys(g, who, tmp_path / "x.json", PASSPHRASE)
        with pytest.raises(PermissionDenied):
            bundle.import_keys(other, who, keys, PASSPHRASE)
    assert not (tmp_path / "x.json").exists()


def test_keys_move_through_the_cli(g: Gaio, cli: Any, tmp_path: Path) -> None:
    issued(g)
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    out = tmp_path / "keys.json"
    made = cli("keys", "export", "-o", str(out), "--passphrase-file", str(secret), "--json")
    assert made.code == 0, made.err
    assert len(json.loads(made.out)["keys"]) == 2
    again = cli("keys", "import", str(out), "--passphrase-file", str(secret))
    assert again.code == 0 and "2 already here" in again.out
    listed = json.loads(cli("keys", "list", "--json").out)
    assert {(k["purpose"], k["private_key_here"]) for k in listed} == {
        ("ledger", True),
        ("issuer", True),
    }
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all")
    refused = cli("keys", "import", str(out), "--passphrase-file", str(wrong))
    assert refused.code == 2 and "does not open" in refused.err


def test_rotating_an_issuer_key_keeps_old_certificates_and_lists_verifying(g: Gaio) -> None:
    cert_id = issued(g)
    old_doc = certification.export_certificate(g, PROVIDER, cert_id)
    old_method = old_doc["proof"]["verificationMethod"]
    with pytest.raises(PermissionDenied):
        rotation.rotate_issuer(g, REGULATOR, "assure", "suspected leak")
    info = rotation.rotate_issuer(g, AUDITOR, "assure", "yearly rotation")
    assert info.current and info.purpose == "issuer"
    assert not key_files.org_key_path(g.settings.home, "assure", old_method.split("#")[1]).exists()
    document = issuers.issuer_document(g, PUBLIC, "assure")
    periods = {m["id"]: m for m in document["verificationMethod"]}
    assert "validUntil" in periods[old_method]
    assert "validUntil" not in periods[document["id"] + "#" + info.id]
    trust = trusted_keys(document)
    # the old certificate verifies; its status list is now signed by the new key
    lists = _lists(g)
    assert lists[0]["proof"]["verificationMethod"].endswith(info.id)
    assert verify_certificate(old_doc, trust, now=g.clock.now(), status_lists=lists).ok
    certification.change_certificate(g, AUDITOR, cert_id, "revoke", "withdrawn")
    assert verify_certificate(
        old_doc, trust, now=g.clock.now(), status_lists=_lists(g)
    ).outcome == ("revoked")
    actions = [e.action for e in ledger.show(g, limit=10_000)]
    assert actions.count("key.retire") == 1 and actions.count("key.rotate") == 1
    assert ledger.verify(g).ok


def test_a_retired_issuer_key_cannot_sign_after_its_period(g: Gaio) -> None:
    """Whoever kept a copy of the old key signs a certificate dated after the rotation."""
    from gaio.certification import integrity

    cert_id = issued(g)
    doc = certification.export_certificate(g, PROVIDER, cert_id)
    path = next((g.settings.home / "keys" / "issuers" / "assure").glob("*.key"))
    stolen = key_files.read_key_file(path, "key")
    rotation.rotate_issuer(g, AUDITOR, "assure", "suspected leak")
    later = g.clock.now().isoformat().replace("+00:00", "Z")
    body = {k: v for k, v in doc.items() if k != "proof"} | {"validFrom": later}
    forged = integrity.add_proof(
        body, stolen.private, verification_method=doc["proof"]["verificationMethod"], created=later
    )
    trust = issuers.trusted_keys(g, PUBLIC)
    verdict = verify_certificate(forged, trust, now=g.clock.now(), check_status=False)
    assert verdict.outcome == "unknown-issuer" and "signs for" in verdict.message
    assert verify_certificate(doc, trust, now=g.clock.now(), check_status=False).ok


def test_rotating_the_ledger_key_keeps_old_checkpoints_and_proofs_verifying(g: Gaio) -> None:
    cert_id = issued(g)
    old_key = ledger.verifier_key(g)
    old_proof = ledger.prove(g, 3)
    with pytest.raises(PermissionDenied):
        rotation.rotate_ledger(g, AUDITOR, "yearly")
    info = rotation.rotate_ledger(g, ADMIN, "yearly rotation")
    assert ledger.verifier_key(g) != old_key and info.verifier == ledger.verifier_key(g)
    report = ledger.verify(g)
    assert report.ok, report.problems
    assert report.checkpoints >= 2
    assert verify_proof_document(old_proof.to_json(), old_key).leaf_index == 3
    new_proof = ledger.prove(g, 3)
    assert verify_proof_document(new_proof.to_json(), ledger.verifier_key(g)).leaf_index == 3
    actions = [e.action for e in ledger.show(g, limit=10_000) if e.action != "ledger.checkpoint"]
    assert actions[-2:] == ["key.retire", "key.rotate"]
    listed = [k for k in rotation.list_keys(g, PUBLIC) if k.purpose == "ledger"]
    assert [(k.verifier == old_key, k.current) for k in listed] == [(True, False), (False, True)]
    # certificates issued before still verify on the server (their evidence: the old key)
    doc = certification.export_certificate(g, PROVIDER, cert_id)
    assert certification.verify_credential(g, PUBLIC, doc).outcome == "valid"


def test_a_checkpoint_signed_by_the_retired_ledger_key_is_flagged(g: Gaio) -> None:
    from gaio.ledger import keys as ledger_keys
    from gaio.ledger import merkle
    from gaio.ledger.note import Checkpoint, sign_checkpoint
    from gaio.store import ledger as ledger_repo

    issued(g)
    stolen = ledger_keys.load_key(g.settings.key_path)
    rotation.rotate_ledger(g, ADMIN, "suspected leak")
    issued_more = certification.list_certificates(g, PUBLIC)
    assert issued_more
    with g.write() as session:
        size = ledger_repo.size(session, lock=True) - 1
        while ledger_repo.checkpoint(session, size) is not None:
            size -= 1
        root = merkle.root(size, ledger_repo.SqlNodes(session))
        note = sign_checkpoint(Checkpoint(g.settings.log_origin, size, root), stolen)
        session.add(LedgerCheckpointRow(size=size, note=note, created_at=g.clock.now()))
    report = ledger.verify(g)
    assert not report.ok
    assert any("by a key not valid then" in p.message for p in report.problems)


def test_an_interrupted_ledger_rotation_is_finished(
    g: Gaio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process stops after the rotation committed, before the new key file is in place."""
    from gaio.ledger import keys as ledger_keys

    issued(g)

    def crash(path: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_keys, "promote_next_key", crash)
    with pytest.raises(KeyboardInterrupt):
        rotation.rotate_ledger(g, ADMIN, "yearly rotation")
    monkeypatch.undo()
    g.reload_keys()
    done = rotation.recover(g)
    assert done is not None and done.startswith("finished the rotation")
    assert rotation.recover(g) is None
    current = [k for k in rotation.list_keys(g, PUBLIC) if k.purpose == "ledger" and k.current]
    assert current[0].verifier == ledger.verifier_key(g)
    ledger.checkpoint(g)
    assert ledger.verify(g).ok


def test_a_missing_issuer_key_file_is_a_clear_error(g: Gaio) -> None:
    cert_id = issued(g)
    for path in (g.settings.home / "keys" / "issuers" / "assure").glob("*.key"):
        path.unlink()
    with pytest.raises(ConfigurationError, match="gaio keys import"):
        certification.status_list(g, PUBLIC, "revocation", "assure")
    assert certification.get_certificate(g, PUBLIC, cert_id).sealed
