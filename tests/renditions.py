"""Render a shipped record as PDF or DOCX with LibreOffice, to test the other loaders on the
same words the text loader reads.

Each call may name its own LibreOffice profile folder: two soffice processes sharing one
profile (the user's default) block or fail, so parallel test runs would clash.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Literal

SYSTEM_DEPS_HINT = "run `make system-deps` (installs LibreOffice and a CJK font)"


class RenditionError(RuntimeError):
    """LibreOffice is missing or could not convert a file."""


def soffice() -> str:
    """The LibreOffice binary, or an error telling the developer how to install it."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RenditionError(f"LibreOffice (soffice) is not installed: {SYSTEM_DEPS_HINT}")
    return binary


def render(
    src: Path,
    fmt: Literal["pdf", "docx"],
    out_dir: Path,
    *,
    profile_dir: Path | None = None,
    timeout: float = 180,
) -> Path:
    """Convert `src` to `fmt` in `out_dir` and return the new file's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (profile_dir or out_dir / ".lo-profile").resolve()
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if src.suffix.lower() in (".txt", ".text"):
        command.append("--infilter=Text (encoded):UTF8")  # not the locale's encoding
    command += ["--convert-to", fmt, "--outdir", str(out_dir), str(src)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise RenditionError(f"soffice took over {timeout:.0f} s to convert {src.name}") from exc
    target = out_dir / f"{src.stem}.{fmt}"
    if done.returncode != 0 or not target.is_file():
        raise RenditionError(
            f"soffice could not convert {src.name} to {fmt} (exit {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-500:]}; {SYSTEM_DEPS_HINT}"
        )
    return target
