"""API keys come from the environment or from a key file that only its owner can read;
never from the config file, which is shared and copied around."""

from __future__ import annotations

import stat
from pathlib import Path

# What `config show` prints instead of a key (pydantic's own rendering of a SecretStr).
REDACTED = "**********"


def read_key_file(path: Path) -> str:
    """The key in `path`; ValueError (settings validation) saying what to fix."""
    path = path.expanduser()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"cannot read the key file {path} ({exc.strerror})") from exc
    if mode & 0o077:
        raise ValueError(f"the key file {path} can be read by others (mode {mode:04o}): "
                         f"run `chmod 600 {path}`")
    if not text:
        raise ValueError(f"the key file {path} is empty")
    return text
