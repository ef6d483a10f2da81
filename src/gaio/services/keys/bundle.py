"""Moving an installation's private keys: one file, encrypted under a passphrase.

Format (JSON, ``format: gaio-keys``, ``version: 1``): a clear header listing the public keys
inside (so an operator sees what a bundle holds without the passphrase), the scrypt parameters
and salt, and the AES-256-GCM nonce and ciphertext of the private keys. The whole header is the
cipher's associated data, so editing it makes the bundle fail to open. A wrong passphrase and a
damaged file give the same error; nothing is written until the bundle has opened and every key
in it matches the public key its header names.

Import never silently replaces a different key: a ledger or legacy key already here that is not
the bundle's is refused unless ``replace`` is given, and then kept in ``keys/replaced/``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gaio.actors import Actor
from gaio.canonical import canonical_json
from gaio.certification import keys, multibase
from gaio.certification.keys import IssuerKey
from gaio.clock import utc_text
from gaio.errors import Conflict, InvalidInput, invalid_input_from
from gaio.ledger import keys as ledger_key_files
from gaio.ledger.note import Signer
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.keys import rotation

FORMAT = "gaio-keys"
VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
"""scrypt cost: 32 MiB and ~0.1 s per try on a laptop (RFC 7914's interactive setting ×2)."""
MIN_PASSPHRASE = 12
MAX_BUNDLE = 1_000_000


class BundleKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(pattern=r"^(ledger|issuer|legacy-issuer)$")
    organisation: str | None = Field(None, max_length=64)
    public: str = Field(max_length=200, description="multibase public key")


class _Kdf(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^scrypt$")
    n: int = Field(ge=2**14, le=2**20)
    r: int = Field(ge=8, le=16)
    p: int = Field(ge=1, le=4)
    salt: str = Field(max_length=64)


class Header(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = Field(pattern=rf"^{FORMAT}$")
    version: int = Field(ge=VERSION, le=VERSION)
    created: str = Field(max_length=40)
    origin: str = Field(max_length=300)
    keys: list[BundleKey] = Field(max_length=1000)
    kdf: _Kdf
    cipher: str = Field(pattern=r"^AES-256-GCM$")
    nonce: str = Field(max_length=32)


class ExportSummary(BaseModel):
    version: int = 1
    path: str
    keys: list[BundleKey]


def _passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"passphrase: at least {MIN_PASSPHRASE} characters")
    return passphrase.encode("utf-8")


def _derive(passphrase: bytes, kdf: _Kdf) -> bytes:
    salt = base64.b64decode(kdf.salt, validate=True)
    return Scrypt(salt=salt, length=32, n=kdf.n, r=kdf.r, p=kdf.p).derive(passphrase)


def _collect(g: Gaio) -> tuple[list[BundleKey], dict[str, Any]]:
    home = g.settings.home
    ledger = g.signer()
    listed = [
        BundleKey(
            purpose="ledger", public=multibase.public_key_multibase(ledger.verifier.public_key)
        )
    ]
    secret: dict[str, Any] = {"ledger": ledger.signer_key(), "issuers": {}, "legacy": None}
    legacy = keys.load_legacy_key(home)
    if legacy is not None:
        listed.append(BundleKey(purpose="legacy-issuer", public=legacy.public_multibase))
        secret["legacy"] = multibase.private_key_multibase(legacy.seed)
    for path in sorted((keys.keys_dir(home) / "issuers").glob("*/*.key")):
        org = path.parent.name
        key = keys.read_key_file(path, f"issuer key of {org!r}")
        listed.append(BundleKey(purpose="issuer", organisation=org, public=key.public_multibase))
        secret["issuers"].setdefault(org, {})[key.public_multibase] = (
            multibase.private_key_multibase(key.seed)
        )
    return listed, secret


def export_keys(g: Gaio, actor: Actor, path: Path, passphrase: str) -> ExportSummary:
    """Write every private key of this installation to ``path``, encrypted (owner-only file)."""
    permissions.require_key_operator(actor, "export the signing keys")
    secret_pass = _passphrase(passphrase)
    rotation.recover(g)
    listed, secret = _collect(g)
    kdf = _Kdf(
        name="scrypt",
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        salt=base64.b64encode(secrets.token_bytes(16)).decode(),
    )
    header = Header(
        format=FORMAT,
        version=VERSION,
        created=utc_text(g.clock.now(), seconds=True),
        origin=g.settings.log_origin,
        keys=listed,
        kdf=kdf,
        cipher="AES-256-GCM",
        nonce=base64.b64encode(secrets.token_bytes(12)).decode(),
    )
    aad = canonical_json(header.model_dump(mode="json"))
    sealed = AESGCM(_derive(secret_pass, kdf)).encrypt(
        base64.b64decode(header.nonce), canonical_json(secret), aad
    )
    body = header.model_dump(mode="json") | {"ciphertext": base64.b64encode(sealed).decode()}
    _write_private(path, json.dumps(body, indent=2) + "\n")
    return ExportSummary(path=str(path), keys=listed)


def _write_private(path: Path, text: str) -> None:
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=".gaio-keys-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open(path: Path, passphrase: bytes) -> tuple[Header, dict[str, Any]]:
    try:
        if path.stat().st_size > MAX_BUNDLE:
            raise InvalidInput(f"{path}: larger than a key bundle can be ({MAX_BUNDLE} bytes)")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InvalidInput(f"{path}: not a gaio key bundle ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("ciphertext"), str):
        raise InvalidInput(f"{path}: not a gaio key bundle (no ciphertext)")
    ciphertext = data.pop("ciphertext")
    try:
        header = Header.model_validate(data)
    except ValidationError as exc:
        raise invalid_input_from(f"{path}", exc) from None
    aad = canonical_json(header.model_dump(mode="json"))
    try:
        key = _derive(passphrase, header.kdf)
        plain = AESGCM(key).decrypt(
            base64.b64decode(header.nonce, validate=True),
            base64.b64decode(ciphertext, validate=True),
            aad,
        )
    except (InvalidTag, binascii.Error, ValueError):
        raise InvalidInput(
            f"{path}: the bundle does not open: wrong passphrase, or the file was changed"
        ) from None
    return header, json.loads(plain)


class ImportSummary(BaseModel):
    version: int = 1
    installed: list[BundleKey]
    already_here: list[BundleKey]
    replaced: list[str] = Field(description="files of different keys kept in keys/replaced/")


def _check_matches(header: Header, secret: dict[str, Any]) -> list[tuple[BundleKey, Any]]:
    """Every private key must be the one its header entry names, and nothing more."""
    found: list[tuple[BundleKey, Any]] = []
    try:
        ledger = Signer.from_key(secret["ledger"])
        found.append(
            (
                BundleKey(
                    purpose="ledger",
                    public=multibase.public_key_multibase(ledger.verifier.public_key),
                ),
                ledger,
            )
        )
        if secret.get("legacy"):
            legacy = IssuerKey.from_seed(multibase.parse_private_key(secret["legacy"]))
            found.append(
                (BundleKey(purpose="legacy-issuer", public=legacy.public_multibase), legacy)
            )
        for org, items in secret["issuers"].items():
            for public, private in items.items():
                key = IssuerKey.from_seed(multibase.parse_private_key(private))
                if key.public_multibase != public:
                    raise InvalidInput(f"the issuer key {public} of {org!r} is another key")
                found.append((BundleKey(purpose="issuer", organisation=org, public=public), key))
    except (KeyError, TypeError, AttributeError):
        raise InvalidInput("the key bundle's contents are not what its format says") from None
    if sorted(k.model_dump_json() for k, _ in found) != sorted(
        k.model_dump_json() for k in header.keys
    ):
        raise InvalidInput("the key bundle's header does not list the keys it holds")
    return found


def import_keys(
    g: Gaio, actor: Actor, path: Path, passphrase: str, *, replace: bool = False
) -> ImportSummary:
    """Install the keys of a bundle; refuse to replace a different key unless ``replace``."""
    permissions.require_key_operator(actor, "import signing keys")
    header, secret = _open(path, passphrase.encode("utf-8"))
    found = _check_matches(header, secret)
    if header.origin != g.settings.log_origin:
        raise InvalidInput(
            f"{path}: the keys are for the log {header.origin!r}, this installation's log is "
            f"{g.settings.log_origin!r}: set GAIO_LOG_ORIGIN={header.origin} first"
        )
    home = g.settings.home
    plan: list[tuple[BundleKey, Path, Any]] = []
    for item, key in found:
        if item.purpose == "ledger":
            target = g.settings.key_path
        elif item.purpose == "legacy-issuer":
            target = keys.legacy_key_path(home)
        else:
            target = keys.org_key_path(home, str(item.organisation), item.public)
        plan.append((item, target, key))
    conflicts = []
    for item, target, _key in plan:
        if target.exists() and _public_of(item, target) != item.public:
            conflicts.append(str(target))
    if conflicts and not replace:
        raise Conflict(
            f"{', '.join(conflicts)} already hold other keys; import with --replace to keep "
            "them in keys/replaced/ and install the bundle's"
        )
    summary = ImportSummary(installed=[], already_here=[], replaced=[])
    stamp = utc_text(g.clock.now(), seconds=True).replace(":", "")
    for item, target, key in plan:
        if target.exists():
            if _public_of(item, target) == item.public:
                summary.already_here.append(item)
                continue
            kept = keys.keys_dir(home) / "replaced" / f"{target.stem}-{stamp}{target.suffix}"
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(kept.parent, 0o700)
            os.replace(target, kept)
            summary.replaced.append(str(kept))
        if item.purpose == "ledger":
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(target.parent, 0o700)
            ledger_key_files.write_key(target, key)
        else:
            keys.write_key_file(target, home, key)
        summary.installed.append(item)
    g.reload_keys()
    return summary


def _public_of(item: BundleKey, path: Path) -> str:
    if item.purpose == "ledger":
        signer = ledger_key_files.load_key(path)
        return multibase.public_key_multibase(signer.verifier.public_key)
    return keys.read_key_file(path, "key").public_multibase
