"""Command line of the indicators area: ``import mesures|has``, ``spc``, ``report dashboard``."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from qualite_app.cli import get_or_add_group
from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError


def cmd_import_mesures(args: argparse.Namespace) -> int:
    from qualite_app.indicateurs import imports as imp

    with _open(args) as db:
        ap = imp.import_mesures(db, args.file, dry_run=True)
        for e in ap.erreurs:
            print(f"  ✗ {e}")
        if ap.erreurs:
            raise UserError(f"Import refusé ({len(ap.erreurs)} erreur(s)) : rien n'a été importé.")
        for ligne in ap.lignes[:20]:
            print(f"  ligne {ligne.ligne:>5}  {ligne.code:<15} {ligne.periode:<16} {ligne.service:<25} {ligne.action}")
        if len(ap.lignes) > 20:
            print(f"  … et {len(ap.lignes) - 20} autre(s)")
        if args.dry_run:
            print(f"Essai : {ap.resume()} Rien n'a été écrit.")
            return 0
        n = imp.commit(db, ap)
        print(f"{n} résultat(s) importé(s) depuis {Path(args.file).name}.")
    return 0


def cmd_import_has(args: argparse.Namespace) -> int:
    from qualite_app.indicateurs import imports as imp

    with _open(args) as db:
        ap = imp.import_has(db, args.file, args.periode, indicateur=args.indicateur, finess_geo=args.finess_geo, dry_run=True)
        print(f"Établissement trouvé ligne {ap.ligne} : {ap.raison_sociale or '—'} (FINESS {ap.finess_trouve}).")
        for p in ap.propositions:
            what = ", ".join(
                x
                for x in (
                    f"valeur {p.valeur:g}".replace(".", ",") if p.valeur is not None else "",
                    f"classe {p.classe}" if p.classe else "",
                    f"statut {p.statut}" if p.statut else "",
                    f"effectif {p.denominateur:g}" if p.denominateur is not None else "",
                )
                if x
            )
            etat = "suivi" if p.existe else "à créer depuis le catalogue"
            print(f"  {'✓' if p.choisi else '·'} {p.code:<15} {what or 'aucune donnée'}  ({etat})")
        if ap.non_reconnues:
            print(f"  Colonnes non reconnues : {', '.join(ap.non_reconnues[:12])}{' …' if len(ap.non_reconnues) > 12 else ''}")
        if not any(p.choisi for p in ap.propositions):
            raise UserError(f"« {ap.fichier} » : ni valeur, ni classe, ni statut pour notre établissement (ligne {ap.ligne}) : rien à importer.")
        if args.dry_run:
            print("Essai : rien n'a été écrit.")
            return 0
        n = imp.commit_has(db, ap)
        print(f"{n} résultat(s) de la campagne {ap.periode} importé(s).")
    return 0


def _fini(obj: object) -> object:
    """``obj`` with every non-finite float replaced by None, at any depth."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _fini(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_fini(v) for v in obj]
    return obj


def cmd_spc(args: argparse.Namespace) -> int:
    from qualite_app.indicateurs import services as svc
    from qualite_app.rules import spc

    with _open(args) as db:
        sr = svc.serie(db, svc.indicateur_id(db, args.indicator))
    res = sr.spc
    if args.json:
        data = res.to_dict()
        data["indicateur"] = sr.code
        data["periodes"] = [p.code for p in sr.periodes]
        data["lecture"] = sr.lecture()
        # JSON has no infinity nor NaN: a non-finite number (stored by an older version) is written null
        print(json.dumps(_fini(data), ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    print(f"{sr.code} — {sr.libelle}")
    print(f"Graphique : {svc.GRAPHIQUES.get(res.chart, res.chart)} ; {len(res.real_points)} point(s) sur {len(sr.periodes)} période(s)")
    for k, seg in enumerate(res.segments):
        first, last = sr.periodes[seg.start].libelle, sr.periodes[seg.end].libelle
        p = res.points[seg.end]
        lim = f", limites {svc.fr(p.lcl, 2)} – {svc.fr(p.ucl, 2)}" if p.ucl is not None else ""
        print(f"  Segment {k + 1} ({first} → {last}) : centre {svc.fr(seg.centre, 2)}{lim}{' (provisoires)' if seg.provisional and res.chart != spc.RUN else ''}")
    flagged = res.flagged()
    if flagged:
        print("Points signalés :")
        for p in flagged:
            rules = ", ".join(spc.RULE_LABELS[r] for r in sorted(p.rules))
            print(f"  {sr.periodes[p.index].libelle:<16} {svc.fr(p.value, 2):>8}  {spc.VARIATION_LABELS[p.variation]} — {rules}")
    else:
        print("Aucun point signalé.")
    print(sr.lecture())
    return 0


def cmd_report_dashboard(args: argparse.Namespace) -> int:
    from qualite_app.indicateurs import rapport as rap
    from qualite_app.rapports.cli import sign_options

    with _open(args) as db:
        identity, password = sign_options(args, db)  # no password asked for an unencrypted PKCS#12
        out = rap.emettre_tableau(
            db, args.name, periode=args.period, identity=identity, password=password, register=args.sign or args.register
        )
    Path(args.out).write_bytes(out.pdf)
    signed = " signé" if args.sign else ""
    print(f"Rapport{signed} écrit : {args.out} ({out.pages} page(s), {out.indicateurs} indicateur(s)).")
    if out.rapport_id is not None:
        print(f"Enregistré au registre des rapports émis (n° {out.rapport_id}).")
    return 0


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    imp = get_or_add_group(sub, "import", parent, help="importer des données (résultats d'indicateurs…)")
    s = imp.add_parser("mesures", parents=[parent], help="résultats d'indicateurs au format long (.xlsx, .csv)")
    s.add_argument("file", metavar="FICHIER")
    s.add_argument("--dry-run", action="store_true", help="vérifier et afficher sans rien écrire")
    s.set_defaults(func=cmd_import_mesures)
    s = imp.add_parser("has", parents=[parent], help="résultats IQSS / e-Satis d'un fichier open data de la HAS")
    s.add_argument("file", metavar="FICHIER")
    s.add_argument("--periode", required=True, metavar="AAAA", help="campagne (année) des résultats")
    s.add_argument("--indicateur", metavar="CODE", help="le fichier ne porte que sur cet indicateur (colonnes sans code)")
    s.add_argument(
        "--finess-geo", metavar="NUMERO", help="notre site quand le fichier en compte plusieurs pour notre FINESS EJ (FINESS géographique)"
    )
    s.add_argument("--dry-run", action="store_true", help="vérifier et afficher sans rien écrire")
    s.set_defaults(func=cmd_import_has)

    s = sub.add_parser("spc", parents=[parent], help="carte de contrôle d'un indicateur (centre, limites, points signalés)")
    s.add_argument("--indicator", "--indicateur", required=True, metavar="CODE")
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.set_defaults(func=cmd_spc)

    rep = get_or_add_group(sub, "report", parent, help="produire un rapport PDF")
    s = rep.add_parser("dashboard", parents=[parent], help="tableau de bord des indicateurs (PDF)")
    s.add_argument("--name", "--nom", required=True, metavar="NOM", help="tableau de bord enregistré (CME, CDU…)")
    s.add_argument("--period", "--periode", metavar="PERIODE", help="jusqu'à cette période (ex. 2025-12) ; défaut : dernières données")
    s.add_argument("--out", required=True, metavar="FICHIER.pdf")
    s.add_argument("--sign", action="store_true", help="signer et enregistrer au registre")
    s.add_argument("--identity", metavar="NOM", help="identité de signature")
    from qualite_app.rapports.cli import add_password_arguments

    add_password_arguments(s)
    s.add_argument("--register", action="store_true", help="enregistrer au registre sans signer")
    s.set_defaults(func=cmd_report_dashboard)
