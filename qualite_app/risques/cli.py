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


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    from qualite_app.rapports.cli import add_sign_arguments

    rep = get_or_add_group(sub, "report", parent, help="produit un rapport PDF")
    s = rep.add_parser("risques", parents=[parent], help="cartographie des risques (PDF), signée avec --sign")
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    add_sign_arguments(s)
    s.add_argument(
        "--register", action="store_true", help="inscrit la cartographie au registre sans la signer"
    )
    s.add_argument("--recipient", metavar="DESTINATAIRE", help="destinataire (COPIL, CME…)")
    s.set_defaults(func=cmd_report)
