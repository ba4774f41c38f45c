"""« Aujourd'hui » kept from one launch to the next (``accueil/memoire.py``): found only under exactly the
key it was computed under (journal's tip, schema revision, version, user), for its date and the digest's
start date; anything unreadable is no content."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from qualite_app.accueil import memoire
from qualite_app.accueil import services as accueil
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue

TODAY = date(2026, 6, 15)


def _garder(db: Database, cle: memoire.Cle | None) -> tuple[list, object]:
    lignes = accueil.attention(db, TODAY)
    resume = accueil.depuis_derniere_visite(db, TODAY - timedelta(days=3))
    memoire.garder(db.location, cle, {TODAY: lignes}, {TODAY - timedelta(days=3): resume}, TODAY)
    return lignes, resume


def test_found_under_its_own_key_date_and_start_of_the_digest(
    base: Database, eigs: Callable[..., int]
) -> None:
    eigs(datetime(2026, 5, 20, 10, 0))
    cle = memoire.cle_base(base, "moi", "Julien Arsac")
    assert cle is not None and cle["journal"] is not None and cle["revision"]
    lignes, resume = _garder(base, cle)
    assert lignes and any(a.item_type == "evenement" for a in lignes)
    found = memoire.retrouver(base.location, cle, TODAY, TODAY - timedelta(days=3))
    assert found is not None
    assert found[0] == lignes  # the same lines, dates and ids included
    assert found[1].total == resume.total and found[1].par_type == resume.par_type  # type: ignore[attr-defined]
    # another date, another start of the digest, another user: nothing
    assert memoire.retrouver(base.location, cle, TODAY + timedelta(days=1), TODAY - timedelta(days=3)) is None
    assert memoire.retrouver(base.location, cle, TODAY, TODAY - timedelta(days=2)) is None
    assert (
        memoire.retrouver(
            base.location, memoire.cle_base(base, "moi", "Autre Nom"), TODAY, TODAY - timedelta(days=3)
        )
        is None
    )
    assert (
        memoire.retrouver(
            base.location, memoire.cle_base(base, "autre", "Julien Arsac"), TODAY, TODAY - timedelta(days=3)
        )
        is None
    )


def test_a_colleagues_change_changes_the_key(base: Database, eigs: Callable[..., int]) -> None:
    cle = memoire.cle_base(base, "moi", "")
    _garder(base, cle)
    with collegue(base) as other:  # another connection, another person: the journal's tip moves
        eigs_other = accueil_eigs(other)
    assert eigs_other
    now = memoire.cle_base(base, "moi", "")
    assert now != cle
    assert memoire.retrouver(base.location, now, TODAY, TODAY - timedelta(days=3)) is None


def accueil_eigs(db: Database) -> int:
    from qualite_app.evenements import services as evenements

    data = evenements.EvenementData(survenu_le=datetime(2026, 6, 1, 9, 0), declare_le=date(2026, 6, 1), type_code="chute",
                                    gravite="5", faits="Chute déclarée par un collègue.")  # fmt: skip
    eid = evenements.enregistrer_evenement(db, data, today=TODAY)
    evenements.classer_eigs(db, eid, today=TODAY)
    return eid


@pytest.mark.sqlite_only
def test_the_raw_key_is_the_engines_key(base: Database, eigs: Callable[..., int]) -> None:
    """Read before SQLAlchemy is imported (sqlite3, read-only), it is the one the open base gives."""
    eigs(datetime(2026, 5, 20, 10, 0))
    lieu = memoire.emplacement(base.location)
    assert lieu == base.location
    assert memoire.cle_fichier(lieu, "moi", "N") == memoire.cle_base(base, "moi", "N")
    assert memoire.cle_fichier(lieu + ".absente", "moi", "N") is None


@pytest.mark.parametrize(
    "contenu",
    [
        b"\x00\xff pas du JSON",
        b"[1, 2, 3]",
        b'{"cle": null}',
        b'{"cle": "CLE", "jours": {"2026-06-15": [{"titre": "incomplet"}]}, "resumes": {"2026-06-12": {}}}',
        b'{"cle": "CLE", "jours": {"2026-06-15": [{"domaine": "paqss", "item_type": "action", "item_id": "x", "titre": "t",'
        b' "detail": "", "echeance": "hier", "gravite": "retard", "moi": false}]}, "resumes": {"2026-06-12": {"total": 0,'
        b' "complet": true, "par_type": [], "par_auteur": []}}}',
    ],
)
def test_a_damaged_file_is_no_content(base: Database, contenu: bytes) -> None:
    cle = memoire.cle_base(base, "moi", "")
    f = memoire.fichier(base.location)
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(contenu.replace(b'"CLE"', json.dumps(cle).encode()))
    assert memoire.retrouver(base.location, cle, TODAY, TODAY - timedelta(days=3)) is None
    _garder(base, cle)  # written again over it
    assert memoire.retrouver(base.location, cle, TODAY, TODAY - timedelta(days=3)) is not None


def test_an_unwritable_place_is_silent(base: Database) -> None:
    cle = memoire.cle_base(base, "moi", "")
    f = memoire.fichier(base.location)
    f.mkdir(parents=True)  # a folder where the file should be: neither read nor written, nothing said
    _garder(base, cle)
    assert memoire.retrouver(base.location, cle, TODAY, TODAY - timedelta(days=3)) is None


def test_kept_days_merge_and_the_past_is_dropped(base: Database) -> None:
    cle = memoire.cle_base(base, "moi", "")
    for d in (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)):
        memoire.garder(base.location, cle, {d: accueil.attention(base, d)}, {}, TODAY - timedelta(days=1))
    assert memoire.jours_gardes(base.location, cle) == {
        TODAY - timedelta(days=1),
        TODAY,
        TODAY + timedelta(days=1),
    }
    memoire.garder(base.location, cle, {}, {}, TODAY + timedelta(days=1))
    assert memoire.jours_gardes(base.location, cle) == {TODAY + timedelta(days=1)}
    other = dict(cle or {}, journal=[0, "autre"])
    memoire.garder(base.location, other, {TODAY: []}, {}, TODAY)  # another key replaces everything
    assert memoire.jours_gardes(base.location, cle) == set()
    assert memoire.jours_gardes(base.location, other) == {TODAY}
