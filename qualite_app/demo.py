"""The fictional demo establishment, built by the areas' demo steps in one transaction.

Every name, number and address is invented. Each area of ``AREAS`` may declare a demo step; they run
in the order of ``AREAS`` (an area names the ones whose data it needs with ``demo_after``). A step
tells what it did by returning a *summary*: a function that counts what the base holds, called once
every step has run (a later step may add to an earlier one's tables: never a number kept by hand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from qualite_app.storage.database import Database

#: a step's report: a summary counted from the base after all steps, or a fixed line
Summary = Callable[["Session"], str] | str


@dataclass
class DemoReport:
    steps: list[str] = field(default_factory=list)


def load_demo(db: Database, today: date | None = None) -> DemoReport:
    """Create or complete the demo establishment in one transaction. Its dated data (indicator series,
    PAQSS deadlines) are placed relative to ``today`` (default: the real day)."""
    from qualite_app.areas import demo_steps

    today = today or date.today()
    report = DemoReport()
    with db.unit_of_work() as s:
        done: list[Summary] = []
        for step in demo_steps():
            summary = step(s, today)
            if summary:
                done.extend(summary if isinstance(summary, list) else [summary])
                s.flush()
        # counted only now: a later step may add rows to an earlier step's tables
        report.steps = [line if isinstance(line, str) else line(s) for line in done]
    return report


def is_empty(db: Database) -> bool:
    from qualite_app.etablissement import identite

    return identite.get(db) is None
