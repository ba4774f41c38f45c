"""``qualite evenements echeances|ical``, ``qualite report cdu|eigs``: the same services as the GUI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qualite_app.cli import FrenchParser, get_or_add_group
from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError

#: the field names ``--map`` accepts (kept here: the command line must not import the importer at start)
FIELD_NAMES = ("reference", "survenu_le", "heure", "declare_le", "service", "lieu", "type_code", "sous_type_code", "faits",
               "mesures_immediates", "consequences", "gravite", "informe", "declarant_role", "statut")  # fmt: skip


def cmd_echeances(args: argparse.Namespace) -> int:
    from qualite_app.evenements import rules
    from qualite_app.evenements import services as evenements

    with _open(args) as db:
        rows = evenements.echeances(db, a_envoyer=not args.toutes)
    if args.json:
        out = [{"reference": e.reference, "partie": e.partie, "echeance": e.echeance.isoformat(), "etat": e.etat,
                "jours": e.jours, "envoyee_le": e.envoyee_le.isoformat() if e.envoyee_le else None} for e in rows]  # fmt: skip
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print("Aucune partie de déclaration d'EIGS à transmettre.")
        return 0
    for e in rows:
        when = f"envoyée le {e.envoyee_le:%d/%m/%Y}" if e.envoyee_le else (
            f"en retard de {-e.jours} j" if e.jours < 0 else f"dans {e.jours} j")  # fmt: skip
        print(f"{e.echeance:%d/%m/%Y}  {e.libelle:<34} {rules.ETATS[e.etat]:<10} {when}")
    return 0


def cmd_indicateurs(args: argparse.Namespace) -> int:
    from datetime import date

    from qualite_app.evenements import services as evenements

    if args.mois < 1:
        raise UserError("--mois : au moins 1.")
    today = date.today()
    m = today.year * 12 + today.month - 1 - (args.mois - 1)
    with _open(args) as db:
        done = evenements.publier_indicateurs(db, date(m // 12, m % 12 + 1, 1), today)
    print("Comptes mensuels écrits : " + ", ".join(f"{code} ({n} mois)" for code, n in done.items()))
    return 0


def cmd_ical(args: argparse.Namespace) -> int:
    from qualite_app.evenements import services as evenements

    with _open(args) as db:
        n = evenements.exporter_ical(db, Path(args.out))
    print(f"{n} échéance(s) d'EIGS exportée(s) dans {args.out}")
    return 0


def _issue(args: argparse.Namespace, db: Any, preview: Any, issue: Any, what: str, e: str = "") -> int:
    """``e``: the feminine ending of the participles (« Partie 2 … écrite »)."""
    out = Path(args.out)
    if args.sign or args.register:
        from qualite_app.rapports.cli import sign_options

        identity, password = sign_options(args, db)
        row = issue(identity, password)
        out.write_bytes(row.pdf)
        state = f"signé{e} et émis{e}" if identity else f"émis{e} (non signé{e})"
        print(f"{what} {state} : {row.reference}, registre n° {row.id} → {out}")
    else:
        out.write_bytes(preview())
        print(f"{what} écrit{e} (aperçu, non inscrit{e} au registre) : {out}")
    return 0


def cmd_report_cdu(args: argparse.Namespace) -> int:
    from qualite_app.evenements import cdu

    with _open(args) as db:
        cdu.trimestre(args.trimestre)  # a bad quarter is said before anything is asked (password…)
        return _issue(args, db, lambda: cdu.cdu_pdf(db, args.trimestre),
                      lambda i, p: cdu.emettre_cdu(db, args.trimestre, identity=i, password=p), "Bilan CDU")  # fmt: skip


def cmd_report_eigs(args: argparse.Namespace) -> int:
    from qualite_app.evenements import fiche_eigs
    from qualite_app.evenements import services as evenements

    with _open(args) as db:
        eid = evenements.id_par_reference(db, args.evenement)
        if eid is None:
            raise UserError(f"Événement « {args.evenement} » introuvable.")
        return _issue(args, db, lambda: fiche_eigs.fiche_pdf(db, eid, args.partie),
                      lambda i, p: fiche_eigs.emettre_fiche(db, eid, args.partie, identity=i, password=p),
                      f"Partie {args.partie} de la déclaration d'EIGS", "e")  # fmt: skip


def cmd_import(args: argparse.Namespace) -> int:
    from qualite_app.evenements import imports
    from qualite_app.exchange.colonnes import parse_pairs

    pairs = parse_pairs(args.map or [])
    with _open(args) as db:
        if args.dry_run:  # the import's own code in a transaction that is rolled back
            ap = imports.apercu(db, args.file, sheet=args.sheet, pairs=pairs)
            _print_refus(ap.refus)
            print(ap.resume())
            print("Essai à blanc : rien n'a été enregistré.")
            return 1 if ap.refus and not args.ignorer_erreurs else 0
        try:  # one pass: read, check and write in one transaction, rolled back at the first refused line
            done = imports.importer(
                db, args.file, sheet=args.sheet, pairs=pairs, ignorer_erreurs=args.ignorer_erreurs
            )
        except imports.ImportRefuse as exc:
            _print_refus(exc.apercu.refus)
            print(f"qualite : {len({r.ligne for r in exc.apercu.refus})} ligne(s) refusée(s) (détail ci-dessus) : rien n'a "
                  "été importé. Corrigez le fichier, ou relancez avec --ignorer-erreurs pour n'importer que les lignes "
                  "valides.", file=sys.stderr)  # fmt: skip
            return 1
    _print_refus(done.refus)
    print(f"Import terminé : {done.resume()}")
    return 0


def _print_refus(refus: list[Any]) -> None:
    for r in refus:
        print(f"refusé : {r.texte()}")


def import_options(s: argparse.ArgumentParser, fields: str) -> None:
    s.add_argument("file", metavar="FICHIER")
    s.add_argument("--sheet", metavar="FEUILLE", help="feuille du classeur (par défaut la première)")
    s.add_argument("--dry-run", action="store_true", help="affiche l'aperçu sans rien enregistrer")
    s.add_argument("--map", action="append", metavar="COLONNE=champ",
                   help=f'colonne du fichier → champ (répétable), par ex. --map "Date EI=survenu_le" ; champs : {fields} ; '
                   "« ignorer » pour écarter une colonne")  # fmt: skip
    s.add_argument("--ignorer-erreurs", action="store_true",
                   help="importe seulement les lignes valides (par défaut, une ligne refusée et rien n'est importé)")  # fmt: skip


def _report_options(s: argparse.ArgumentParser) -> None:
    from qualite_app.rapports.cli import add_sign_arguments

    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    add_sign_arguments(s)
    s.add_argument("--register", action="store_true", help="inscrit le rapport au registre sans le signer")


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evenements", parents=[parent], help="événements indésirables : échéances des EIGS")
    group = p.add_subparsers(
        dest="evenements_commande", metavar="COMMANDE", parser_class=FrenchParser, required=True
    )
    s = group.add_parser(
        "echeances", parents=[parent], help="parties de déclaration d'EIGS à transmettre, retards d'abord"
    )
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.add_argument("--toutes", action="store_true", help="y compris les parties déjà envoyées")
    s.set_defaults(func=cmd_echeances)
    s = group.add_parser(
        "indicateurs",
        parents=[parent],
        help="écrit les comptes mensuels (EI déclarés, EIGS) comme résultats des indicateurs EI-DECL et EIGS",
    )
    s.add_argument(
        "--mois", type=int, default=36, help="nombre de mois, le mois en cours compris (défaut 36)"
    )
    s.set_defaults(func=cmd_indicateurs)
    s = group.add_parser(
        "ical", parents=[parent], help="exporte les échéances des EIGS au format iCalendar (.ics)"
    )
    s.add_argument("--out", metavar="FICHIER.ics", required=True)
    s.set_defaults(func=cmd_ical)

    imp = get_or_add_group(sub, "import", parent, help="importe des données")
    s = imp.add_parser(
        "evenements",
        parents=[parent],
        help="importe des événements indésirables (.xlsx, .csv) d'un outil de déclaration",
    )
    import_options(s, ", ".join(FIELD_NAMES))
    s.set_defaults(func=cmd_import)

    rep = get_or_add_group(sub, "report", parent, help="produit un rapport PDF")
    s = rep.add_parser(
        "cdu", parents=[parent], help="bilan trimestriel des événements indésirables pour la CDU"
    )
    s.add_argument("--trimestre", metavar="AAAA-Tn", required=True)
    _report_options(s)
    s.set_defaults(func=cmd_report_cdu)
    s = rep.add_parser(
        "eigs",
        parents=[parent],
        help="partie 1 ou 2 d'une déclaration d'EIGS (PDF à reporter sur le portail)",
    )
    s.add_argument("--evenement", metavar="REFERENCE", required=True)
    s.add_argument("--partie", type=int, choices=[1, 2], required=True)
    _report_options(s)
    s.set_defaults(func=cmd_report_eigs)
