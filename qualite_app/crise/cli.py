"""``qualite binder``, ``qualite cards``, ``qualite crise …``: the same services as the page Crise."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError


def _sortie(args: argparse.Namespace, db: Any, kind: str, data: Any, label: str) -> int:
    from qualite_app.crise import impression
    from qualite_app.rapports.cli import sign_options

    identity, password = sign_options(args, db)
    pdf, row = impression.produire(
        db, kind, data, enregistrer=args.register, identity=identity, password=password
    )
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        from qualite_app.errors import os_error_text

        raise UserError(f"Impossible d'écrire {out} : {os_error_text(exc)}") from exc
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)
    if row is not None:
        state = "signé et émis" if identity else "émis (non signé)"
        print(f"{label} {state} : {row.reference}, {pages} pages, SHA-256 {row.sha256[:16]}… → {out}")
    else:
        print(f"{label} : {pages} page(s) écrite(s) dans {out}")
    return 0


def cmd_binder(args: argparse.Namespace) -> int:
    from qualite_app.crise import impression
    from qualite_app.crise import services as crise

    with _open(args) as db:
        pid = crise.trouver_plan(db, args.plan)
        return _sortie(
            args,
            db,
            "classeur",
            impression.donnees_classeur(db, pid, recto_verso=args.recto_verso),
            "Classeur de crise",
        )


def cmd_cards(args: argparse.Namespace) -> int:
    from qualite_app.crise import impression
    from qualite_app.crise import services as crise

    with _open(args) as db:
        pid = crise.trouver_plan(db, args.plan)
        roles = [r for x in args.role or [] for r in x.split(",")]
        return _sortie(args, db, "cartes", impression.donnees_cartes(db, pid, roles), "Cartes réflexes")


def cmd_log(args: argparse.Namespace) -> int:
    from qualite_app.crise import impression
    from qualite_app.crise import services as crise

    with _open(args) as db:
        acts = crise.activations(db)
        if not acts:
            raise UserError("Aucune activation enregistrée : pas de main courante à éditer.")
        act = (
            next((a for a in acts if str(a.id) == str(args.activation)), None) if args.activation else acts[0]
        )
        if act is None:
            raise UserError(
                f"Activation n° {args.activation} introuvable (activations : {', '.join(str(a.id) for a in acts)})."
            )
        return _sortie(args, db, "journal", impression.donnees_journal(db, act.id), "Main courante")


def cmd_plans(args: argparse.Namespace) -> int:
    from qualite_app.crise import services as crise

    with _open(args) as db:
        for p in crise.plans(db):
            rev = f"{p.prochaine_revision:%d/%m/%Y}" if p.prochaine_revision else "non fixée"
            print(
                f"{p.id:>3}  {p.nom} (v{p.version}){'  [en vigueur]' if p.en_vigueur else ''} — prochaine révision : {rev}"
            )
            for a in crise.alertes(db, p.id):
                print(f"       {'✗' if a.gravite == 'erreur' else '!'} {a.sujet} : {a.message}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from qualite_app.crise import modeles
    from qualite_app.crise import services as crise

    with _open(args) as db:
        pid = crise.nouveau_plan_depuis_modele(db, args.modele, args.nom)
        print(f"Plan « {args.nom} » créé depuis le modèle « {modeles.modele(args.modele).nom} » (n° {pid}).")
    return 0


def cmd_annexe(args: argparse.Namespace) -> int:
    from qualite_app.crise import services as crise

    path = Path(args.fichier)
    try:
        content = path.read_bytes()
    except OSError as exc:
        from qualite_app.errors import os_error_text

        raise UserError(f"Impossible de lire {path} : {os_error_text(exc)}") from exc
    with _open(args) as db:
        pid = crise.trouver_plan(db, args.plan)
        crise.ajouter_annexe(db, pid, content, path.name)
        print(f"« {path.name} » ajouté aux annexes du classeur ({len(crise.annexes(db, pid))} annexe(s)).")
    return 0


def _print_args(s: argparse.ArgumentParser) -> None:
    from qualite_app.rapports.cli import add_sign_arguments

    s.add_argument("--plan", metavar="NOM", help="nom ou numéro du plan (par défaut le plan en vigueur)")
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    add_sign_arguments(s)
    s.add_argument(
        "--register",
        action="store_true",
        help="inscrit le document au registre des rapports émis sans le signer",
    )


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    s = sub.add_parser(
        "binder", parents=[parent], help="imprime le classeur de crise (PDF), signé avec --sign"
    )
    _print_args(s)
    s.add_argument(
        "--recto-verso", action="store_true", help="chaque fiche réflexe commence sur une page impaire"
    )
    s.set_defaults(func=cmd_binder)

    s = sub.add_parser(
        "cards", parents=[parent], help="imprime les cartes réflexes de poche (A6, quatre par feuille A4)"
    )
    _print_args(s)
    s.add_argument(
        "--role",
        action="append",
        metavar="CODE",
        help="code du rôle (répétable, ou séparés par des virgules)",
    )
    s.set_defaults(func=cmd_cards)

    g = sub.add_parser(
        "crise", parents=[parent], help="plans de crise : liste, création depuis un modèle, main courante"
    )
    gs = g.add_subparsers(dest="crise_cmd", required=True, metavar="COMMANDE")
    s = gs.add_parser(
        "plans", parents=[parent], help="liste les plans et leurs alertes (rôles, révision, exercice)"
    )
    s.set_defaults(func=cmd_plans)
    s = gs.add_parser(
        "nouveau", parents=[parent], help="crée un plan depuis un modèle (pgthsse, codes_quebec)"
    )
    s.add_argument("nom", metavar="NOM")
    s.add_argument("--modele", default="pgthsse", metavar="MODELE")
    s.set_defaults(func=cmd_new)
    s = gs.add_parser(
        "annexe", parents=[parent], help="ajoute au classeur une image (plan du site, circuit des patients)"
    )
    s.add_argument("fichier", metavar="IMAGE.png|.jpg")
    s.add_argument("--plan", metavar="NOM", help="nom ou numéro du plan (par défaut le plan en vigueur)")
    s.set_defaults(func=cmd_annexe)
    s = gs.add_parser("main-courante", parents=[parent], help="édite la main courante d'une activation (PDF)")
    s.add_argument("--activation", metavar="N", help="numéro de l'activation (par défaut la plus récente)")
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    from qualite_app.rapports.cli import add_sign_arguments

    add_sign_arguments(s)
    s.add_argument(
        "--register", action="store_true", help="inscrit la main courante au registre sans la signer"
    )
    s.set_defaults(func=cmd_log)
