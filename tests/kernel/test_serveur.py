"""The team server enforces the roles itself: a pilot changes only his actions (even through the services),
a reader writes nothing, nobody edits the journal, and the journal names the connected account."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from qualite_app.errors import UserError, translate
from qualite_app.paqss import services as paqss
from qualite_app.socle import journal, serveur
from qualite_app.storage.database import Database

PG = os.environ.get("QUALITE_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="demande un serveur PostgreSQL (QUALITE_TEST_PG, tools/pg-test-server)")
PASSWORD = "motdepasse-de-test"


def _url(base: str, user: str | None = None) -> str:
    u = make_url(PG).set(database=base)
    if user:
        u = u.set(username=user, password=None)
    return u.render_as_string(hide_password=False)


@pytest.fixture
def team(demo_file) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """The demo moved to a server base, prepared, with a pilot (the pilot of some actions) and a reader."""
    from qualite_app.storage.transfert import migrer_vers

    name = f"eq_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    suffix = uuid.uuid4().hex[:6]
    logins = {"dir": f"dir{suffix}", "pil": f"pil{suffix}", "lec": f"lec{suffix}"}
    try:
        with Database.open(demo_file) as laptop:
            migrer_vers(laptop, _url(name))
        with Database.open(_url(name)) as db:
            actions = paqss.list_actions(db)
            mine = next(a for a in actions if a.pilote)
            pilot_name = mine.pilote
            others = [a for a in actions if a.pilote and a.pilote != pilot_name and a.copilote != pilot_name]
            serveur.preparer(db, logins["dir"], PASSWORD)
            serveur.ajouter_compte(db, logins["pil"], "pilote", PASSWORD, pilot_name)
            serveur.ajouter_compte(db, logins["lec"], "lecteur", PASSWORD)
        yield {"base": name, "logins": logins, "mine": mine.id, "other": others[0].id, "pilot_name": pilot_name}
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for login in logins.values():
                c.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()


def test_a_pilot_changes_his_actions_only_even_through_the_services(team) -> None:  # type: ignore[no-untyped-def]
    logins = team["logins"]
    with Database.open(_url(team["base"], logins["pil"])) as db:
        assert db.actor.os_user == logins["pil"]  # the journal will name the connected account
        d = paqss.get_action(db, team["mine"])
        d.avancement = 55
        d.titre = "Réviser la check-list de bloc opératoire"
        paqss.save_action(db, d, confirme=True)  # the search index follows (the pilot may write it)
        assert paqss.get_action(db, team["mine"]).avancement == 55
        from qualite_app.accueil import recherche

        found = recherche.tout(recherche.chercher(db, "reviser la check-list de bloc"))
        assert [r.item_id for r in found if r.item_type == "action"] == [team["mine"]]
        line = journal.list_entries(db, item=("paqss_action", team["mine"]))[0]
        assert logins["pil"] in line.utilisateur and line.nouvelle_valeur.startswith("55")
        other = paqss.get_action(db, team["other"])  # he reads everything…
        other.avancement = 99
        with pytest.raises(Exception) as e:  # …but the server refuses his write, whatever the client
            paqss.save_action(db, other, confirme=True)
        assert "ne vous permet pas de la modifier" in translate(e.value).message  # type: ignore[union-attr]
        assert paqss.get_action(db, team["other"]).avancement != 99
        with db.engine.begin() as conn, pytest.raises(DBAPIError, match="permission denied|refusée"):
            conn.execute(text("UPDATE journal_audit SET champ = 'x'"))


def test_a_reader_writes_nothing_and_nobody_signs_the_journal_for_someone_else(team) -> None:  # type: ignore[no-untyped-def]
    logins = team["logins"]
    with Database.open(_url(team["base"], logins["lec"])) as db:
        d = paqss.get_action(db, team["mine"])
        d.avancement = 12
        with pytest.raises(Exception) as e:
            paqss.save_action(db, d, confirme=True)
        assert isinstance(translate(e.value), UserError)
    with Database.open(_url(team["base"], logins["dir"])) as db:
        db.actor = type(db.actor)("quelquun.dautre", "Usurpateur")
        d = paqss.get_action(db, team["other"])
        d.avancement = 77
        with pytest.raises(Exception, match="nommer l'utilisateur connecté"):
            paqss.save_action(db, d, confirme=True)
    with Database.open(_url(team["base"])) as db:
        roles = {c.identifiant: c.role for c in serveur.comptes(db)}
        assert roles[logins["dir"]] == "directeur" and roles[logins["pil"]] == "pilote" and roles[logins["lec"]] == "lecteur"
        from qualite_app.etablissement.models import Personne

        with db.session() as s:
            assert s.scalar(select(Personne.identifiant).where(Personne.identifiant == logins["pil"])) == logins["pil"]
        assert journal.verify(db).intact
