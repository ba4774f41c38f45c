"""PAQSS import (messy real-world workbook, all or nothing, idempotent) and exports (xlsx, csv, ics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.paqss import echanges as ex
from qualite_app.paqss import services as paqss
from qualite_app.paqss.models import PaqssAction
from qualite_app.storage.database import Database
from tests.helpers.classeurs import messy_workbook


def _count(db: Database) -> int:
    with db.session() as s:
        return s.query(PaqssAction).count()


def test_messy_workbook_preview_commit_and_reimport(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    f = messy_workbook(tmp_path / "paqss.xlsx")
    pv = ex.preview_import(db, f)
    assert pv.headers[5:7] == ["Échéance prévue", "Échéance révisée"]
    assert [(r.ligne, r.colonne, r.valeur) for r in pv.refus] == [(9, "Échéance prévue", "31/02/2026")]
    assert "n'est pas une date valide" in pv.refus[0].motif
    assert [r.ligne for r in pv.lignes] == [5, 7, 8, 11]
    assert pv.personnes_inconnues == ["Zébulon INCONNU"]
    assert _count(db) == 0  # the preview writes nothing

    res = ex.commit_import(db, pv, ignorer_erreurs=True, today=date(2026, 6, 15))
    assert (res.creees, res.mises_a_jour, res.personnes_creees) == (4, 0, 1)
    rows = {r.reference: r for r in paqss.list_actions(db)}
    assert set(rows) == {"PAQ-001", "PAQ-002", "PAQ-003", "PAQSS-2026-001"}
    a1 = paqss.get_action(db, rows["PAQ-001"].id)
    assert (a1.titre, a1.echeance, a1.avancement, a1.statut) == (
        "Former les internes à la déclaration",
        date(2026, 3, 15),
        50,
        "en_cours",
    )
    assert a1.pilote_id == structure["medecin"]
    a2 = paqss.get_action(db, rows["PAQ-002"].id)
    assert (a2.echeance, a2.avancement, a2.pilote_id, a2.copilote_id) == (
        date(2026, 6, 30),
        50,
        structure["medecin"],
        structure["admin"],
    )
    a3 = paqss.get_action(db, rows["PAQ-003"].id)
    assert (a3.statut, a3.echeance_revisee, a3.motif_statut) == (
        "reportee",
        date(2026, 12, 31),
        ex.MOTIF_IMPORT,
    )
    assert rows["PAQ-003"].pilote == "Zébulon INCONNU"
    done = paqss.get_action(db, rows["PAQSS-2026-001"].id)
    assert (done.statut, done.avancement) == ("realisee", 100)
    axes = [a.titre for a in paqss.tree(db)[0].axes]
    assert axes == ["Culture de sécurité", "Médicament"]

    again = ex.preview_import(db, f)
    assert (
        again.creations == 0 and again.mises_a_jour == 4
    )  # the row without reference is matched by its title — in the preview too (issue 8, point 5)
    res2 = ex.commit_import(db, again, ignorer_erreurs=True, today=date(2026, 6, 15))
    assert (res2.creees, res2.personnes_creees) == (0, 0)
    assert _count(db) == 4


def test_not_a_workbook_is_refused_and_nothing_changes(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    bad = tmp_path / "faux.xlsx"
    bad.write_bytes(b"\x00\x01 ceci n'est pas un classeur " * 50)
    with pytest.raises(UserError, match="n'est pas un classeur Excel"):
        ex.preview_import(db, bad)
    txt = tmp_path / "notes.csv"
    txt.write_text("bonjour\nrien à voir\n", encoding="utf-8")
    with pytest.raises(UserError, match="Aucune ligne d'en-têtes"):
        ex.preview_import(db, txt)
    assert _count(db) == 0


def test_commit_is_all_or_nothing(db: Database, structure: dict[str, int], tmp_path: Path) -> None:
    pv = ex.preview_import(db, messy_workbook(tmp_path / "p.xlsx"))
    calls = []

    def boom(done: int, total: int) -> None:
        calls.append(done)
        if done >= 2:
            raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        ex.commit_import(db, pv, ignorer_erreurs=True, progress=lambda d, t: boom(d + 2, t))
    assert _count(db) == 0
    assert calls
    assert [a.titre for a in paqss.tree(db)[0].axes] == [
        "Culture de sécurité"
    ]  # axes created on the way are gone too
    assert paqss_people(db) == 2


def paqss_people(db: Database) -> int:
    from qualite_app.etablissement import annuaire

    return annuaire.count(db)


def _with_team(db: Database) -> tuple[int, str, str]:
    """Give the first action two extra co-pilots and two extra services; return (id, names, services)."""
    from qualite_app.etablissement import annuaire

    d = paqss.get_action(db, paqss.list_actions(db)[0].id)
    people = [i for i, _n in annuaire.choices(db) if i not in (d.pilote_id, d.copilote_id)][:2]
    services = [i for i, _n in paqss.service_choices(db) if i != d.service_id][:2]
    d.autres_copilotes, d.autres_services = people, services
    assert d.id is not None
    paqss.save_action(db, d, confirme=True)
    rec = next(r for r in ex.records(db) if r["id"] == d.id)
    return d.id, rec["autres_copilotes"], rec["autres_services"]


def test_export_reimport_round_trip_keeps_every_field(demo_db: Database, tmp_path: Path) -> None:
    aid, names, services = _with_team(demo_db)
    assert names.count("; ") == 1 and services.count("; ") == 1  # one cell each, « A; B »
    before = ex.records(demo_db)
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"paqss.{fmt}"
        assert ex.export(demo_db, fmt, out) == len(before)
        d = paqss.get_action(demo_db, aid)
        d.autres_copilotes, d.autres_services = [], []  # forgotten in the database: the file brings them back
        paqss.save_action(demo_db, d, confirme=True)
        pv = ex.preview_import(demo_db, out)
        assert pv.refus == [] and pv.personnes_inconnues == [] and pv.services_inconnus == []
        assert pv.creations == 0
        ex.commit_import(demo_db, pv)
        assert ex.records(demo_db) == before


def test_import_creates_an_action_with_its_extra_copilots_and_services(
    demo_db: Database, tmp_path: Path
) -> None:
    aid, names, services = _with_team(demo_db)
    out = tmp_path / "paqss.xlsx"
    ex.export(demo_db, "xlsx", out)
    ref = paqss.get_action(demo_db, aid).reference
    paqss.delete_action(demo_db, aid)
    pv = ex.preview_import(demo_db, out)
    assert pv.creations == 1
    ex.commit_import(demo_db, pv)
    rec = next(r for r in ex.records(demo_db) if r["reference"] == ref)
    assert (rec["autres_copilotes"], rec["autres_services"]) == (names, services)
    new_id = rec["id"]
    person = paqss.get_action(demo_db, new_id).autres_copilotes[0]
    assert new_id in {r.id for r in paqss.list_actions(demo_db, paqss.ActionFilter(pilote_id=person))}
    kinds = {(j.action, j.entite_type) for j in paqss.journal(demo_db, new_id)}
    assert ("création", "Copilote d'action PAQSS") in kinds and (
        "création",
        "Service d'action PAQSS",
    ) in kinds


def test_an_import_that_changes_only_the_team_makes_an_open_form_conflict(demo_db: Database, tmp_path: Path) -> None:
    """The form writes the action as it read it (``ActionData.lu``) while its version has not moved: an import that
    changes its team alone moves it too, so the form is told rather than saving a team it no longer shows."""
    from qualite_app.errors import ConflitEdition

    aid, _names, _services = _with_team(demo_db)
    out = tmp_path / "paqss.xlsx"
    ex.export(demo_db, "xlsx", out)
    d = paqss.get_action(demo_db, aid)
    d.autres_copilotes, d.autres_services = [], []
    paqss.save_action(demo_db, d, confirme=True)
    ouverte = paqss.get_action(demo_db, aid)
    ex.commit_import(demo_db, ex.preview_import(demo_db, out))  # the team of the file comes back, nothing else
    assert len(paqss.get_action(demo_db, aid).autres_copilotes) == 2
    ouverte.avancement = (ouverte.avancement + 5) % 100
    with pytest.raises(ConflitEdition):
        paqss.save_action(demo_db, ouverte, confirme=True)


def test_xlsx_export_has_real_dates_filter_and_frozen_header(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "par-axe.xlsx"
    ex.export(demo_db, "xlsx", out, par_axe=True)
    wb = load_workbook(out)
    assert len(wb.sheetnames) == len(paqss.tree(demo_db)[0].axes)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    heads = [c.value for c in ws[1]]
    col = heads.index("Échéance") + 1
    assert isinstance(ws.cell(2, col).value, __import__("datetime").datetime)
    assert isinstance(ws.cell(2, heads.index("Avancement (%)") + 1).value, int)


def test_filtered_export_and_ics(demo_db: Database, tmp_path: Path) -> None:
    from icalendar import Calendar

    flt = paqss.ActionFilter(echeance="en_retard")
    late = paqss.list_actions(demo_db, flt)
    out = tmp_path / "retard.csv"
    assert ex.export(demo_db, "csv", out, flt) == len(late)
    ics = tmp_path / "echeances.ics"
    n = ex.export(demo_db, "ics", ics)
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == n
    with_due = [r for r in paqss.list_actions(demo_db) if r.echeance_effective]
    action_events = [e for e in events if "jalon" not in str(e["uid"])]
    assert len(action_events) == len(with_due)
    assert len({str(e["uid"]) for e in events}) == n  # one event per deadline, stable unique ids
    first = min(with_due, key=lambda r: (r.echeance_effective, r.reference))
    ev = next(e for e in events if str(e["uid"]) == f"{first.reference}@paqss.qualite-app")
    assert ev.decoded("dtstart") == first.echeance_effective
    assert first.reference in str(ev["summary"])


def test_bulk_import_is_journaled_like_the_editor(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    from qualite_app.socle import journal

    ex.commit_import(db, ex.preview_import(db, messy_workbook(tmp_path / "p.xlsx")), ignorer_erreurs=True)
    aid = next(r.id for r in paqss.list_actions(db) if r.reference == "PAQ-001")
    (line,) = journal.list_entries(db, entite_table="paqss_action", entite_id=aid)  # one « création » line
    assert line.action == "création" and line.champ == ""
    fields = set(line.nouvelle_valeur.split(" · "))
    assert "Intitulé : Former les internes à la déclaration" in fields
    assert "Échéance : 15/03/2026" in fields
    assert "Pilote : Hélène BRÉVANNE" in fields  # a person, not a number
    assert "Objectif : A1.1 Déclarer les EI" in fields
