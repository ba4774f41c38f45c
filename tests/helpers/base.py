"""Who the tests are: the actor written in the journal by every test base."""

from pathlib import Path

from qualite_app.storage.database import Actor

TEST_ACTOR = Actor("testeur", "Camille Testeur")


def copie_a_la_revision(source: Path, cible: Path, revision: str) -> Path:
    """A copy of the SQLite file ``source`` at ``cible`` that says it is at schema ``revision`` (a base from
    another version of the application, newer or older); returns ``cible``."""
    import sqlite3

    cible.write_bytes(source.read_bytes())
    con = sqlite3.connect(cible)
    con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.commit()
    con.close()
    return cible
