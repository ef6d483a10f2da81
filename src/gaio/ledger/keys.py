"""The observatory's ledger signing key, kept in the data directory with owner-only access."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gaio.errors import ConfigurationError, IntegrityError
from gaio.ledger.note import Signer


def create_key(path: Path, name: str) -> Signer:
    """Create the key at ``path`` (mode 0600, directory 0700) unless it exists; return it."""
    if path.exists():
        return load_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    signer = Signer.generate(name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(signer.signer_key() + "\n")
    return signer


def load_key(path: Path) -> Signer:
    """Load the signing key; refuse one that others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigurationError(
            f"no ledger signing key at {path}: run 'gaio init' to create one"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise IntegrityError(
            f"the ledger signing key {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
            "run 'chmod 600' on it"
        )
    return Signer.from_key(path.read_text(encoding="ascii").strip())


def next_key_path(path: Path) -> Path:
    """Where a rotation stages the new key until the rotation is committed."""
    return path.with_name(path.name + ".next")


def write_next_key(path: Path, signer: Signer) -> Path:
    """Stage ``signer`` beside the current key (owner-only, never over an existing file)."""
    staged = next_key_path(path)
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(signer.signer_key() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return staged


def promote_next_key(path: Path) -> None:
    """Make the staged key the current one (an atomic rename)."""
    os.replace(next_key_path(path), path)


def write_key(path: Path, signer: Signer) -> None:
    """Install ``signer`` as the key at ``path`` atomically (used by an import of keys)."""
    write_next_key(path, signer)
    promote_next_key(path)
