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
        annuaire.save_personne(db, annuaire.PersonneData(nom="Morvan", prenom="Iris", roles=["Référente douleur"]))
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
