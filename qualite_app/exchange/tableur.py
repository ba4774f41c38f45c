"""Reading a spreadsheet (.xlsx, .ods) or a CSV file into header + rows of raw cells, whatever its origin.

CSV: the encoding (UTF-8 with or without BOM, else Windows-1252) and the separator (; , tab) are guessed.
Cells keep their type from Excel (numbers, dates) and are text from CSV; callers interpret them.

Two readings of the same file: ``read_rows`` gives every row with the line the file counts (imports that must
find their header row themselves: ``exchange.colonnes.locate_header``), ``read_table`` takes the first row as
the header. Every way a file can be unreadable becomes a French ``UserError`` naming it, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # each row has len(headers) cells
    name: str
    #: the line of each row as the file counts it (header = 1, blank lines counted; the sheet's row number)
    lines: list[int] = field(default_factory=list)

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def line(self, k: int) -> int:
        """The file's line number of row ``k`` (0-based index in ``rows``)."""
        return self.lines[k] if k < len(self.lines) else k + 2


@dataclass
class Feuille:
    """The rows of one sheet (or CSV file) as read, each with the line the file counts (sheet row number,
    CSV line where the row starts: blank lines and multi-line cells counted)."""

    rows: list[tuple[int, list[Any]]]
    name: str
    sheets: list[str] = field(default_factory=list)
    #: cells (« D2 ») holding a formula with no saved value (file written by a program): read as empty
    formules: list[str] = field(default_factory=list)


def read_rows(path: Path | str, *, sheet: str | None = None, max_rows: int = 200_000) -> Feuille:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Fichier introuvable : {path}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        try:
            return _read_csv(path, max_rows)
        except OSError:
            raise UserError(_UNREADABLE.format(name=path.name)) from None
    if suffix == ".ods":
        return _read_ods(path, sheet, max_rows)
    if suffix in (".xlsx", ".xlsm", ".xls") or not suffix:
        return _read_xlsx(path, sheet, max_rows)
    raise UserError(f"« {path.name} » : format non pris en charge (classeur .xlsx ou .ods, ou fichier .csv attendu).")


def read_table(path: Path | str, *, sheet: str | None = None, max_rows: int = 200_000) -> Table:
    """The first row is the header; empty rows are dropped; line numbers are the file's."""
    f = read_rows(path, sheet=sheet, max_rows=max_rows)
    if not f.rows:
        raise UserError(f"« {Path(path).name} » : aucune ligne d'en-têtes trouvée.")
    (_n, headers), *rest = f.rows
    return _normalise(headers, [r for _n, r in rest], Path(path).name, [n for n, _r in rest])


def _normalise(headers: list[Any], rows: list[list[Any]], name: str, lines: list[int] | None = None) -> Table:
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
    numbers = lines if lines is not None else list(range(2, len(rows) + 2))
    out, out_lines = [], []
    for r, n in zip(rows, numbers, strict=True):
        r = list(r[:width]) + [None] * (width - len(r))
        r = [c.strip() if isinstance(c, str) else c for c in r]
        if all(c is None or c == "" for c in r):
            continue
        out.append(r)
        out_lines.append(n)
    if not heads:
        raise UserError(f"« {name} » : aucune ligne d'en-têtes trouvée.")
    return Table(heads, out, name, out_lines)


_UNREADABLE = "« {name} » ne peut pas être lu (droits d'accès, fichier ouvert ailleurs ou disque débranché) : vérifiez-le et recommencez."


# --- xlsx ----------------------------------------------------------------------------------------------
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file: encrypted xlsx, or an old .xls
_RESAVE = "ouvrez-le dans Excel ou LibreOffice et enregistrez-le de nouveau au format .xlsx, puis recommencez"


def _format_errors() -> tuple[type[BaseException], ...]:
    """What a damaged workbook raises while being read (zip, deflate, XML), to be told in French."""
    import zlib
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile, LargeZipFile

    from openpyxl.utils.exceptions import InvalidFileException

    errors: list[type[BaseException]] = [
        BadZipFile,
        LargeZipFile,
        zlib.error,
        EOFError,
        ParseError,
        InvalidFileException,
    ]
    try:
        from lxml.etree import XMLSyntaxError

        errors.append(XMLSyntaxError)
    except ImportError:  # pragma: no cover - lxml is optional for openpyxl
        pass
    return tuple(errors)


@contextmanager
def open_workbook(path: Path | str, *, read_only: bool = True, data_only: bool = True) -> Iterator[Any]:
    """Open an .xlsx for reading; every way a file can be unreadable (not a workbook, truncated, encrypted,
    damaged XML found while reading the rows) becomes a French :class:`UserError` naming the file.

    Use it as ``with open_workbook(path) as wb: ...``: errors raised while iterating the sheets inside the block
    are translated too, and the workbook is closed at the end.
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise UserError(_UNREADABLE.format(name=path.name)) from None
    if head == _OLE_MAGIC:
        raise UserError(
            f"« {path.name} » est protégé par mot de passe : enregistrez-le sans mot de passe "
            "(Fichier › Informations › Protéger le classeur), ou au format .xlsx s'il s'agit d'un ancien .xls, puis recommencez."
        )
    damaged = UserError(
        f"« {path.name} » n'est pas un classeur Excel lisible (fichier incomplet, endommagé ou d'un autre format) : {_RESAVE}."
    )
    try:
        wb = load_workbook(path, read_only=read_only, data_only=data_only)
    except Exception:  # any failure to parse the package is a damaged file, never a crash
        raise damaged from None
    try:
        yield wb
    except _format_errors():
        raise UserError(
            f"« {path.name} » est endommagé : une feuille ne peut pas être lue ; {_RESAVE}."
        ) from None
    finally:
        wb.close()


def _read_xlsx(path: Path, sheet: str | None, max_rows: int) -> Feuille:
    with open_workbook(path) as wb:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise UserError(f"« {path.name} » : pas de feuille « {sheet} » (feuilles : {', '.join(names)}).")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        # the sheet's own row numbers, empty rows included (openpyxl yields them in order, from row 1)
        for n, r in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if len(rows) > max_rows:
                raise UserError(f"« {path.name} » : plus de {max_rows} lignes, fichier trop grand.")
            rows.append((n, list(r or [])))
        formules = _formulas_without_value(path, getattr(ws, "_worksheet_path", None))
        return Feuille(rows, ws.title, names, formules)


def _chunks(fh: Any, size: int = 1 << 20) -> Iterator[bytes]:
    """The stream in overlapping pieces (a tag cut between two pieces is still found)."""
    tail = b""
    while block := fh.read(size):
        yield tail + block
        tail = block[-8:]


def _read_ods(path: Path, sheet: str | None, max_rows: int) -> Feuille:
    """LibreOffice's own format, streamed (``exchange.ods``); a damaged file is told in French."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from qualite_app.exchange import ods

    try:
        names = ods.sheet_names(path)
        if sheet is not None and sheet not in names:
            raise UserError(f"« {path.name} » : pas de feuille « {sheet} » (feuilles : {', '.join(names)}).")
        rows: list[tuple[int, list[Any]]] = []
        for n, cells in ods.rows(path, sheet):
            if len(rows) > max_rows:
                raise UserError(f"« {path.name} » : plus de {max_rows} lignes, fichier trop grand.")
            rows.append((n, cells))
    except OSError:
        raise UserError(_UNREADABLE.format(name=path.name)) from None
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError, EOFError):
        raise UserError(
            f"« {path.name} » n'est pas un classeur OpenDocument lisible (fichier incomplet, endommagé ou d'un autre format) : "
            "ouvrez-le dans LibreOffice et enregistrez-le de nouveau, puis recommencez."
        ) from None
    return Feuille(rows, sheet or (names[0] if names else ""), names)


def _formulas_without_value(path: Path, member: str | None) -> list[str]:
    """Cells (« D2 ») with a formula but no cached value: ``data_only`` reads them as empty."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    if not member:
        return []
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    out: list[str] = []
    try:
        with zipfile.ZipFile(path) as z:
            with z.open(member) as fh:  # a cheap look first: most sheets hold no formula at all
                if not any(b"<f>" in chunk or b"<f " in chunk or b":f>" in chunk or b":f " in chunk for chunk in _chunks(fh)):
                    return []
            with z.open(member) as fh:
                for _ev, el in iterparse(fh):
                    if el.tag == f"{ns}c":
                        if el.find(f"{ns}f") is not None and not (getattr(el.find(f"{ns}v"), "text", None) or ""):
                            out.append(el.get("r") or "")
                        el.clear()
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError):  # already read once: never fatal here
        return out
    return out


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


def _read_csv(path: Path, max_rows: int) -> Feuille:
    text = decode_csv(path.read_bytes())
    if text is None or "\x00" in text[:4096]:  # a binary file renamed .csv
        raise UserError(
            f"« {path.name} » n'est pas un classeur Excel (.xlsx) ni un fichier CSV lisible : rien n'a été importé."
        )
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:

        class _Guess(csv.excel):
            delimiter = max([";", ",", "\t"], key=sample.count)

        dialect = _Guess
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for r in reader:
            if len(rows) > max_rows:
                raise UserError(f"« {path.name} » : plus de {max_rows} lignes, fichier trop grand.")
            rows.append(
                (start, list(r))
            )  # a quoted cell may span several lines: the row starts where it starts
            start = reader.line_num + 1
    except csv.Error:
        limit = f"{csv.field_size_limit():,}".replace(",", "\u202f")
        raise UserError(
            f"« {path.name} », ligne {start} : ligne illisible (une cellule de plus de {limit} caractères, "
            "souvent un guillemet jamais refermé) ; corrigez cette ligne et recommencez."
        ) from None
    return Feuille(rows, "CSV", ["CSV"])
