"""The shared floor's commands: ``info``, ``demo``, ``backup``, ``restore``, ``journal verify``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qualite_app import APP_NAME, __version__
from qualite_app.cli import FrenchParser
from qualite_app.cli import open_database as _open

#: where a script gives an account's password (never on the command line)
SERVER_PASSWORD_ENV = "QUALITE_SERVEUR_PASSWORD"


def cmd_info(args: argparse.Namespace) -> int:
    from qualite_app.storage.migrate import head_revision

    with _open(args) as db:
        print(f"{APP_NAME} {__version__}")
        print(f"Base de données : {db.label}")
        print(f"Révision du schéma : {db.revision()} (dernière connue : {head_revision()})")
        print("Nombre de lignes :")
        for table, n in db.row_counts().items():
            print(f"  {table:<28} {n:>8}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from qualite_app import demo

    with _open(args) as db:
        rep = demo.load_demo(db)
        if rep.steps:
            print("Données de démonstration chargées dans " + db.label + " :")
            for line in rep.steps:
                print(f"  - {line}")
        else:
            print(f"La base {db.label} contient déjà les données de démonstration : rien à ajouter.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Without opening the base (no instance lock, no migration): works while the application has it open."""
    from qualite_app.socle import sauvegarde

    out = sauvegarde.save_copy_of(args.db, Path(args.out) if args.out else None)
    print(f"Sauvegarde écrite : {out}")
    return 0


def cmd_journal_verify(args: argparse.Namespace) -> int:
    from qualite_app.socle import journal

    with _open(args) as db:
        report = journal.verify(db)
    print(report.resume())
    for a in report.anomalies[1:20]:
        print(f"  - {a.message}")
    return 0 if report.intact else 1


def cmd_restore(args: argparse.Namespace) -> int:
    from qualite_app.socle import sauvegarde
    from qualite_app.storage.backup import check_database_file

    source = Path(args.file)
    check_database_file(source)  # before opening anything
    with _open(args, migrate_schema=False) as db:
        kept = sauvegarde.restore(db, source)
        print(f"Base restaurée depuis {source}.")
        print(f"L'ancienne base est conservée ici : {kept}")
    return 0



def cmd_migrer_vers(args: argparse.Namespace) -> int:
    """The laptop's base (``--db``) copied into the team's empty PostgreSQL base, then compared table by table."""
    from qualite_app.storage.transfert import migrer_vers

    with _open(args) as db:
        print(f"Copie de {db.label} vers le serveur…")
        res = migrer_vers(db, args.url, progress=lambda t, k, n: print(f"  {k}/{n} {t}", file=sys.stderr))
    bad = [t for t in res.tables if not t.identique]
    print(f"{res.lignes} ligne(s) copiée(s) dans {len(res.tables)} table(s) vers {res.cible}.")
    print("Comparaison table par table (nombre de lignes et empreinte SHA-256) : "
          + ("identiques." if not bad else f"{len(bad)} différence(s) : " + ", ".join(t.table for t in bad)))  # fmt: skip
    print(f"Journal sur le serveur : {res.journal_message}")
    return 0 if res.ok else 1


def cmd_serveur_init(args: argparse.Namespace) -> int:
    from qualite_app.rapports.cli import sign_password
    from qualite_app.socle import serveur

    with _open(args) as db:
        pw = sign_password(args, f"Mot de passe du compte « {args.directeur} » (8 caractères au moins) : ", env=SERVER_PASSWORD_ENV)
        login = serveur.preparer(db, args.directeur, pw, args.personne)
        print(f"Serveur prêt : {db.label} (schéma à jour, rôles, droits et sécurité par ligne en place).")
        print(f"Compte de la direction qualité : {login}. Ajoutez l'équipe avec « qualite serveur compte IDENTIFIANT --role … ».")
    return 0


def cmd_serveur_compte(args: argparse.Namespace) -> int:
    from qualite_app.rapports.cli import sign_password
    from qualite_app.socle import serveur

    with _open(args) as db:
        pw = sign_password(args, f"Mot de passe du compte « {args.identifiant} » (8 caractères au moins) : ", env=SERVER_PASSWORD_ENV)
        login = serveur.ajouter_compte(db, args.identifiant, args.role, pw, args.personne)
        print(f"Compte « {login} » : {serveur.ROLES[args.role]}.")
    return 0


def cmd_serveur_comptes(args: argparse.Namespace) -> int:
    from qualite_app.socle import serveur

    with _open(args) as db:
        for c in serveur.comptes(db):
            print(f"{c.identifiant:<24} {c.role:<13} {c.personne}")
    return 0


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("info", parents=[parent], help="version, base, révision du schéma, nombre de lignes")
    s.set_defaults(func=cmd_info)
    s = sub.add_parser("demo", parents=[parent], help="crée ou complète la base avec l'établissement de démonstration")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("backup", parents=[parent], help="écrit une sauvegarde cohérente de la base")
    s.add_argument("--out", metavar="FICHIER")
    s.set_defaults(func=cmd_backup)
    s = sub.add_parser("restore", parents=[parent], help="remplace la base par une sauvegarde (vérifiée d'abord)")
    s.add_argument("file", metavar="FICHIER")
    s.set_defaults(func=cmd_restore)
    s = sub.add_parser("journal", parents=[parent], help="journal d'audit : vérifier sa chaîne d'empreintes")
    jsub = s.add_subparsers(dest="journal_cmd", metavar="ACTION", parser_class=FrenchParser, required=True)
    v = jsub.add_parser("verify", parents=[parent], help="vérifie que le journal n'a été ni modifié, ni amputé, ni complété hors de l'application")
    v.set_defaults(func=cmd_journal_verify)
    s = sub.add_parser("migrer-vers", parents=[parent],
                       help="copie la base (--db) dans une base PostgreSQL vide du serveur d'équipe, puis compare tout")  # fmt: skip
    s.add_argument("url", metavar="URL", help="postgresql+psycopg://utilisateur@serveur/base (mot de passe : PGPASSWORD ou ~/.pgpass)")
    s.set_defaults(func=cmd_migrer_vers)
    from qualite_app.rapports.cli import add_password_arguments
    from qualite_app.storage.serveur import ROLES as server_roles

    s = sub.add_parser("serveur", parents=[parent], help="serveur d'équipe PostgreSQL : préparer, comptes et rôles")
    ssub = s.add_subparsers(dest="serveur_cmd", metavar="ACTION", parser_class=FrenchParser, required=True)
    v = ssub.add_parser("init", parents=[parent], help="prépare une base PostgreSQL vide (--db URL de l'administrateur) : schéma, rôles, droits, premier compte")
    v.add_argument("--directeur", required=True, metavar="IDENTIFIANT", help="identifiant de la direction qualité (rôle directeur)")
    v.add_argument("--personne", metavar="NOM", help="sa fiche dans l'annuaire (« NOM Prénom »)")
    add_password_arguments(v, "mot de passe du compte", SERVER_PASSWORD_ENV)
    v.set_defaults(func=cmd_serveur_init)
    v = ssub.add_parser("compte", parents=[parent], help="crée un compte (ou change son rôle, son mot de passe)")
    v.add_argument("identifiant", metavar="IDENTIFIANT")
    v.add_argument("--role", required=True, choices=list(server_roles))
    v.add_argument("--personne", metavar="NOM", help="sa fiche dans l'annuaire (obligatoire pour un pilote)")
    add_password_arguments(v, "mot de passe du compte", SERVER_PASSWORD_ENV)
    v.set_defaults(func=cmd_serveur_compte)
    v = ssub.add_parser("comptes", parents=[parent], help="liste les comptes et leurs rôles")
    v.set_defaults(func=cmd_serveur_comptes)
