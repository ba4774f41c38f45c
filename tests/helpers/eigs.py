"""An overdue EIGS for the home page's tests: a fall with serious harm known 20 days ago, classified EIGS
(its part 1 is overdue)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database


def eigs_en_retard(db: Database, faits: str, heure: int = 3) -> tuple[int, str]:
    """The event's id and its EIGS reference."""
    today = date.today()
    when = datetime.combine(today - timedelta(days=20), datetime.min.time()).replace(hour=heure)
    data = evenements.EvenementData(
        survenu_le=when, declare_le=when.date(), type_code="chute", gravite="5", faits=faits
    )
    eid = evenements.enregistrer_evenement(db, data, today=today)
    evenements.classer_eigs(db, eid, today=today)
    return eid, next(e.reference for e in evenements.echeances(db, today=today) if e.evenement_id == eid)


def cliquer_ligne(qtbot, page, titre: str) -> None:  # type: ignore[no-untyped-def]
    """Click the line ``titre`` of the home page (``AccueilPage``) as the user does: it opens its item."""
    from PySide6.QtCore import Qt

    line = next(r for r in page.alerte_rows() if r.text(0) == titre)
    page.tree.scrollToItem(line)
    qtbot.mouseClick(
        page.tree.viewport(), Qt.MouseButton.LeftButton, pos=page.tree.visualItemRect(line).center()
    )


def textes(page) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """The home page's lines as the user reads them: element, area, detail, deadline."""
    return [(r.text(0), r.text(1), r.text(2), r.text(3)) for r in page.alerte_rows()]


def puis_la_base(qtbot, w, db: Database, page, lignes, eid: int, ref: str) -> None:  # type: ignore[no-untyped-def]
    """The page shown before the base was open (``lignes``): the base attached, the same page computed again
    shows the same lines; its overdue EIGS line opens the event."""
    w.attach(db)
    assert w._pages["accueil"] is page
    qtbot.waitUntil(lambda: not page.de_memoire, timeout=15000)
    assert textes(page) == lignes
    cliquer_ligne(qtbot, page, f"EIGS {ref} — partie 1")
    assert w._pages["evenements"].current_id() == eid
