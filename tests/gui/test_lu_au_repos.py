"""A page's first display takes the reads its ``prechauffer`` ran in idle time (``gui.pages.au_repos`` and
``lu``) — only when the base is as it was then: after one change, it reads again and shows the change."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import pytest

from qualite_app.certification import campagnes, scores
from qualite_app.gui import pages
from qualite_app.paqss import services as paqss
from qualite_app.paqss.services import liste


def _counted(monkeypatch: pytest.MonkeyPatch, calls: Counter[str], module: Any, name: str) -> None:
    fn = getattr(module, name)

    @functools.wraps(fn)
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return fn(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


@pytest.fixture
def calls(main_window, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:  # type: ignore[no-untyped-def]
    main_window._prechauffage.timer.stop()  # the window's own warm-up stays out of the counts
    pages._LU_AU_REPOS.clear()
    seen: Counter[str] = Counter()
    for module, name in ((liste, "action_rows"), (paqss, "summary"), (paqss, "tree"),
                         (campagnes, "grille"), (campagnes, "campagnes"), (campagnes, "sessions"),
                         (scores, "synthese")):  # fmt: skip
        _counted(monkeypatch, seen, module, name)
    return seen


def _titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.model.rows[r].titre for r in range(page.model.rowCount())]


def test_paqss_first_display_shows_what_was_read_in_idle_time(main_window, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.paqss.page import PaqssPage

    PaqssPage.prechauffer(demo_db)
    assert calls == Counter(action_rows=1, summary=1, tree=1)
    page = main_window.page("paqss")
    assert calls == Counter(action_rows=1, summary=1, tree=1)  # nothing read again
    assert not pages._LU_AU_REPOS  # taken once: the next display reads
    first = paqss.ActionFilter(programme_id=page.current_filter().programme_id)
    assert _titles(page) == [r.titre for r in liste.action_rows(demo_db, first, limit=page.model.rowCount())]
    assert page.strip_retard.text() == f"En retard : {paqss.summary(demo_db, first.programme_id).en_retard}"


def test_paqss_first_display_reads_again_after_a_change(main_window, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.paqss.page import PaqssPage

    PaqssPage.prechauffer(demo_db)
    aid = liste.action_rows(demo_db, paqss.ActionFilter(), limit=1)[0].id
    data = paqss.get_action(demo_db, aid)
    data.titre = "Titre changé après la lecture au repos"
    paqss.save_action(demo_db, data, confirme=True)
    calls.clear()
    page = main_window.page("paqss")
    assert calls["action_rows"] >= 1 and calls["summary"] == 1 and calls["tree"] == 1
    assert "Titre changé après la lecture au repos" in _titles(page)


def test_certification_first_display_takes_the_idle_reads_unless_changed(main_window, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.certification.campagnes import Reponse
    from qualite_app.gui.certification.page import CertificationPage

    (cid, *_) = [c.id for c in campagnes.campagnes(demo_db)]
    calls.clear()
    CertificationPage.prechauffer(demo_db)
    lues = Counter(grille=1, synthese=1, campagnes=1, sessions=1)
    assert calls == lues
    page = main_window.page("certification")
    assert calls == lues  # nothing read again
    rows = campagnes.grille(demo_db, cid)
    assert [r.noeud_id for r in page.autoeval.model.rows] == [r.noeud_id for r in rows]
    # read in idle time, then an answer given: the page shows the answer
    pages._LU_AU_REPOS.clear()
    CertificationPage.prechauffer(demo_db)
    vide = next(r for r in rows if r.valeur is None)
    campagnes.repondre(demo_db, cid, vide.noeud_id, Reponse("conforme"))
    calls.clear()
    page.reload()
    shown = next(r for r in page.autoeval.model.rows if r.noeud_id == vide.noeud_id)
    assert shown.valeur == "conforme" and calls == lues
