"""The home page's statements (``requetes.STATEMENTS``) compiled for each dialect, into the resource files the
cold path reads without SQLAlchemy (``rapide.py``): ``requetes_sqlite.json``, ``requetes_postgresql.json``.

    python -m qualite_app.accueil.precompiler          # writes both files next to this module
    python -m qualite_app.accueil.precompiler --check  # exit 1 if a shipped file is not what compiles now

Each statement is built with **sentinel** parameter values (a date far in the past for ``today``, an
unlikely integer for ``moi``…) and compiled with its expanding ``IN`` rendered; each bound parameter is
then recognised by its value: a sentinel (``today`` plus so many days: the PAQSS horizon), or a constant
(stored as compiled). Each result column's type says how the raw driver's value is read back (SQLite
returns dates as text). The file is keyed by the schema's revision: a base at another one is read by
the normal path. ``tests/accueil/test_accueil_rapide.py`` fails when a shipped file is stale."""

from __future__ import annotations

import inspect
import json
import sys
from datetime import date, datetime
from typing import Any

from qualite_app.accueil.rapide import FORMAT, fichier

DIALECTES = ("sqlite", "postgresql")
#: how far from its sentinel a date parameter may be (``today`` + 30 days…)
_ECART_JOURS = 1000
_DATES = {"today": date(1901, 1, 1), "visite": date(1931, 1, 1)}
_ENTIERS = {"n": 9_000_001, "moi": 9_000_002, "camp": 9_000_003}
_INSTANTS = {"lo": datetime(1901, 2, 3, 4, 5, 6, 789)}
_TEXTE = "\x00sauf"


def _dialecte(nom: str) -> Any:
    if nom == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.dialect()
    from sqlalchemy.dialects.postgresql import psycopg

    return psycopg.dialect(paramstyle="format")  # positional ``%s``, as psycopg takes them


def _sentinelles(nom: str, builder: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for arg in inspect.signature(builder).parameters:
        if arg == "sauf":  # the journal's statements: ``journal_<what>_<how many names>``
            out[arg] = tuple(f"{_TEXTE}{i}" for i in range(int(nom.rsplit("_", 1)[1])))
        else:
            out[arg] = {**_DATES, **_ENTIERS, **_INSTANTS}[arg]
    return out


def _parametre(valeur: Any) -> dict[str, Any]:
    """A bound value → what the cold path binds: a sentinel's name (and offset), or the constant."""
    if isinstance(valeur, datetime):
        for k, instant in _INSTANTS.items():
            if valeur == instant:
                return {"p": k}
    elif isinstance(valeur, date):
        for k, jour in _DATES.items():
            if abs((valeur - jour).days) <= _ECART_JOURS:
                return {"p": k, "jours": (valeur - jour).days}
    elif isinstance(valeur, bool):
        return {"v": valeur}
    elif isinstance(valeur, int):
        for k, entier in _ENTIERS.items():
            if valeur == entier:
                return {"p": k}
        return {"v": valeur}
    elif isinstance(valeur, str):
        if valeur.startswith(_TEXTE):
            return {"p": "sauf", "i": int(valeur[len(_TEXTE) :])}
        return {"v": valeur}
    elif valeur is None or isinstance(valeur, float):
        return {"v": valeur}
    raise TypeError(f"paramètre non prévu : {valeur!r}")


def _genre(type_: Any) -> str | None:
    """How a result column's raw value is read back (None: as the driver returns it)."""
    from sqlalchemy import types

    if isinstance(type_, types.DateTime):
        return "datetime"
    if isinstance(type_, types.Date):
        return "date"
    if isinstance(type_, types.Boolean):
        return "bool"
    if isinstance(type_, types.JSON):
        return "json"
    if isinstance(type_, types.Numeric) and not isinstance(type_, types.Float) and type_.asdecimal:
        return "decimal"
    return None


def compiler(dialecte: str) -> dict[str, Any]:
    """Every statement of ``requetes.STATEMENTS`` compiled for ``dialecte``."""
    from qualite_app.accueil import requetes
    from qualite_app.areas import load_models
    from qualite_app.storage.migrate import head_revision

    load_models()
    d = _dialecte(dialecte)
    out: dict[str, Any] = {}
    for nom, builder in sorted(requetes.STATEMENTS.items()):
        st = builder(**_sentinelles(nom, builder))
        c = st.compile(dialect=d, compile_kwargs={"render_postcompile": True})
        positions = c.positiontup or []
        out[nom] = {
            "sql": str(c),
            "params": [_parametre(c.params[p]) for p in positions],
            "colonnes": [_genre(col.type) for col in st.selected_columns],
        }
    return {"format": FORMAT, "dialecte": dialecte, "revision": [head_revision()], "requetes": out}


def texte(dialecte: str) -> str:
    return json.dumps(compiler(dialecte), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    perimes = []
    for dialecte in DIALECTES:
        attendu = texte(dialecte)
        f = fichier(dialecte)
        if "--check" in argv:
            if not f.is_file() or f.read_text(encoding="utf-8") != attendu:
                perimes.append(f.name)
        else:
            f.write_text(attendu, encoding="utf-8")
            print(f"écrit : {f}")
    if perimes:
        print(
            f"à régénérer (python -m qualite_app.accueil.precompiler) : {', '.join(perimes)}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
