"""The one import pipeline: read → find the header → map the columns → convert every cell → check every
row → preview → commit all or nothing.

Each area's import is a thin layer over these steps (PAQSS actions, indicator results, events, risks…):

1. ``tableur.read_rows`` reads any real file (xlsx, CSV in any encoding and separator) with the file's line
   numbers; ``colonnes.locate_header`` finds the header row under titles and merges a second header row;
2. a ``colonnes.Colonnes`` catalogue guesses the mapping, which the user corrects (``--map``, the mapping step);
3. ``convert_rows`` converts every mapped cell with the area's converters; a date column's order (day/month
   or month/day) is decided from the whole column, never guessed cell by cell; each bad cell is a ``Refus``
   naming its line, column, value and reason, in French;
4. the area checks its rows against the base inside ``essai`` (the preview: the commit's own code, in a
   transaction that is rolled back) and then commits by the same code in one unit of work; a file with any
   refused row imports nothing unless the user explicitly chose to import only the valid rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.rules import formats
from qualite_app.storage.database import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Refus:
    """One refused cell (or row): the file's line, the column's header, the value as written, the reason."""

    ligne: int
    colonne: str
    valeur: str
    motif: str

    def texte(self) -> str:
        return f"ligne {self.ligne}, colonne « {self.colonne} », valeur « {self.valeur} » : {self.motif}"


@dataclass
class ParsedRow:
    ligne: int
    values: dict[str, Any]


def refusal_message(refus: Sequence[Refus], shown: int = 10) -> str:
    """The French message of a refused import: how many lines, the first reasons, and what to do."""
    lines = sorted({r.ligne for r in refus})
    detail = "\n".join(f"  {r.texte()}" for r in refus[:shown])
    more = f"\n  … et {len(refus) - shown} autre(s) refus." if len(refus) > shown else ""
    return (
        f"{len(lines)} ligne(s) refusée(s) : rien n'a été importé.\n{detail}{more}\n"
        "Corrigez le fichier, ou choisissez explicitement de n'importer que les lignes valides."
    )


#: a converter: (raw cell, the column's date order) → typed value, or ValueError with a French message
Converter = Callable[[Any, str | None], Any]


def convert_rows(
    rows: Iterable[tuple[int, list[Any]]],
    headers: Sequence[str],
    mapping: dict[int, str],
    converters: dict[str, Converter],
    *,
    date_fields: Iterable[str] = (),
    label: Callable[[str], str] = str,
    date_order: str | None = None,
) -> tuple[list[ParsedRow], list[Refus]]:
    """Typed rows and refusals; a row with any bad cell is refused as a whole (with every reason).

    ``date_order``: the order of every text date when the file's origin fixes it (our own export); else each
    date column's order is decided from all its values (``formats.date_order``), and a column mixing both
    orders, or readable both ways only, refuses the whole file (``UserError``)."""
    rows = list(rows)
    cols = sorted(mapping.items())
    orders: dict[int, str | None] = {}
    for idx, f in cols:
        if f in set(date_fields):
            if date_order is not None:
                orders[idx] = date_order
                continue
            try:
                orders[idx] = formats.date_order(
                    ((n, c[idx] if idx < len(c) else None) for n, c in rows), headers[idx] or label(f)
                )
            except ValueError as exc:
                raise UserError(str(exc)) from None
    ok: list[ParsedRow] = []
    refus: list[Refus] = []
    for n, cells in rows:
        vals: dict[str, Any] = {}
        bad: list[Refus] = []
        for idx, f in cols:
            raw = cells[idx] if idx < len(cells) else None
            conv = converters.get(f)
            try:
                vals[f] = conv(raw, orders.get(idx, formats.JOUR_MOIS)) if conv else formats.cell_text(raw)
            except ValueError as exc:
                bad.append(Refus(n, headers[idx] or label(f), "" if raw is None else str(raw), str(exc)))
        if bad:
            refus.extend(bad)
        else:
            ok.append(ParsedRow(n, vals))
    return ok, refus


def essai(db: Database, appliquer: Callable[[Session], T]) -> T:
    """Run an import's own writing code in a transaction that is rolled back: the preview. The import then
    runs the very same ``appliquer`` in ``db.unit_of_work()``, so the preview and the import cannot disagree."""
    s = db.session()
    try:
        s.begin()
        return appliquer(s)
    finally:
        s.rollback()
        s.close()


def formula_warnings(
    formules: Iterable[str],
    headers: Sequence[str],
    mapping: dict[int, str],
    label: Callable[[str], str] = str,
) -> list[str]:
    """One warning per mapped column whose formula cells have no saved value (read as empty)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    by_col: dict[int, list[str]] = {}
    for coord in formules:
        try:
            letters, _row = coordinate_from_string(coord)
        except ValueError:
            continue
        idx = column_index_from_string(letters) - 1
        if idx in mapping:
            by_col.setdefault(idx, []).append(coord)
    out = []
    for idx, coords in sorted(by_col.items()):
        shown = ", ".join(coords[:8]) + (" …" if len(coords) > 8 else "")
        out.append(
            f"Colonne « {headers[idx] or label(mapping[idx])} » : {len(coords)} cellule(s) calculée(s) par une formule "
            f"sans valeur enregistrée ({shown}), lue(s) vide(s). Le fichier a sans doute été produit par un programme : "
            "ouvrez-le puis enregistrez-le dans Excel ou LibreOffice pour que les valeurs soient calculées."
        )
    return out
