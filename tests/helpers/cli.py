"""Helpers for the end-to-end tests: the ``qualite`` program run as a user runs it (a subprocess)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def qualite_command() -> list[str]:
    """The ``qualite`` script of the running environment, else ``python -m qualite_app`` (same ``main``)."""
    script = Path(sys.executable).with_name("qualite")
    return [str(script)] if script.exists() else [sys.executable, "-m", "qualite_app"]


def run(
    args: Sequence[str],
    *,
    command: Sequence[str] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ if env is None else env)
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [*(command or qualite_command()), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def table_checksum(path: Path, *, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 of every row of every table (order-independent): the *content* of a database file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        assert tables, f"{path} has no table"
        for t in tables:
            if t in skip:
                continue
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            h.update(f"{t}:{len(rows)}\n".encode())
            for r in rows:
                h.update(r.encode() + b"\n")
        return h.hexdigest()
    finally:
        con.close()
