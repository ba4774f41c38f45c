"""Typed user preferences, stored as JSON in the user config folder."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qualite_app import paths

MAX_RECENT = 8


@dataclass
class Settings:
    display_name: str = ""
    recent_databases: list[str] = field(default_factory=list)
    last_database: str = ""
    ui_state: dict[str, object] = field(default_factory=dict)

    @staticmethod
    def file() -> Path:
        return paths.user_config_dir() / "preferences.json"

    @classmethod
    def load(cls) -> Settings:
        f = cls.file()
        try:
            raw = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self) -> None:
        f = self.file()
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(f)

    def add_recent(self, path: str) -> None:
        rec = [p for p in self.recent_databases if p != path]
        rec.insert(0, path)
        self.recent_databases = rec[:MAX_RECENT]
        self.last_database = path


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "inconnu"
