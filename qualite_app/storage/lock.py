"""One instance per database file, whatever the path it is reached by.

POSIX: an ``flock`` on the database file itself. The lock belongs to the file (device + inode), so a
hard link, a symbolic link or another spelling of the path meets the same lock; the OS releases it
if the process dies. ``flock`` and SQLite's own byte-range (``fcntl``) locks do not interact on
local file systems. Windows: an exclusive lock on ``<base>.verrou`` (a hard link there is rare and
the file ID is not reachable without win32 calls).

Written here rather than with the ``filelock`` package, whose import (asyncio and friends) cost about a
tenth of the application's start-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class InstanceLock:
    def __init__(self, path: Path) -> None:
        """``path`` is the file to lock: the database itself on POSIX (see ``for_database``)."""
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_database(cls, db_file: Path) -> InstanceLock:
        if sys.platform == "win32":  # pragma: no cover - Windows
            return cls(db_file.with_name(db_file.name + ".verrou"))
        return cls(db_file)

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another one does."""
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                os.close(fd)
                return False
        else:
            import fcntl

            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        if not self.acquire():
            raise BlockingIOError(f"{self.path} est verrouillé")
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
