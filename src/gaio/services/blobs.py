"""Content-addressed file storage under ``GAIO_HOME/evidence/sha256/ab/cdef…``.

A blob's path is its SHA-256, so the same bytes are stored once and a stored file can never
be silently replaced by other content. Writes go to a temporary file and are renamed into
place, so a crash never leaves a half-written blob under a valid name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from gaio.errors import IntegrityError, NotFound


def blob_path(root: Path, sha256: str) -> Path:
    return root / "evidence" / "sha256" / sha256[:2] / sha256[2:]


def put(root: Path, data: bytes) -> tuple[str, bool]:
    """Store ``data``; returns (sha256 hex, whether it was newly written)."""
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(root, digest)
    if path.exists():
        return digest, False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest, True


def get(root: Path, sha256: str) -> bytes:
    """The stored bytes, checked against their name."""
    path = blob_path(root, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no stored file with SHA-256 {sha256}") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityError(f"stored file {path} does not match its SHA-256 (altered on disk?)")
    return data
