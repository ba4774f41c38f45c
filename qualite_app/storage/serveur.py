"""The team's PostgreSQL server: roles, rights and accounts, enforced by the server itself.

Why PostgreSQL roles rather than accounts in a table of ours: the server checks the password (SCRAM, never
stored by us, never in clear), every connection is a named person, and the rights below hold for any
program that connects — the application, psql, a spreadsheet's ODBC link — not only for our GUI.

- Four group roles (NOLOGIN): ``qualite_lecteur`` (reads everything), ``qualite_pilote`` (reads; edits the
  actions he pilots or co-pilots, their milestones, comments and evidence), ``qualite_gestionnaire``
  (events, analyses, risk map and the whole PAQSS), ``qualite_directeur`` (everything). Each person's login
  role is a member of one of them.
- Nobody but the owner (the administrator who ran ``serveur init``) may UPDATE or DELETE the journal: the
  writers have INSERT on it, and the append-only triggers (migration 0009) stop even the owner.
- Row-level security on ``paqss_action`` and its children: a pilot's UPDATE reaches only the actions whose
  pilot or co-pilot is the directory's person carrying his login (``personne.identifiant``); through the
  service layer too (the UPDATE matches no row: "vous ne pouvez modifier que vos actions").
- The journal names the real user: a trigger refuses a line whose ``utilisateur_os`` is not the connected
  role (``session_user``), except for the owner (who copies a laptop's journal with ``migrer-vers``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from qualite_app.errors import UserError

ROLES = {
    "directeur": "qualite_directeur",
    "gestionnaire": "qualite_gestionnaire",
    "pilote": "qualite_pilote",
    "lecteur": "qualite_lecteur",
}
LIBELLES = {
    "directeur": "Directeur·rice qualité (tout)",
    "gestionnaire": "Gestionnaire de risques (événements, analyses, cartographie, PAQSS)",
    "pilote": "Pilote (ses actions : avancement, jalons, commentaires, preuves)",
    "lecteur": "Lecteur (consultation)",
}
#: tables every writer appends to (the journal, evidence files, links between items)
SHARED_INSERT = ("journal_audit", "blob", "lien")
#: derived tables every writer keeps in step with the items he writes (the global search's index, written at
#: flush by storage/index.py): without the right, a pilot could not save his own action
DERIVED = ("recherche",)
#: what a pilot may write: his actions and what hangs from them (row-level security narrows it)
PILOT_TABLES = ("paqss_action", "paqss_jalon", "paqss_commentaire", "paqss_action_copilote", "paqss_action_service")
#: the children of an action that carry ``action_id`` (their rows follow the action's policy)
ACTION_CHILDREN = ("paqss_jalon", "paqss_commentaire", "paqss_action_copilote", "paqss_action_service")

_MINE = "(SELECT p.id FROM personne p WHERE p.identifiant = session_user)"
_JOURNAL_AUTHOR = """
CREATE OR REPLACE FUNCTION journal_audit_auteur() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND (rolsuper OR rolbypassrls))
       AND session_user <> (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'journal_audit')
       AND NEW.utilisateur_os IS DISTINCT FROM session_user THEN
        RAISE EXCEPTION 'Le journal doit nommer l''utilisateur connecté.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$
"""


@dataclass(frozen=True)
class Compte:
    identifiant: str
    role: str
    personne: str


def _ident(conn: Connection, name: str) -> str:
    """A role or table name quoted by the server itself (``quote_ident``): never pasted raw into SQL."""
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar())


def _literal(conn: Connection, value: str) -> str:
    return str(conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar())


def check_login(login: str) -> str:
    login = login.strip()
    if not login or len(login) > 63 or not all(c.isalnum() or c in "._-" for c in login) or not login[0].isalpha():
        raise UserError(
            f"Identifiant « {login} » refusé : une lettre d'abord, puis lettres, chiffres, « . », « _ » ou « - » "
            "(63 caractères au plus), par exemple « h.brevanne »."
        )
    return login.lower()


def install_roles(conn: Connection, tables: list[str], tables_by_area: dict[str, frozenset[str]]) -> None:
    """Create (or complete) the group roles, their rights, the row-level security and the journal's author
    check. Idempotent: run again after a migration that added tables (``serveur init`` does)."""
    if conn.dialect.name != "postgresql":
        raise UserError("Les rôles et comptes d'équipe n'existent que sur un serveur PostgreSQL.")
    for role in ROLES.values():
        conn.execute(text(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; END $$"
        ))  # fmt: skip
    db_name = _ident(conn, str(conn.execute(text("SELECT current_database()")).scalar()))
    lecteur, pilote, gest, dir_ = (ROLES[k] for k in ("lecteur", "pilote", "gestionnaire", "directeur"))
    conn.execute(text(f"REVOKE ALL ON DATABASE {db_name} FROM PUBLIC"))
    for role in ROLES.values():
        conn.execute(text(f"GRANT CONNECT ON DATABASE {db_name} TO {role}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    writers = (pilote, gest, dir_)
    for role in writers:
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT INSERT ON {', '.join(SHARED_INSERT)} TO {role}"))
        conn.execute(text(f"GRANT DELETE ON lien TO {role}"))
        if present := [t for t in DERIVED if t in tables]:
            conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(present)} TO {role}"))
    conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(PILOT_TABLES)} TO {pilote}"))
    managed = sorted(
        (tables_by_area.get("paqss", frozenset()) | tables_by_area.get("evenements", frozenset()) | tables_by_area.get("risques", frozenset()))
        - {"journal_audit"}
    )
    if managed:
        conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(managed)} TO {gest}"))
    everything = [t for t in tables if t not in ("journal_audit", "alembic_version")]
    conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(everything)} TO {dir_}"))
    conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON journal_audit FROM {', '.join(ROLES.values())}"))
    # row-level security: a pilot writes only his actions and what hangs from them
    mine = f"(pilote_id IN {_MINE} OR copilote_id IN {_MINE} OR id IN (SELECT action_id FROM paqss_action_copilote WHERE personne_id IN {_MINE}))"
    _policies(conn, "paqss_action", mine, pilote, (gest, dir_), child=False)
    for child in ACTION_CHILDREN:
        _policies(conn, child, f"(action_id IN (SELECT id FROM paqss_action WHERE {mine}))", pilote, (gest, dir_), child=True)
    conn.execute(text(_JOURNAL_AUTHOR))
    conn.execute(text("DROP TRIGGER IF EXISTS journal_audit_auteur ON journal_audit"))
    conn.execute(text("CREATE TRIGGER journal_audit_auteur BEFORE INSERT ON journal_audit FOR EACH ROW EXECUTE FUNCTION journal_audit_auteur()"))


def _policies(conn: Connection, table: str, mine: str, pilote: str, all_rights: tuple[str, ...], *, child: bool) -> None:
    """Reading stays open to every role (one SELECT policy that references nothing: no recursion between the
    action's and its children's policies); writing is everything for the team's managers, and for a pilot
    only his rows — updating his actions, and adding, changing or removing what hangs from them."""
    conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    for name in ("lecture", "equipe", "pilote_maj", "pilote_ajout", "pilote_suppr"):
        conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {table}"))
    conn.execute(text(f"CREATE POLICY lecture ON {table} FOR SELECT USING (true)"))
    conn.execute(text(f"CREATE POLICY equipe ON {table} FOR ALL TO {', '.join(all_rights)} USING (true) WITH CHECK (true)"))
    conn.execute(text(f"CREATE POLICY pilote_maj ON {table} FOR UPDATE TO {pilote} USING {mine} WITH CHECK {mine}"))
    if child:
        conn.execute(text(f"CREATE POLICY pilote_ajout ON {table} FOR INSERT TO {pilote} WITH CHECK {mine}"))
        conn.execute(text(f"CREATE POLICY pilote_suppr ON {table} FOR DELETE TO {pilote} USING {mine}"))


def create_login(conn: Connection, login: str, role: str, password: str) -> None:
    """A person's login role (password checked by the server, stored by it as SCRAM), member of ``role``."""
    if role not in ROLES:
        raise UserError(f"Rôle inconnu « {role} » : {', '.join(ROLES)}.")
    if len(password) < 8:
        raise UserError("Le mot de passe doit compter au moins 8 caractères.")
    login = check_login(login)
    name = _ident(conn, login)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar()
    conn.execute(text("SET LOCAL password_encryption = 'scram-sha-256'"))
    verb = "ALTER" if exists else "CREATE"
    conn.execute(text(f"{verb} ROLE {name} LOGIN PASSWORD {_literal(conn, password)}"))
    for other in ROLES.values():
        if other != ROLES[role]:
            conn.execute(text(f"REVOKE {other} FROM {name}"))
    conn.execute(text(f"GRANT {ROLES[role]} TO {name}"))


def comptes(conn: Connection) -> list[Compte]:
    rows = conn.execute(text(
        "SELECT m.rolname, g.rolname, COALESCE(p.prenom || ' ' || p.nom, '') FROM pg_auth_members a "
        "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
        "LEFT JOIN personne p ON p.identifiant = m.rolname "
        "WHERE g.rolname IN ('qualite_directeur', 'qualite_gestionnaire', 'qualite_pilote', 'qualite_lecteur') ORDER BY 1"
    ))  # fmt: skip
    back = {v: k for k, v in ROLES.items()}
    return [Compte(login, back[group], person.strip()) for login, group, person in rows]
