"""Pages redraw from what a transaction wrote (its ChangeSet), whoever wrote it and from whatever thread:
no call site announces anything by hand."""

from __future__ import annotations

import threading

from qualite_app.etablissement import annuaire


def test_a_write_from_a_worker_thread_reaches_the_history_page(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    page = main_window.page("historique")
    before = page.model.rowCount()
    db = main_window.ctx.db
    done = threading.Event()

    def work() -> None:
        annuaire.save_personne(
            db, annuaire.PersonneData(nom="Morvan", prenom="Iris", roles=["Référente douleur"])
        )
        done.set()

    threading.Thread(target=work).start()
    assert done.wait(10)
    qtbot.waitUntil(lambda: page.model.rowCount() > before, timeout=5000)
    shown = [page.model.index(r, 4).data() for r in range(min(5, page.model.rowCount()))]
    assert any("Morvan" in (s or "") for s in shown)


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
