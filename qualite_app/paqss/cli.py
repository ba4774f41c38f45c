"""``qualite import paqss``, ``qualite export paqss``, ``qualite report paqss``: the same services as the GUI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qualite_app.cli import get_or_add_group
from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError

#: the field names ``--map`` accepts (kept here: the command line must not import openpyxl at start)
FIELD_NAMES = (
    "reference", "axe", "objectif", "titre", "description", "source", "source_detail", "priorite", "pilote",
    "copilote", "service", "autres_copilotes", "autres_services", "date_debut", "echeance", "echeance_revisee",
    "statut", "motif_statut", "avancement", "resultat_attendu", "indicateur", "indicateur_initial",
    "indicateur_cible", "validation_cme_le", "realisee_le",
)  # fmt: skip


def _programme(db: Any, value: str | None) -> int | None:
    from qualite_app.paqss import services as paqss

    if not value:
        return paqss.programme_courant(db)
    progs = paqss.programmes(db)
    for pid, nom in progs:
        if value == str(pid) or value.strip().lower() == nom.lower():
            return pid
    raise UserError(
        f"Programme « {value} » introuvable (programmes : {', '.join(n for _, n in progs) or 'aucun'})."
    )


def cmd_import(args: argparse.Namespace) -> int:
    from qualite_app.exchange.colonnes import parse_pairs
    from qualite_app.paqss import echanges as ex

    colonnes = parse_pairs(args.map or [])
    with _open(args) as db:
        programme = _programme(db, args.programme)
        kw: dict[str, Any] = {"colonnes": colonnes or None, "programme_id": programme}
        if args.dry_run:
            pv, res = ex.preview_import(db, Path(args.file), args.sheet, **kw), None
        else:  # one pass: the preview's own code, written at once (rolled back if any row is refused)
            pv, res = ex.import_file(db, Path(args.file), args.sheet, ignorer_erreurs=args.ignorer_erreurs,
                                     creer_personnes=not args.sans_personnes, **kw)  # fmt: skip
        for line in pv.lines():
            print(line)
        if pv.refus and not args.ignorer_erreurs:
            print(
                f"qualite : {len({r.ligne for r in pv.refus})} ligne(s) refusée(s) (détail ci-dessus) : rien n'a été importé. "
                "Corrigez le fichier, ou relancez avec --ignorer-erreurs pour n'importer que les lignes valides.",
                file=sys.stderr,
            )
            return 1
        if not pv.lignes or (res is None and not args.dry_run):
            print("qualite : aucune ligne ne peut être importée.", file=sys.stderr)
            return 1
        if args.dry_run or res is None:
            print("Essai à blanc : rien n'a été enregistré.")
            return 0
        skipped = len({r.ligne for r in pv.refus})
        print(
            f"Import terminé : {res.creees} action(s) créée(s), {res.mises_a_jour} mise(s) à jour, {res.personnes_creees} personne(s) ajoutée(s) à l'annuaire"
            + (f" ; {skipped} ligne(s) refusée(s) ignorée(s) à votre demande." if skipped else ".")
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from qualite_app.paqss import echanges as ex
    from qualite_app.paqss import services as paqss

    out = Path(args.out)
    fmt = args.format or out.suffix.lstrip(".").lower()
    with _open(args) as db:
        f = paqss.ActionFilter(
            programme_id=_programme(db, args.programme), echeance="en_retard" if args.en_retard else None
        )
        n = ex.export(db, fmt, out, f, par_axe=args.par_axe)
    what = "échéance(s)" if fmt == "ics" else "action(s)"
    print(f"{n} {what} exportée(s) dans {out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from qualite_app.paqss import bilan as paqss_bilan

    out = Path(args.out)
    with _open(args) as db:
        pid = _programme(db, args.programme)
        if pid is None:
            raise UserError("Aucun programme PAQSS dans cette base.")
        if args.sign or args.register:
            from qualite_app.rapports.cli import sign_options

            identity, password = sign_options(args)
            row = paqss_bilan.emettre_bilan(
                db, pid, identity=identity, password=password, recipient=args.recipient
            )
            out.write_bytes(row.pdf)
            state = "signé et émis" if identity else "émis (non signé)"
            print(f"Bilan du PAQSS {state} : registre n° {row.id}, SHA-256 {row.sha256[:16]}… → {out}")
        else:
            pdf, _hash, _snap = paqss_bilan.bilan_pdf(db, pid)
            out.write_bytes(pdf)
            print(f"Bilan du PAQSS écrit : {out}")
    return 0


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    imp = get_or_add_group(sub, "import", parent, help="importe des données (PAQSS…)")
    s = imp.add_parser(
        "paqss", parents=[parent], help="importe un PAQSS depuis un classeur .xlsx ou un fichier .csv"
    )
    s.add_argument("file", metavar="FICHIER")
    s.add_argument("--sheet", metavar="FEUILLE", help="feuille du classeur (par défaut la première)")
    s.add_argument("--dry-run", action="store_true", help="affiche l'aperçu sans rien enregistrer")
    s.add_argument("--programme", metavar="NOM_OU_ID", help="programme cible (par défaut le plus récent)")
    s.add_argument(
        "--sans-personnes", action="store_true", help="ne crée pas dans l'annuaire les pilotes inconnus"
    )
    s.add_argument(
        "--map",
        action="append",
        metavar="COLONNE=champ",
        help='correspondance explicite d\'une colonne du fichier (répétable), par ex. --map "Chantier=titre" ; '
        "champs : " + ", ".join(FIELD_NAMES) + " ; « ignorer » pour écarter une colonne",
    )
    s.add_argument(
        "--ignorer-erreurs",
        action="store_true",
        help="importe seulement les lignes valides (par défaut, une seule ligne refusée et rien n'est importé)",
    )
    s.set_defaults(func=cmd_import)

    exp = get_or_add_group(sub, "export", parent, help="exporte des données (PAQSS…)")
    s = exp.add_parser(
        "paqss", parents=[parent], help="exporte le PAQSS en .xlsx, .csv ou les échéances en .ics"
    )
    s.add_argument("--format", choices=["xlsx", "csv", "ics"], help="par défaut d'après l'extension de --out")
    s.add_argument("--out", metavar="FICHIER", required=True)
    s.add_argument("--programme", metavar="NOM_OU_ID")
    s.add_argument("--par-axe", action="store_true", help="xlsx : une feuille par axe")
    s.add_argument("--en-retard", action="store_true", help="seulement les actions en retard")
    s.set_defaults(func=cmd_export)

    rep = get_or_add_group(sub, "report", parent, help="produit un rapport PDF (PAQSS…)")
    s = rep.add_parser(
        "paqss", parents=[parent], help="Bilan du PAQSS (PDF), signé et enregistré avec --sign"
    )
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    s.add_argument("--programme", metavar="NOM_OU_ID")
    from qualite_app.rapports.cli import add_sign_arguments

    add_sign_arguments(s)
    s.add_argument(
        "--register",
        action="store_true",
        help="inscrit le bilan au registre des rapports émis sans le signer",
    )
    s.add_argument("--recipient", metavar="DESTINATAIRE", help="destinataire (COPIL, CME, CDU…)")
    s.set_defaults(func=cmd_report)
