"""The shapes a verifier accepts, checked before anything is decoded, hashed or verified.

A credential or status list arrives from a stranger. Every size is bounded here first: the
nesting depth and number of values of the JSON, the length of every string the verifier reads,
the number of status entries, and numbers that canonical JSON (RFC 8785) can represent. What
does not fit is :class:`~gaio.errors.InvalidInput` naming the field, never an internal error
and never seconds of CPU.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from gaio.errors import InvalidInput, invalid_input_from

MAX_DEPTH = 32
"""Deepest nesting of a credential (gaio's are 6 deep)."""
MAX_VALUES = 20_000
"""Most JSON values (objects, arrays, scalars) in one document."""
MAX_STATUS_ENTRIES = 4
MAX_STATUS_INDEX_DIGITS = 9
MAX_ENCODED_LIST = 1_000_000
"""Longest ``encodedList`` read (a 16 KiB list is about 22,000 characters when every bit is
random; gaio's compress to a few hundred)."""
_SAFE_INTEGER = 2**53 - 1
_TIME = 40


def check_json(doc: object, what: str) -> None:
    """Refuse a document nested too deep, too large, or holding numbers JCS cannot encode."""
    stack: list[tuple[object, str, int]] = [(doc, what, 0)]
    seen = 0
    while stack:
        value, path, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise InvalidInput(f"{what}: more than {MAX_VALUES} values; not a certificate")
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{path}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}", depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        elif isinstance(value, int):
            if abs(value) > _SAFE_INTEGER:
                raise InvalidInput(f"{path}: the number {str(value)[:20]}… is too large")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InvalidInput(f"{path}: {value} is not a finite number")
        else:
            raise InvalidInput(f"{path}: {type(value).__name__} is not a JSON value")


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class StatusEntryShape(_Shape):
    """A ``BitstringStatusListEntry`` (W3C Bitstring Status List §2.1)."""

    type: StrictStr = Field(max_length=100)
    status_purpose: Literal["revocation", "suspension"] = Field(alias="statusPurpose")
    status_list_index: StrictStr = Field(
        alias="statusListIndex",
        pattern=rf"^(0|[1-9][0-9]{{0,{MAX_STATUS_INDEX_DIGITS - 1}}})$",
        description="a non-negative integer as a decimal string",
    )
    status_list_credential: StrictStr = Field(alias="statusListCredential", max_length=500)


class IssuerShape(_Shape):
    id: StrictStr = Field(max_length=600)


class ProofShape(_Shape):
    verification_method: StrictStr = Field(alias="verificationMethod", max_length=600)
    created: StrictStr | None = Field(None, max_length=_TIME)


class CertificateShape(_Shape):
    """The fields of a certificate the verifier reads, each bounded."""

    type: list[StrictStr] = Field(max_length=8)
    id: StrictStr | None = Field(None, max_length=300)
    issuer: StrictStr | IssuerShape
    valid_from: StrictStr = Field(alias="validFrom", max_length=_TIME)
    valid_until: StrictStr | None = Field(None, alias="validUntil", max_length=_TIME)
    credential_subject: dict[str, Any] = Field(alias="credentialSubject")
    credential_status: list[StatusEntryShape] | StatusEntryShape | None = Field(
        None, alias="credentialStatus"
    )
    proof: ProofShape

    @property
    def issuer_id(self) -> str:
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id

    @property
    def statuses(self) -> list[StatusEntryShape]:
        found = self.credential_status
        if found is None:
            return []
        entries = found if isinstance(found, list) else [found]
        if len(entries) > MAX_STATUS_ENTRIES:
            raise InvalidInput(
                f"credentialStatus: {len(entries)} entries, at most {MAX_STATUS_ENTRIES}"
            )
        return entries


class StatusSubjectShape(_Shape):
    status_purpose: Literal["revocation", "suspension"] = Field(alias="statusPurpose")
    encoded_list: StrictStr = Field(alias="encodedList", max_length=MAX_ENCODED_LIST)


class StatusListShape(_Shape):
    """A ``BitstringStatusListCredential``, bounded."""

    id: StrictStr = Field(max_length=500)
    type: list[StrictStr] = Field(max_length=8)
    issuer: StrictStr | IssuerShape
    valid_from: StrictStr = Field(alias="validFrom", max_length=_TIME)
    valid_until: StrictStr | None = Field(None, alias="validUntil", max_length=_TIME)
    credential_subject: StatusSubjectShape = Field(alias="credentialSubject")
    proof: ProofShape

    @property
    def issuer_id(self) -> str:
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id


def certificate_shape(doc: object) -> CertificateShape:
    """The certificate's shape, or :class:`InvalidInput` naming the first field that is off."""
    if not isinstance(doc, dict):
        raise InvalidInput("a certificate must be a JSON object")
    check_json(doc, "certificate")
    try:
        shape = CertificateShape.model_validate(doc)
    except ValidationError as exc:
        raise invalid_input_from("certificate", exc) from None
    shape.statuses  # noqa: B018 - bounds the number of entries
    return shape


def status_list_shape(doc: object, where: str) -> StatusListShape:
    if not isinstance(doc, dict):
        raise InvalidInput(f"status list {where}: must be a JSON object")
    check_json(doc, f"status list {where}")
    try:
        return StatusListShape.model_validate(doc)
    except ValidationError as exc:
        raise invalid_input_from(f"status list {where}", exc) from None
