"""Evidence files, stored content-addressed under ``GAIO_HOME/evidence/sha256/ab/cdef…``.

The same content always lands at the same path and is written once: to a temporary file in the
same directory, then renamed, so a reader never sees half a file. A file whose hash is not the
one its submitter declared is refused before anything is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from gaio.errors import IntegrityError, InvalidInput, NotFound

_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


def normalise_hash(value: str) -> str:
    """``sha256:<hex>`` or ``<hex>`` → lower-case hex; refuses anything else."""
    text = value.strip().lower().removeprefix("sha256:")
    if not _HEX.fullmatch(text):
        raise InvalidInput(f"--sha256: {value!r} is not a SHA-256 hex digest (64 hex digits)")
    return text


class EvidenceStore:
    def __init__(self, home: Path) -> None:
        self.root = home / "evidence" / "sha256"

    def path(self, digest: str) -> Path:
        digest = normalise_hash(digest)
        return self.root / digest[:2] / digest[2:]

    def put(self, source: Path, declared: str | None = None) -> tuple[str, int, bool]:
        """Store ``source``; returns (hex digest, size, whether it was new).

        Raises :class:`InvalidInput` (keeping nothing) if ``declared`` is not its hash.
        """
        try:
            handle = source.open("rb")
        except OSError as exc:
            raise InvalidInput(f"{source}: cannot read ({exc.strerror})") from None
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with handle, os.fdopen(fd, "wb") as out:
                while block := handle.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
                    size += len(block)
            actual = digest.hexdigest()
            if declared is not None and normalise_hash(declared) != actual:
                raise InvalidInput(
                    f"{source}: its SHA-256 is {actual}, not the declared "
                    f"{normalise_hash(declared)}; nothing was stored"
                )
            final = self.path(actual)
            final.parent.mkdir(parents=True, exist_ok=True)
            created = not final.exists()
            if created:
                os.chmod(tmp, 0o444)
                os.replace(tmp, final)
            else:
                Path(tmp).unlink()
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return actual, size, created

    def put_bytes(self, data: bytes) -> tuple[str, bool]:
        """Store ``data``; returns (hex digest, whether it was new)."""
        self.root.mkdir(parents=True, exist_ok=True)
        actual = hashlib.sha256(data).hexdigest()
        final = self.path(actual)
        if final.exists():
            return actual, False
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o444)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return actual, True

    def discard(self, digest: str) -> None:
        """Remove a file this process just stored for a change that was then refused."""
        path = self.path(digest)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: other evidence shares the prefix
            path.parent.rmdir()

    def check(self, digest: str) -> None:
        """Stream the stored file through SHA-256: NotFound if it is gone, IntegrityError if
        its content is not the one its name (its record) commits to."""
        path = self.path(digest)
        hasher = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                while block := fh.read(_CHUNK):
                    hasher.update(block)
        except FileNotFoundError:
            raise NotFound(f"the stored file {digest} is missing from {self.root}") from None
        if hasher.hexdigest() != normalise_hash(digest):
            raise IntegrityError(
                f"stored file {path} does not match its SHA-256 (altered on disk?)"
            )

    def read(self, digest: str) -> bytes:
        """The stored bytes, checked against their name (a changed file is an error)."""
        path = self.path(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no stored file with SHA-256 {digest} in {self.root}") from None
        if hashlib.sha256(data).hexdigest() != normalise_hash(digest):
            raise IntegrityError(
                f"stored file {path} does not match its SHA-256 (altered on disk?)"
            )
        return data
