"""Reading a spreadsheet (.xlsx) or a CSV file into header + rows of raw cells, whatever its origin.

CSV: the encoding (UTF-8 with or without BOM, else Windows-1252) and the separator (; , tab) are guessed.
Cells keep their type from Excel (numbers, dates) and are text from CSV; callers interpret them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # each row has len(headers) cells
    name: str

    def column(self, header: str) -> int:
        return self.headers.index(header)


def read_table(path: Path | str, *, sheet: str | None = None, max_rows: int = 200_000) -> Table:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Fichier introuvable : {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, max_rows)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, max_rows)
    raise UserError(f"« {path.name} » : format non pris en charge (classeur .xlsx ou fichier .csv attendu).")


def _normalise(headers: list[Any], rows: list[list[Any]], name: str) -> Table:
    heads = [str(h).strip() if h is not None else "" for h in headers]
    width = len(heads)
    while width and not heads[width - 1]:
        width -= 1
    heads = heads[:width]
    seen: dict[str, int] = {}
    for i, h in enumerate(heads):
        h = h or f"Colonne {i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        heads[i] = h
    out = []
    for r in rows:
        r = list(r[:width]) + [None] * (width - len(r))
        r = [c.strip() if isinstance(c, str) else c for c in r]
        if all(c is None or c == "" for c in r):
            continue
        out.append(r)
    if not heads:
        raise UserError(f"« {name} » : aucune ligne d'en-têtes trouvée.")
    return Table(heads, out, name)


def _read_xlsx(path: Path, sheet: str | None, max_rows: int) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise UserError(f"« {path.name} » n'est pas un classeur Excel lisible ({exc}).") from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        headers = list(next(it, []) or [])
        rows = []
        for k, r in enumerate(it):
            if k >= max_rows:
                raise UserError(f"« {path.name} » : plus de {max_rows} lignes, fichier trop grand.")
            rows.append(list(r))
    finally:
        wb.close()
    return _normalise(headers, rows, path.name)


def decode_csv(raw: bytes) -> str | None:
    """Text of a CSV file as spreadsheets write it.

    A byte-order mark decides (UTF-32, UTF-8, UTF-16: Excel's « Texte Unicode » is UTF-16LE with BOM);
    without one, a NUL byte every other byte means UTF-16 (LE or BE); then UTF-8, else Windows-1252.
    """
    import codecs

    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    candidates: list[tuple[bytes, str]] = []
    for bom, enc in boms:
        if raw.startswith(bom):
            candidates.append((raw[len(bom) :], enc))
            break
    sample = raw[:4096]
    if not candidates and len(sample) >= 2 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.1:
            candidates.append((raw, "utf-16-le"))
        elif even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.1:
            candidates.append((raw, "utf-16-be"))
    candidates += [(raw, "utf-8-sig"), (raw, "cp1252")]
    for data, enc in candidates:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - cp1252 decodes almost anything


def _read_csv(path: Path, max_rows: int) -> Table:
    text = decode_csv(path.read_bytes())
    if text is None:  # pragma: no cover
        raise UserError(f"« {path.name} » : encodage non reconnu.")
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:

        class _Guess(csv.excel):
            delimiter = ";" if sample.count(";") >= sample.count(",") else ","

        dialect = _Guess
    reader = csv.reader(io.StringIO(text), dialect)
    headers = next(reader, [])
    rows = []
    for k, r in enumerate(reader):
        if k >= max_rows:
            raise UserError(f"« {path.name} » : plus de {max_rows} lignes, fichier trop grand.")
        rows.append(list(r))
    return _normalise(headers, rows, path.name)
