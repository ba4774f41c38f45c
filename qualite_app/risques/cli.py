"""``qualite report risques``: the risk map, signed and registered with --sign."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualite_app.cli import get_or_add_group
from qualite_app.cli import open_database as _open


def cmd_report(args: argparse.Namespace) -> int:
    from qualite_app.risques import rapport

    out = Path(args.out)
    with _open(args) as db:
        if args.sign or args.register:
            from qualite_app.rapports.cli import sign_options

            identity, password = sign_options(args, db)
            row = rapport.emettre_carte(db, identity=identity, password=password, recipient=args.recipient)
            out.write_bytes(row.pdf)
            state = "signée et émise" if identity else "émise (non signée)"
            print(f"Cartographie des risques {state} : {row.reference}, registre n° {row.id} → {out}")
        else:
            out.write_bytes(rapport.carte_pdf(db))
            print(f"Cartographie des risques écrite (aperçu, non inscrite au registre) : {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import sys

    from qualite_app.exchange.colonnes import parse_pairs
    from qualite_app.risques import imports

    pairs = parse_pairs(args.map or [])
    with _open(args) as db:
        ap = imports.apercu(db, args.file, sheet=args.sheet, pairs=pairs)
        for r in ap.refus:
            print(f"refusé : {r.texte()}")
        print(ap.resume())
        if ap.refus and not args.ignorer_erreurs:
            print("qualite : des lignes sont refusées (détail ci-dessus) : rien n'a été importé. Corrigez le fichier, "
                  "ou relancez avec --ignorer-erreurs pour n'importer que les lignes valides.", file=sys.stderr)  # fmt: skip
            return 1
        if args.dry_run:
            print("Essai à blanc : rien n'a été enregistré.")
            return 0
        done = imports.importer(
            db, args.file, sheet=args.sheet, pairs=pairs, ignorer_erreurs=args.ignorer_erreurs
        )
    print(f"Import terminé : {done.resume()}")
    return 0


FIELD_NAMES = ("reference", "processus", "activite", "danger", "cause", "consequence", "gravite", "frequence", "maitrise",
               "gravite_residuelle", "frequence_residuelle", "maitrise_residuelle", "proprietaire", "barrieres", "revue_le")  # fmt: skip


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    from qualite_app.evenements.cli import import_options
    from qualite_app.rapports.cli import add_sign_arguments

    imp = get_or_add_group(sub, "import", parent, help="importe des données")
    s = imp.add_parser("risques", parents=[parent], help="importe une cartographie des risques (.xlsx, .csv)")
    import_options(s, ", ".join(FIELD_NAMES))
    s.set_defaults(func=cmd_import)

    rep = get_or_add_group(sub, "report", parent, help="produit un rapport PDF")
    s = rep.add_parser("risques", parents=[parent], help="cartographie des risques (PDF), signée avec --sign")
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    add_sign_arguments(s)
    s.add_argument(
        "--register", action="store_true", help="inscrit la cartographie au registre sans la signer"
    )
    s.add_argument("--recipient", metavar="DESTINATAIRE", help="destinataire (COPIL, CME…)")
    s.set_defaults(func=cmd_report)
