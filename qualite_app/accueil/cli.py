"""``qualite aujourdhui`` (what needs attention today, ranked) and ``qualite chercher TEXTE`` (the global
search), the same services as the home page and Ctrl+K."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError

DOMAINES = {"paqss": "PAQSS", "indicateurs": "Indicateurs", "certification": "Certification",
            "evenements": "Événements", "crise": "Crise"}  # fmt: skip


def _date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise UserError(
            f"Date « {text} » illisible : écrivez-la jj/mm/aaaa (par exemple 15/06/2026)."
        ) from None


def cmd_aujourdhui(args: argparse.Namespace) -> int:
    from qualite_app.accueil import rules
    from qualite_app.accueil import services as accueil

    today = _date(args.date)
    with _open(args) as db:
        alertes = accueil.attention(db, today)
    if not alertes:
        print(f"Rien ne demande votre attention le {today:%d/%m/%Y}.")
        return 0
    current = None
    for a in alertes:
        if a.gravite != current:
            current = a.gravite
            n = sum(1 for x in alertes if x.gravite == current)
            print(f"\n{rules.GRAVITES.get(current, current)} ({n})")
        quand = f"{a.echeance:%d/%m/%Y}" if a.echeance else "—"
        print(f"  {quand:<10}  {DOMAINES.get(a.domaine, a.domaine):<13}  {a.titre}\n{'':<28}{a.detail}")
    return 0


def cmd_chercher(args: argparse.Namespace) -> int:
    from qualite_app.accueil import recherche

    if args.reindexer:
        with _open(args) as db:
            n = recherche.reindexer(db)
        print(f"Index de la recherche reconstruit : {n} éléments relus.")
        if not args.texte:
            return 0
    if not args.texte:
        raise UserError("Indiquez les mots cherchés, par exemple : qualite chercher brévanne")
    with _open(args) as db:
        groupes = recherche.chercher(db, " ".join(args.texte), limite=args.limite)
    if not groupes:
        print(f"Aucun résultat pour « {' '.join(args.texte)} ».")
        return 1
    for g in groupes:
        print(f"{g.libelle}{' (les premiers)' if g.plus else ''}")
        for r in g.resultats:
            print(f"  {r.reference:<24} {r.titre}".rstrip())
    return 0


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    s = sub.add_parser(
        "aujourdhui", parents=[parent], help="ce qui demande attention aujourd'hui (échéances, écarts)"
    )
    s.add_argument("--date", metavar="JJ/MM/AAAA", help="le jour considéré (par défaut aujourd'hui)")
    s.set_defaults(func=cmd_aujourdhui)
    s = sub.add_parser(
        "chercher", parents=[parent], help="cherche dans tous les domaines (référence, titre, texte)"
    )
    s.add_argument("texte", nargs="*", help="les mots cherchés (accents et majuscules indifférents)")
    s.add_argument(
        "--reindexer", action="store_true", help="reconstruit d'abord l'index de la recherche (réparation)"
    )
    s.add_argument("--limite", type=int, default=8, help="résultats au plus par domaine (8)")
    s.set_defaults(func=cmd_chercher)
