"""The Indicateurs table models on their own: Qt's model checker, and their rows read (and written) without any view."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from qualite_app.gui.context import AppContext, ChangeBus
from qualite_app.gui.indicateurs.liste import LIST_COLUMNS, IndicateursModel
from qualite_app.gui.indicateurs.resultats import COLUMNS, MesuresModel
from qualite_app.indicateurs import demo as demo_ind
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes
from qualite_app.settings import Settings
from qualite_app.storage.database import Database

CAL = demo_ind.calendrier(date.today())
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole


def ctx_for(db: Database) -> AppContext:
    return AppContext(db, ChangeBus(), Settings())


def mesures_model(db: Database, code: str) -> MesuresModel:
    model = MesuresModel(ctx_for(db))
    model.load(svc.indicateur_id(db, code))
    return model


#: the C++ model tester reports its failures as Qt warnings (« FAIL! … »): they fail the test
strict_tester = pytest.mark.qt_log_level_fail("WARNING")


# --- the list of indicators ---------------------------------------------------------------------------
@strict_tester
def test_indicateurs_model_passes_qt_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = IndicateursModel()
    qtmodeltester.check(model)  # empty
    model.set_rows(svc.list_indicateurs(demo_db))
    qtmodeltester.check(model)
    model.set_rows(svc.list_indicateurs(demo_db, "chutes"))  # a reset to fewer rows
    qtmodeltester.check(model)


def test_indicateurs_model_rows_without_widgets(demo_db: Database) -> None:
    rows = svc.list_indicateurs(demo_db)
    model = IndicateursModel()
    assert model.rowCount() == 0
    model.set_rows(rows)
    assert (model.rowCount(), model.columnCount()) == (len(rows), len(LIST_COLUMNS))
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:2] == ["Code", "Libellé"] and headers[7] == "Résultats"
    k = next(i for i, r in enumerate(rows) if r.code == "CHUTES")
    cell = {key: model.data(model.index(k, c)) for c, (key, _label) in enumerate(LIST_COLUMNS)}
    assert cell["code"] == "CHUTES"
    assert cell["secteur"] == "MCO"
    assert cell["sens"] == "↓ baisse"  # shown as words, not the stored code
    assert cell["periodicite"] == periodes.PERIODICITES["mensuelle"]
    assert cell["nb_resultats"] == rows[k].nb_resultats > 0
    assert cell["derniere_periode"] == periodes.from_code(rows[k].derniere_periode).libelle
    assert model.data(model.index(k, 0), Qt.ItemDataRole.UserRole) == svc.indicateur_id(demo_db, "CHUTES")
    assert model.data(model.index(k, 0), Qt.ItemDataRole.ForegroundRole) is None  # followed: normal colour


def test_indicateurs_model_greys_unfollowed_rows(demo_db: Database) -> None:
    data = svc.get_indicateur(demo_db, svc.indicateur_id(demo_db, "CHUTES"))
    data.suivi = False
    svc.save_indicateur(demo_db, data)
    model = IndicateursModel()
    model.set_rows(svc.list_indicateurs(demo_db, "CHUTES"))
    assert model.rowCount() == 1
    colour = model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor) and colour.name() == "#8a94a3"


# --- the results grid ---------------------------------------------------------------------------------
@strict_tester
def test_mesures_model_passes_qt_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = MesuresModel(ctx_for(demo_db))
    qtmodeltester.check(model)  # no indicator yet: only the row to type a new result
    model.load(svc.indicateur_id(demo_db, "CHUTES"))
    qtmodeltester.check(model)
    model.load(svc.indicateur_id(demo_db, "ESATIS48H-MCO"))  # yearly, few results
    qtmodeltester.check(model)


def test_mesures_model_rows_without_widgets(demo_db: Database) -> None:
    model = mesures_model(demo_db, "CHUTES")
    stored = svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "CHUTES"))
    n = len(stored)
    assert n > 24
    assert (model.rowCount(), model.columnCount()) == (n + 1, len(COLUMNS))  # + the row to type a new result
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(n, Qt.Orientation.Vertical) == "*" and model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Période", "Numérateur", "Dénominateur"]
    last = stored[-1]
    assert model.data(model.index(n - 1, 0)) == last.periode_libelle  # the period's label, not its code
    assert model.data(model.index(n - 1, 0), EDIT) == last.periode
    assert last.valeur is not None
    assert model.data(model.index(n - 1, 3)) == svc.fr(last.valeur, 2).rstrip("0").rstrip(",")  # decimal comma
    assert model.data(model.index(n - 1, 3), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.data(model.index(n, 3)) == ""  # the new row is empty
    assert model.data(QModelIndex()) is None
    # the period of a stored result is its identity; everything else, and the new row, can be typed
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(n, 0)) & Qt.ItemFlag.ItemIsEditable


def test_mesures_model_typing_saves_through_the_service(qapp, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    """A value typed on the new row takes the next period and is stored at once (one service call)."""
    model = mesures_model(demo_db, "PLAINTES")
    iid = svc.indicateur_id(demo_db, "PLAINTES")
    n = len(model.rows)
    suivante = periodes.from_code(model.rows[-1]["periode"]).suivante()
    assert model.setData(model.index(n, 3), "7,5", EDIT)
    qapp.processEvents()  # the model re-reads once the (absent) editor would have closed
    assert len(model.rows) == n + 1 and model.rowCount() == n + 2
    assert model.rows[-1]["periode"] == suivante.code and model.rows[-1]["valeur"] == 7.5
    stored = {m.periode: m for m in svc.list_mesures(demo_db, iid)}
    assert stored[suivante.code].valeur == 7.5 and stored[suivante.code].source == "Saisie"
    # « DI » typed in the value column becomes the status: the row keeps no value to plot
    assert model.setData(model.index(n, 3), "di", EDIT)
    qapp.processEvents()
    assert svc.list_mesures(demo_db, iid)[-1].statut == "DI"
    assert model.data(model.index(n, 5), Qt.ItemDataRole.ToolTipRole) == svc.STATUTS["DI"]


def test_mesures_model_keeps_a_typed_period_until_a_value_comes(demo_db: Database) -> None:
    model = mesures_model(demo_db, "PLAINTES")
    n = len(model.rows)
    before = len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "PLAINTES")))
    code = periodes.from_code(model.rows[-1]["periode"]).suivante().suivante().code
    assert model.setData(model.index(n, 0), code, EDIT)
    assert model.pending == {"periode": code} and model.data(model.index(n, 0)) == code
    assert len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "PLAINTES"))) == before  # nothing written yet


@pytest.mark.parametrize("text", ["abc", "1e999"])
def test_mesures_model_refuses_what_is_not_a_number(demo_db: Database, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    shown: list[str] = []
    monkeypatch.setattr("qualite_app.gui.indicateurs.resultats.show_error", lambda _parent, exc: shown.append(str(exc)))
    model = mesures_model(demo_db, "PLAINTES")
    n = len(model.rows)
    assert not model.setData(model.index(n, 3), text, EDIT)
    assert len(shown) == 1 and "nombre" in shown[0]
    assert len(model.rows) == n
