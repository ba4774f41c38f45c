"""The team server's accounts, for the command line (and later the GUI): prepare a server, add a person's
account with its role, list the accounts. The rules are in ``storage.serveur``; this module ties an account
to the directory's person (``personne.identifiant``), journaled like any change."""

from __future__ import annotations

from sqlalchemy import select

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Personne
from qualite_app.storage import serveur as srv
from qualite_app.storage.database import Database

Compte = srv.Compte
ROLES = srv.LIBELLES


def _tables() -> tuple[list[str], dict[str, frozenset[str]]]:
    from qualite_app.areas import AREAS, load_models
    from qualite_app.storage.base import Base

    load_models()
    return [t.name for t in Base.metadata.sorted_tables], {a.key: a.tables() for a in AREAS}


def preparer(db: Database, directeur: str, mot_de_passe: str, personne: str | None = None) -> str:
    """``serveur init``: the schema (already migrated by opening ``db``), the roles and their rights, the
    row-level security, the journal's author check, then the first director's account. Idempotent."""
    tables, by_area = _tables()
    login = srv.check_login(directeur)
    with db.engine.begin() as conn:
        srv.install_roles(conn, tables, by_area)
        srv.create_login(conn, login, "directeur", mot_de_passe)
    if personne:
        lier(db, login, personne)
    return login


def ajouter_compte(db: Database, identifiant: str, role: str, mot_de_passe: str, personne: str | None = None) -> str:
    """A person's account (or a new password / role for an existing one), tied to the directory's person."""
    login = srv.check_login(identifiant)
    if role != "lecteur" and not personne and role == "pilote":
        raise UserError("Un compte de pilote doit être rattaché à sa fiche de l'annuaire (--personne « NOM Prénom ») : "
                        "ses droits suivent les actions qu'il pilote.")  # fmt: skip
    with db.engine.begin() as conn:
        srv.create_login(conn, login, role, mot_de_passe)
    if personne:
        lier(db, login, personne)
    return login


def lier(db: Database, identifiant: str, personne: str) -> int:
    """Write the login on the directory's person named (« NOM Prénom », accents and case ignored) — one
    transaction, journaled; refused when no person or several match."""
    from qualite_app.etablissement import annuaire

    found = annuaire.list_personnes(db, personne)
    if len(found) != 1:
        noms = ", ".join(f"{p.nom} {p.prenom}".strip() for p in found[:5])
        raise UserError(
            f"« {personne} » : {'aucune personne' if not found else f'{len(found)} personnes ({noms})'} dans l'annuaire ; "
            "précisez le nom et le prénom tels qu'ils y figurent."
        )
    with db.unit_of_work() as s:
        for other in s.scalars(select(Personne).where(Personne.identifiant == identifiant)):
            other.identifiant = None
        s.flush()
        p = s.get(Personne, found[0].id)
        assert p is not None
        p.identifiant = identifiant
        return p.id


def comptes(db: Database) -> list[srv.Compte]:
    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            raise UserError("Les comptes d'équipe n'existent que sur un serveur PostgreSQL (--db postgresql+psycopg://…).")
        return srv.comptes(conn)
