"""The reports register's demo: one signed note, with the demonstration identity."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from qualite_app.demo import Summary


def demo_step(s: Session, today: date) -> Summary | None:
    from qualite_app.rapports import services

    return services.demo_step(s)
