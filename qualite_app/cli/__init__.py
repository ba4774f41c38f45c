"""Command line: ``qualite`` (no argument: the GUI) and its subcommands. Same services as the GUI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from qualite_app import APP_NAME, __version__
from qualite_app.areas import AREAS
from qualite_app.errors import UserError


def get_or_add_group(subparsers: argparse._SubParsersAction, name: str, parent: argparse.ArgumentParser, help: str = "") -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """A subcommand group shared by several areas (``qualite import paqss|mesures|has``, ``qualite report …``)."""
    existing = subparsers.choices.get(name)
    if existing is not None:
        return existing._qualite_group  # type: ignore[no-any-return]
    p = subparsers.add_parser(name, parents=[parent], help=help)
    group = p.add_subparsers(dest=f"{name}_type", metavar="TYPE", parser_class=FrenchParser, required=True)
    p._qualite_group = group  # type: ignore[attr-defined]
    return group

Handler = Callable[[argparse.Namespace], int]


#: argparse's English error messages → French (Python ships no French catalogue for argparse).
_ARGPARSE_FR: list[tuple[str, str]] = [
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.*)\)", r"argument \1 : choix invalide : \2 (possibles : \3)"),
    (r"argument (\S+): expected one argument", r"l'option \1 attend une valeur"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argument \1 : valeur invalide : \3"),
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (r"ambiguous option: (.*)", r"option ambiguë : \1"),
]


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        import re

        for pattern, french in _ARGPARSE_FR:
            message = re.sub(pattern, french, message)
        sys.stderr.write(self.format_usage().replace("usage: ", "utilisation : ", 1))
        sys.stderr.write(f"qualite : erreur : {message}\n")
        raise SystemExit(2)


def open_database(args: argparse.Namespace, **kw: object):  # type: ignore[no-untyped-def]
    """The base named by ``--db`` (else ``QUALITE_DB``, else the user's); what the opening found that the
    user must know (the journal's protection rebuilt…) is said on stderr. Every area's commands use it."""
    from qualite_app.storage.database import Database

    db = Database.open(args.db, **kw)  # type: ignore[arg-type]
    for alert in db.alerts:  # e.g. the journal's protection rebuilt: the user must know
        print(f"qualite : attention : {alert}", file=sys.stderr)
    return db


def build_parser() -> argparse.ArgumentParser:
    db_help = "base à utiliser (sinon QUALITE_DB, sinon la base de l'utilisateur)"
    # On subcommands --db must not reset the value given before the subcommand (`qualite --db X demo`).
    parent = FrenchParser(add_help=False)
    parent.add_argument("--db", metavar="CHEMIN_OU_URL", default=argparse.SUPPRESS, help=db_help)
    p = FrenchParser(prog="qualite", description=f"{APP_NAME} — sans argument, ouvre l'application.")
    p.add_argument("--db", metavar="CHEMIN_OU_URL", default=None, help=db_help)
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = p.add_subparsers(dest="commande", metavar="COMMANDE", parser_class=FrenchParser)
    for area in AREAS:  # the one registry: each area's ``register(subparsers, parent)``
        if area.cli:
            importlib.import_module(area.cli).register(sub, parent)
    return p


def main(argv: Sequence[str] | None = None, *, launch_gui: Callable[[str | None], int] | None = None) -> int:
    """Run a subcommand; with none, ``launch_gui(db)`` (given by the entry point, the one place that knows
    both faces: the core never imports the GUI)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "commande", None):
        if launch_gui is None:
            parser.print_help(sys.stderr)
            return 2
        return launch_gui(args.db)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"qualite : {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output cut short by the reader (``qualite info | head``): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("qualite : interrompu.", file=sys.stderr)
        return 130
    except Exception as exc:
        from qualite_app.errors import log_crash, translate

        known = translate(exc)
        if known is not None:  # the environment (disk, rights, file, driver), not a bug
            print(f"qualite : {known.message}", file=sys.stderr)
            return 2
        log = log_crash(exc)
        where = f" Détails techniques dans {log}" if log else ""
        print(f"qualite : erreur inattendue ({type(exc).__name__}) ; rien n'a été enregistré.{where}", file=sys.stderr)
        return 3
