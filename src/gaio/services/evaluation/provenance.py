"""Content provenance as Art. 50(2) marking evidence: C2PA credentials of a file and declared
text watermarks, each verdict optionally stored as evidence of a system version (kind
``art50-2-marking``), so an assessment can show that the system's outputs are marked."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gaio.actors import Actor
from gaio.errors import InvalidInput
from gaio.evaluation.content_credentials import CredentialVerdict, check
from gaio.evaluation.watermark import WatermarkScheme, WatermarkVerdict, detect
from gaio.inputs import read_text
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.evaluation.evidence import Evidence, resolve_target, store_document

MAX_MEDIA = 512 * 1024 * 1024
EVIDENCE_KIND = "art50-2-marking"


def _read_media(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    if not path.is_file():
        raise InvalidInput(f"{path}: not a file")
    if size > MAX_MEDIA:
        raise InvalidInput(f"{path}: larger than {MAX_MEDIA:,} bytes")
    return path.read_bytes()


def trust_list(g: Gaio, trust: Path | None) -> str | None:
    """The trust anchors (PEM): ``trust``, else ``GAIO_HOME/c2pa-trust.pem`` when present."""
    path = trust or g.settings.home / "c2pa-trust.pem"
    if trust is None and not path.exists():
        return None
    text = read_text(path, "trust list (PEM certificates)")
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise InvalidInput(f"{path}: no PEM certificate in the trust list")
    return text


def parse_scheme(data: dict[str, Any]) -> WatermarkScheme:
    """A declared watermark scheme, or one line saying which parameter is wrong."""
    try:
        return WatermarkScheme.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"watermark scheme: {where}: {first['msg']}") from None


def _store(g: Gaio, actor: Actor, system: str, doc: Any, summary: dict[str, Any]) -> Evidence:
    return store_document(
        g,
        actor,
        system,
        kind=EVIDENCE_KIND,
        data=(doc.model_dump_json(indent=2) + "\n").encode(),
        media_type="application/json",
        summary=summary,
    )


def verify_file(
    g: Gaio, actor: Actor, path: Path, *, trust: Path | None = None, system: str | None = None
) -> tuple[CredentialVerdict, Evidence | None]:
    permissions.check(actor, "system.read")
    if system is not None:
        resolve_target(g, actor, system)  # refuse before the work
    data = _read_media(path)
    verdict = check(path.name, data, hashlib.sha256(data).hexdigest(), trust_list(g, trust))
    evidence = None
    if system is not None:
        evidence = _store(
            g,
            actor,
            system,
            verdict,
            {"method": "c2pa", "verdict": verdict.verdict, "ai_generated": verdict.ai_generated},
        )
    return verdict, evidence


def check_watermark(
    g: Gaio, actor: Actor, path: Path, scheme: WatermarkScheme, *, system: str | None = None
) -> tuple[WatermarkVerdict, Evidence | None]:
    permissions.check(actor, "system.read")
    if system is not None:
        resolve_target(g, actor, system)
    verdict = detect(read_text(path, "text"), scheme)
    stored = verdict.model_copy(
        update={
            "scheme": scheme.model_copy(
                update={"key": "sha256:" + hashlib.sha256(scheme.key.encode()).hexdigest()}
            )
        }
    )
    evidence = None
    if system is not None:
        evidence = _store(
            g,
            actor,
            system,
            stored,
            {
                "method": scheme.scheme,
                "detected": verdict.detected,
                "z_score": verdict.z_score,
                "public_default_key": verdict.public_default_key,
            },
        )
    return verdict, evidence
