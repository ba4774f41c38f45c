"""« Aujourd'hui » without SQLAlchemy (``accueil/rapide.py``): the plans of ``formes`` run on a raw driver
connection with the statements precompiled for its dialect give exactly what the services give — the
lines for several days, with and without « mes actions », and the digest — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from qualite_app.accueil import formes, memoire, precompiler, rapide, rules
from qualite_app.accueil import services as accueil
from qualite_app.accueil.rules import Alerte, Resume
from qualite_app.paqss import services as paqss
from qualite_app.settings import Settings, os_user
from qualite_app.storage.database import Database
from tests.helpers.base import copie_a_la_revision
from tests.helpers.eigs import eigs_en_retard

DEMANDE_REGENERER = (
    "Les requêtes précompilées de l'accueil ne correspondent plus à ce que SQLAlchemy compile : une requête, "
    "un modèle ou une migration a changé. Régénérez-les avec « python -m qualite_app.accueil.precompiler » "
    "et livrez les fichiers qualite_app/accueil/requetes_<dialecte>.json modifiés."
)


@pytest.mark.parametrize("dialecte", precompiler.DIALECTES)
def test_the_shipped_statements_are_what_sqlalchemy_compiles_now(dialecte: str) -> None:
    shipped = rapide.fichier(dialecte)
    assert shipped.is_file(), DEMANDE_REGENERER
    assert shipped.read_text(encoding="utf-8") == precompiler.texte(dialecte), DEMANDE_REGENERER


def test_every_statement_a_plan_asks_for_is_precompiled() -> None:
    from qualite_app.accueil import requetes

    for dialecte in precompiler.DIALECTES:
        data = rapide.requetes(dialecte)
        assert data is not None and set(data["requetes"]) == set(requetes.STATEMENTS)


def _froid(
    db: Database, today: date, depuis: date, nom: str, sauf: tuple[str, ...] = ()
) -> tuple[list[Alerte], Resume]:
    """The cold path on ``db``: the raw SQLite file read-only (the very function of the launch), or the
    psycopg connection under the engine with the PostgreSQL statements."""
    if db.path is not None and not sauf:
        fait = rapide.calculer(str(db.path), "compte", nom, today, depuis)
        assert fait is not None
        return fait[1], fait[2]
    dialecte = "sqlite" if db.path is not None else "postgresql"
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()

        def execute(sql: str, params: tuple[Any, ...]) -> list[Any]:
            cur.execute(sql, params)
            return cur.fetchall()

        return rapide.tout(rapide.lecteur(execute, dialecte), today, depuis, nom, sauf)
    finally:
        raw.close()


def _chaud(
    db: Database, today: date, depuis: date, nom: str, sauf: str | None = None
) -> tuple[list[Alerte], Resume]:
    moi = accueil.moi(db, nom)
    return accueil.attention(db, today, moi), accueil.depuis_derniere_visite(db, depuis, sauf_auteur=sauf)


def _comme_garde(r: Resume) -> tuple[Any, ...]:
    return (r.depuis, r.total, r.complet, r.par_type, r.par_auteur)


@pytest.fixture
def riche(demo_db: Database) -> Iterator[Database]:
    """The demo establishment (late and near PAQSS actions, off-target indicators, evidence expiring
    before the visit, impératifs not met, a crisis plan due for review) and an overdue EIGS."""
    eigs_en_retard(demo_db, "Patient retrouvé au sol, fracture du col du fémur.")
    obj = paqss.objectif_choices(demo_db)[0][0]
    pilote = next(pid for pid, label in _choix(demo_db) if label.startswith("Julien ARSAC"))
    for titre, jours in (("Relancer la CREX", -3), ("Former les nouveaux arrivants", 6)):
        data = paqss.ActionData(objectif_id=obj, titre=titre, echeance=date.today() + timedelta(days=jours),
                                date_debut=date.today() - timedelta(days=90), pilote_id=pilote)  # fmt: skip
        paqss.save_action(demo_db, data, today=date.today() - timedelta(days=90))
    yield demo_db


def _choix(db: Database) -> list[tuple[int, str]]:
    from qualite_app.etablissement import annuaire

    return annuaire.choices(db)


@pytest.mark.parametrize("jours", [-60, 0, 20, 90, 200])
@pytest.mark.parametrize("nom", ["", "Julien ARSAC", "arsac julien"])
def test_the_cold_path_gives_exactly_the_services_page(riche: Database, jours: int, nom: str) -> None:
    today = date.today() + timedelta(days=jours)
    depuis = today - timedelta(days=7)
    froid, resume = _froid(riche, today, depuis, nom)
    chaud, resume_chaud = _chaud(riche, today, depuis, nom)
    assert froid == chaud
    assert _comme_garde(resume) == _comme_garde(resume_chaud)
    domaines = {a.domaine for a in chaud}
    assert {"paqss", "indicateurs"} <= domaines and (jours < 0 or "evenements" in domaines)
    if nom:
        assert any(a.moi for a in froid)  # « mes actions » read and matched by the cold path too
    if jours == 0:
        assert {"certification"} <= domaines and any(
            a.gravite == rules.RETARD and a.domaine == "evenements" for a in froid
        )
        assert resume.total > 0


def test_the_cold_digest_leaves_out_ones_own_changes_as_the_services_do(riche: Database) -> None:
    today = date.today()
    for sauf in ((), ("Utilisateur de test",), ("Utilisateur de test", "test")):
        auteur = None if not sauf else (sauf[0] if len(sauf) == 1 else f"{sauf[0]} ({sauf[1]})")
        _froid_lignes, resume = _froid(riche, today, today - timedelta(days=3), "", sauf)
        chaud = accueil.depuis_derniere_visite(riche, today - timedelta(days=3), sauf_auteur=auteur)
        assert _comme_garde(resume) == _comme_garde(chaud)


def test_more_actions_than_shown_are_counted_alike(riche: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formes, "PLAFOND_ACTIONS", 4)
    today = date.today() + timedelta(days=90)
    froid, _r = _froid(riche, today, today, "Julien ARSAC")
    chaud, _r2 = _chaud(riche, today, today, "Julien ARSAC")
    assert froid == chaud
    assert froid[0].titre.startswith("…") or any(a.item_type == "actions" for a in froid)


def _sqlite_only(db: Database) -> Path:
    if db.path is None:
        pytest.skip("le chemin rapide lit un fichier SQLite (sur le serveur : le chemin normal)")
    return Path(db.path)


def test_the_page_computed_cold_is_kept_under_the_key_read_with_it(riche: Database) -> None:
    path = _sqlite_only(riche)
    today, depuis = date.today(), date.today() - timedelta(days=7)
    fait = rapide.garder(str(path), "compte", "Julien ARSAC", today, depuis)
    assert fait is not None
    cle = memoire.cle_base(riche, "compte", "Julien ARSAC")
    assert memoire.retrouver(str(path), cle, today, depuis) == fait
    assert fait[0] == accueil.attention(riche, today, accueil.moi(riche, "Julien ARSAC"))


def test_a_base_at_another_revision_or_unreadable_is_left_to_the_normal_path(
    riche: Database, tmp_path: Path
) -> None:

    path = _sqlite_only(riche)
    today = date.today()
    assert rapide.calculer(str(tmp_path / "absente.sqlite"), "c", "", today, today) is None
    (tmp_path / "pas-une-base.sqlite").write_bytes(b"ceci n'est pas une base")
    assert rapide.calculer(str(tmp_path / "pas-une-base.sqlite"), "c", "", today, today) is None
    autre = copie_a_la_revision(path, tmp_path / "autre.sqlite", "0017_autre")
    assert rapide.calculer(str(autre), "c", "", today, today) is None
    assert rapide.calculer(str(path), "c", "", today, today) is not None


def test_the_child_process_keeps_the_page_and_writes_nothing_to_the_base(
    riche: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualite_app.accueil import enfant

    monkeypatch.setenv("QUALITE_ACCUEIL_ENFANT", "1")
    path = _sqlite_only(riche)
    today, depuis = date.today(), date.today() - timedelta(days=7)  # the preferences: no visit yet
    avant = path.read_bytes()
    memoire.fichier(str(path)).unlink(missing_ok=True)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[2]), os.environ.get("PYTHONPATH", "")]),
    )
    cmd = [sys.executable, "-m", "qualite_app", enfant.ARGUMENT, str(path), today.isoformat(), depuis.isoformat(),
           os_user(), ""]  # fmt: skip
    # its parent gone at once (stdin closed): the child ends with it, or has kept the page just before
    assert subprocess.run(cmd, env=env, input=b"", timeout=60).returncode in (0, 3)
    memoire.fichier(str(path)).unlink(missing_ok=True)
    calcul = enfant.lancer(str(path), Settings())
    assert calcul is not None and calcul.wait(timeout=60) == 0
    assert calcul.stdin is not None
    calcul.stdin.close()
    cle = memoire.cle_base(riche, os_user(), "")
    kept = memoire.retrouver(str(path), cle, today, depuis)
    assert kept is not None and kept[0] == accueil.attention(riche, today)
    assert _comme_garde(kept[1]) == _comme_garde(accueil.depuis_derniere_visite(riche, depuis))
    assert path.read_bytes() == avant
    assert enfant.lancer(str(path), Settings()) is None  # kept and current: no child at the next launch
    # a server's address, or no base: nothing to compute in advance
    assert enfant.lancer("postgresql+psycopg://x@127.0.0.1:1/y", Settings()) is None
    assert enfant.lancer(str(path.with_name("absente.sqlite")), Settings()) is None


def test_a_base_whose_path_has_uri_characters_is_read_too(riche: Database, tmp_path: Path) -> None:
    path = _sqlite_only(riche)
    autre = tmp_path / "dossier ?#%x" / "base é.sqlite"
    autre.parent.mkdir()
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(autre)) as dst:
        src.backup(dst)  # with what the open base still holds in its WAL
    today = date.today()
    fait = rapide.calculer(str(autre), "c", "", today, today)
    assert fait is not None and fait[1] == accueil.attention(riche, today)


def test_the_imperatifs_not_met_are_the_readiness_synthesis_ones(demo_db: Database) -> None:
    """The home page reads only what the roll-up needs of a campaign (``scores.imperatifs_queries``): the same
    criteria as the readiness page's synthesis, in the same order."""
    from qualite_app.certification import campagnes, scores
    from qualite_app.certification import rules as cert_rules

    camps = campagnes.campagnes(demo_db)
    assert camps
    seen = 0
    for camp in camps:
        seuils_q, noeuds_q, reponses_q = scores.imperatifs_queries(camp.id)
        with demo_db.engine.connect() as conn:
            seuils = conn.execute(seuils_q).scalar_one()
            noeuds = [tuple(r) for r in conn.execute(noeuds_q)]
            reponses = [tuple(r) for r in conn.execute(reponses_q)]
        attendu = [(c.id, c.ref, c.titre) for c in scores.synthese(demo_db, camp.id).imperatifs_non_atteints]
        assert cert_rules.imperatifs_non_atteints(seuils, noeuds, reponses) == attendu
        seen += len(attendu)
    assert seen > 0


def test_the_child_is_wanted_on_two_cores_or_more_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    from qualite_app.accueil import enfant

    monkeypatch.delenv("QUALITE_ACCUEIL_ENFANT", raising=False)
    for cores, wanted in ((1, False), (None, False), (2, True), (8, True)):
        monkeypatch.setattr(enfant.os, "cpu_count", lambda c=cores: c)
        assert enfant.demande() is wanted
    monkeypatch.setenv("QUALITE_ACCUEIL_ENFANT", "0")
    assert enfant.demande() is False
    monkeypatch.setattr(enfant.os, "cpu_count", lambda: 1)
    monkeypatch.setenv("QUALITE_ACCUEIL_ENFANT", "1")
    assert enfant.demande() is True
