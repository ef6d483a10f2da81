"""Issuer identifiers and their published key documents (``did:web``).

Each certification body issues under its own identifier, ``did:web:<host>[:<path>]:credentials:
issuers:<org>``, built from the observatory's public base URL; by the did:web method it
resolves to ``https://<host>[/<path>]/credentials/issuers/<org>/did.json``, which the server
serves. The document lists every key the body has signed with, each as a ``Multikey``
verification method whose id ends in the key itself (``#z6Mk…``), with the period it signed in
(``validFrom``, and ``validUntil`` once rotated): a rotated key stays listed, so what it signed
still verifies. Certificates issued before per-body keys name the observatory's single legacy
key by ``did:key``, which is its own document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from gaio.certification import multibase
from gaio.certification.shapes import check_json
from gaio.certification.trust import TrustedKey
from gaio.clock import utc_text
from gaio.errors import InvalidInput, invalid_input_from

DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
ISSUERS_PATH = ("credentials", "issuers")
STATUS_PATH = ("credentials", "status")
MAX_METHODS = 64
"""Most verification methods read from one document (a body rotating monthly for 5 years)."""


def check_base_url(url: str) -> str:
    """The public base URL without a trailing slash; refuses anything but http(s) with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(f"public URL {url!r}: expected https://HOST[:PORT][/PATH]")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput(f"public URL {url!r}: no query, fragment or user name")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def did_web(base_url: str, *path: str) -> str:
    """``did:web`` of a path under the base URL (a port is written ``%3A``, per the method)."""
    parts = urlsplit(check_base_url(base_url))
    segments = [s for s in parts.path.split("/") if s] + list(path)
    return ":".join(["did:web", quote(parts.netloc, safe=""), *(quote(s) for s in segments)])


def did_web_url(did: str) -> str:
    """Where a ``did:web`` DID document is published (https, as the method requires)."""
    if not did.startswith("did:web:") or len(did) > 600:
        raise InvalidInput(f"{did[:80]!r} is not a did:web identifier")
    host, *segments = did.removeprefix("did:web:").split(":")
    host = unquote(host)
    if not host or "/" in host or any(not s or "/" in unquote(s) for s in segments):
        raise InvalidInput(f"{did!r} is not a did:web identifier")
    path = "/".join(unquote(s) for s in segments) if segments else ".well-known"
    return f"https://{host}/{path}/did.json"


def issuer_did(base_url: str, org: str) -> str:
    return did_web(base_url, *ISSUERS_PATH, org)


def issuer_document_url(base_url: str, org: str) -> str:
    return f"{check_base_url(base_url)}/{'/'.join(ISSUERS_PATH)}/{org}/did.json"


def status_list_url(base_url: str, org: str | None, purpose: str) -> str:
    """Where a body's status list is served; ``org=None`` for the legacy key's lists."""
    parts = [*STATUS_PATH, *([org] if org else []), purpose]
    return f"{check_base_url(base_url)}/{'/'.join(parts)}"


@dataclass(frozen=True)
class KeyPeriod:
    """One key an issuer signed with, and when."""

    public: bytes
    valid_from: datetime
    valid_until: datetime | None = None

    def method(self, did: str) -> str:
        return f"{did}#{multibase.public_key_multibase(self.public)}"


def did_document(did: str, keys: Sequence[KeyPeriod], *, name: str | None = None) -> dict[str, Any]:
    """The DID document of an issuer: every key it signed with, current ones first."""
    methods = []
    for key in sorted(keys, key=lambda k: (k.valid_until is not None, k.valid_from), reverse=False):
        method: dict[str, Any] = {
            "id": key.method(did),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multibase.public_key_multibase(key.public),
            "validFrom": utc_text(key.valid_from, seconds=True),
        }
        if key.valid_until is not None:
            method["validUntil"] = utc_text(key.valid_until, seconds=True)
        methods.append(method)
    doc: dict[str, Any] = {"@context": [DID_V1, MULTIKEY_V1], "id": did}
    if name:
        doc["name"] = name
    doc["verificationMethod"] = methods
    doc["assertionMethod"] = [m["id"] for m in methods]
    return doc


class _Method(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: StrictStr = Field(max_length=600)
    type: StrictStr = Field(max_length=40)
    controller: StrictStr = Field(max_length=600)
    public_key_multibase: StrictStr = Field(alias="publicKeyMultibase", max_length=60)
    valid_from: StrictStr | None = Field(None, alias="validFrom", max_length=40)
    valid_until: StrictStr | None = Field(None, alias="validUntil", max_length=40)


class _Document(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: StrictStr = Field(max_length=600)
    verification_method: list[_Method] = Field(alias="verificationMethod", max_length=MAX_METHODS)
    assertion_method: list[StrictStr] = Field(alias="assertionMethod", max_length=MAX_METHODS)


def _time(value: str | None, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{where}: {value!r} has no time zone")
    return parsed


def trusted_keys(document: object, *, expected: str | None = None) -> list[TrustedKey]:
    """The assertion keys of an issuer's DID document, with their validity periods.

    ``expected``: the DID the document must be for (what was resolved). Only methods listed
    under ``assertionMethod`` and controlled by the document's subject count.
    """
    if not isinstance(document, dict):
        raise InvalidInput("issuer document: expected a JSON object")
    check_json(document, "issuer document")
    try:
        doc = _Document.model_validate(document)
    except ValidationError as exc:
        raise invalid_input_from("issuer document", exc) from None
    if expected is not None and doc.id != expected:
        raise InvalidInput(f"issuer document is for {doc.id!r}, not {expected!r}")
    asserted = set(doc.assertion_method)
    keys: list[TrustedKey] = []
    for number, m in enumerate(doc.verification_method):
        where = f"issuer document verificationMethod[{number}]"
        if m.id not in asserted or m.controller != doc.id or m.type != "Multikey":
            continue
        public = multibase.parse_public_key(m.public_key_multibase)
        if m.id != f"{doc.id}#{m.public_key_multibase}" and not m.id.startswith(doc.id + "#"):
            raise InvalidInput(f"{where}: id {m.id!r} is not a fragment of {doc.id!r}")
        keys.append(
            TrustedKey(
                public=public,
                issuer=doc.id,
                method=m.id,
                valid_from=_time(m.valid_from, f"{where}.validFrom"),
                valid_until=_time(m.valid_until, f"{where}.validUntil"),
            )
        )
    if not keys:
        raise InvalidInput(f"issuer document {doc.id!r} lists no assertion key")
    return keys


def legacy_document(public: bytes, valid_from: datetime | None) -> dict[str, Any]:
    """The document of the observatory's single issuer key of before per-body keys (did:key):
    it still verifies what it signed and signs the status lists of those certificates."""
    mb = multibase.public_key_multibase(public)
    did = f"did:key:{mb}"
    method: dict[str, Any] = {
        "id": f"{did}#{mb}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": mb,
    }
    if valid_from is not None:
        method["validFrom"] = utc_text(valid_from, seconds=True)
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }
