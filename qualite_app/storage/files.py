"""Files that hold the director's data are private: 0600 for files, 0700 for folders (POSIX).

The database holds people's contacts and the encrypted signing key; its backups and the error log
are copies of the same. Created private, and tightened when found open to others (an older version
created them with the umask, usually world-readable).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
_POSIX = sys.platform != "win32"


def tighten(path: Path, mode: int = FILE_MODE) -> None:
    """Remove group and other rights from an existing file or folder that we own; silent otherwise."""
    if not _POSIX:  # pragma: no cover - Windows: rights come from the profile folder's ACL
        return
    with contextlib.suppress(OSError):
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(st.st_mode) & ~0o077 | (mode & 0o700))


def private_dir(path: Path) -> Path:
    """Create the folder (and its parents) if needed; the folder itself is 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tighten(path, DIR_MODE)
    return path


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (SQLite then makes -wal/-shm with the same rights)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)


def ensure_private_file(path: Path) -> None:
    """An existing file is tightened; a missing one is created empty and private."""
    if path.exists():
        tighten(path)
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if extra.exists():
                tighten(extra)
    else:
        with contextlib.suppress(FileExistsError):
            create_private(path)


def append_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(text)
    tighten(path)
