"""Pages redraw from what a transaction wrote (its ChangeSet), whoever wrote it and from whatever thread:
no call site announces anything by hand."""

from __future__ import annotations

import os
import threading

import pytest

from qualite_app.etablissement import annuaire


def test_a_write_from_a_worker_thread_reaches_the_history_page(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    page = main_window.page("historique")
    db = main_window.ctx.db
    done = threading.Event()

    def work() -> None:
        annuaire.save_personne(
            db, annuaire.PersonneData(nom="Morvan", prenom="Iris", roles=["Référente douleur"])
        )
        done.set()

    threading.Thread(target=work).start()
    assert done.wait(10)
    def newest() -> list[str]:  # the list shows the latest lines first (at most 5,000 of them)
        return [page.model.index(r, 4).data() or "" for r in range(min(5, page.model.rowCount()))]

    qtbot.waitUntil(lambda: any("Morvan" in s for s in newest()), timeout=5000)


def test_a_service_call_with_no_announce_refreshes_the_directory(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    page = main_window.page("etablissement")
    directory = page._tab("annuaire") if hasattr(page, "_tab") else page
    model = directory.model
    before = model.rowCount()
    annuaire.save_personne(main_window.ctx.db, annuaire.PersonneData(nom="Quéméner", prenom="Yann"))
    qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=5000)


def test_no_gui_code_announces_a_change_by_hand() -> None:
    """Every write goes through ``run_write``/``run_background`` and its ChangeSet: no ``announce(…)``,
    no ``changes=`` left anywhere in the GUI."""
    import ast
    from pathlib import Path

    import qualite_app.gui

    found = []
    for path in Path(qualite_app.gui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Attribute) and node.func.attr == "announce":
                    found.append(f"{path.name}:{node.lineno} announce")
                found += [f"{path.name}:{node.lineno} changes=" for k in node.keywords if k.arg == "changes"]
    assert found == []


@pytest.mark.skipif(not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)")
def test_a_colleagues_save_on_the_server_redraws_my_directory(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Team mode: another user's commit (another connection, another program) reaches this window's pages."""
    from qualite_app.storage.database import Actor, Database

    page = main_window.page("etablissement")
    model = page._tab("annuaire").model if hasattr(page, "_tab") else page.annuaire.model
    before = model.rowCount()
    with Database.open(main_window.ctx.db.location, actor=Actor("jarsac", "Julien ARSAC")) as colleague:
        annuaire.save_personne(colleague, annuaire.PersonneData(nom="LE GOFF", prenom="Maëlle"))
    qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=10000)
