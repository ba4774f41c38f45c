"""``qualite referentiel list|import|show``, ``qualite dossier export|verify``, ``qualite report certification``:
the same services as the GUI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qualite_app.cli import get_or_add_group
from qualite_app.cli import open_database as _open


def cmd_list(args: argparse.Namespace) -> int:
    from qualite_app.certification import referentiels

    with _open(args) as db:
        rows = referentiels.lister(db)
    if not rows:
        print("Aucun référentiel chargé (qualite referentiel import FICHIER.yaml).")
    for r in rows:
        pub = f", publié le {r.date_publication:%d/%m/%Y}" if r.date_publication else ""
        retired = f", {r.retires} nœud(s) retiré(s)" if r.retires else ""
        print(
            f"{r.nom} — version {r.version}{pub} — {r.criteres} critère(s){retired}\n    {r.urn}  SHA-256 {r.sha256[:16]}…"
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from qualite_app.certification import referentiels

    with _open(args) as db:
        res = referentiels.importer_fichier(db, Path(args.file))
    print(res.message())
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from qualite_app.certification import referentiels, rules

    with _open(args) as db:
        info = referentiels.resume(db, referentiels.trouver(db, args.referentiel))
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"{info['nom']} — version {info['version']} ({info['urn']})")
    print(f"SHA-256 du fichier : {info['sha256']}")
    for k, n in info["par_type"].items():
        print(f"  {rules.TYPES.get(k, k)} : {n}")
    print(
        "  Critères par niveau : "
        + ", ".join(f"{rules.NIVEAUX.get(k, k)} {n}" for k, n in info["par_niveau"].items())
    )
    print(
        f"  Nœuds évaluables : {info['evaluables']}"
        + (f" ; retirés : {info['retires']}" if info["retires"] else "")
    )
    return 0


class _Console:
    """Progress on stderr for the command line."""

    def step(self, done: int, total: int, text: str = "") -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total} {text[:70]:<70}", end="", file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    from qualite_app.certification import campagnes, dossier

    with _open(args) as db:
        cid = campagnes.trouver_campagne(db, args.campagne)
        identity, password = _sign(args, db)
        res = dossier.exporter(
            db, cid, Path(args.out), identity=identity, password=password, progress=_Console()
        )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    state = "signé" if res.signe else "non signé"
    mo = res.octets / (1024 * 1024)
    taille = f"{mo:.1f}".replace(".", ",")
    print(
        f"Dossier écrit : {res.chemin} — {res.fichiers} preuve(s), {taille} Mo ; index {res.reference} ({state})."
    )
    return 0


def _sign(args: argparse.Namespace, db: Any) -> tuple[str | None, str | None]:
    if not args.sign:
        return None, None
    from qualite_app.rapports.cli import sign_options

    return sign_options(args, db)


def cmd_verify(args: argparse.Namespace) -> int:
    from qualite_app.certification import verification

    with _open(args) as db:
        res = verification.verifier(Path(args.dossier), db)
    for line in res.lignes():
        print(line)
    return 0 if res.ok else 1


def cmd_report(args: argparse.Namespace) -> int:
    from qualite_app.certification import campagnes, preparation

    out = Path(args.out)
    with _open(args) as db:
        cid = campagnes.trouver_campagne(db, args.campagne)
        identity, password = _sign(args, db)
        row = preparation.emettre_preparation(
            db, cid, identity=identity, password=password, recipient=args.recipient
        )
    out.write_bytes(row.pdf)
    print(
        f"Rapport de préparation {'signé et ' if row.signe else ''}émis : registre n° {row.id} ({row.reference}) → {out}"
    )
    return 0


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    from qualite_app.rapports.cli import add_sign_arguments

    ref = sub.add_parser(
        "referentiel", parents=[parent], help="référentiels de certification (HAS, Qmentum, CISO Assistant…)"
    )
    rs = ref.add_subparsers(dest="referentiel_cmd", metavar="ACTION", required=True)
    s = rs.add_parser("list", parents=[parent], help="liste les référentiels chargés")
    s.set_defaults(func=cmd_list)
    s = rs.add_parser(
        "import",
        parents=[parent],
        help="charge ou met à jour un référentiel (YAML, ou bibliothèque CISO Assistant)",
    )
    s.add_argument("file", metavar="FICHIER.yaml")
    s.set_defaults(func=cmd_import)
    s = rs.add_parser("show", parents=[parent], help="nombre de nœuds par type et de critères par niveau")
    s.add_argument("referentiel", metavar="URN_OU_NOM")
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.set_defaults(func=cmd_show)

    dos = sub.add_parser(
        "dossier", parents=[parent], help="dossier de certification (export ZIP, vérification)"
    )
    ds = dos.add_subparsers(dest="dossier_cmd", metavar="ACTION", required=True)
    s = ds.add_parser("export", parents=[parent], help="exporte le dossier d'une campagne (ZIP)")
    s.add_argument("--campagne", metavar="NOM", help="campagne (par défaut la plus récente)")
    s.add_argument("--out", metavar="DOSSIER.zip", required=True)
    add_sign_arguments(s)
    s.set_defaults(func=cmd_export)
    s = ds.add_parser("verify", parents=[parent], help="vérifie un dossier exporté (ZIP ou dossier déplié)")
    s.add_argument("dossier", metavar="DOSSIER.zip|DOSSIER/")
    s.set_defaults(func=cmd_verify)

    rep = get_or_add_group(sub, "report", parent, help="produit un rapport PDF")
    s = rep.add_parser(
        "certification",
        parents=[parent],
        help="rapport de préparation de la certification (PDF), émis au registre",
    )
    s.add_argument("--campagne", metavar="NOM")
    s.add_argument("--out", metavar="FICHIER.pdf", required=True)
    s.add_argument("--recipient", metavar="DESTINATAIRE")
    add_sign_arguments(s)
    s.set_defaults(func=cmd_report)
