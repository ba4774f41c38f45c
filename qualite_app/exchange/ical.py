"""PAQSS deadlines as an iCalendar file (Outlook, Thunderbird): one all-day event per deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Deadline:
    uid: str
    jour: date
    resume: str
    description: str
    categorie: str = "PAQSS"


def write_ics(
    deadlines: list[Deadline], out: Path, *, calendrier: str = "PAQSS", now: datetime | None = None
) -> None:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Qualité & Risques//PAQSS//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendrier)
    stamp = now or datetime.now().replace(microsecond=0)
    for d in deadlines:
        ev = Event()
        ev.add("uid", d.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.jour)
        ev.add("dtend", d.jour + timedelta(days=1))
        ev.add("summary", d.resume)
        ev.add("description", d.description)
        ev.add("categories", [d.categorie])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    Path(out).write_bytes(cal.to_ical())
