"""Reading an OpenDocument spreadsheet (.ods, LibreOffice's own format) into rows, like an .xlsx.

Streamed with ElementTree's ``iterparse`` over ``content.xml``: memory stays flat on a big sheet. The cells
keep their type (numbers as float, dates as date/datetime, booleans, percentages as fractions like Excel,
text with its spaces and line breaks); ``number-columns-repeated`` / ``number-rows-repeated`` are expanded,
except the huge runs of empty cells LibreOffice writes to the sheet's edge (up to column 1024, row 1048576).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, iterparse

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#: a repeated run of empty rows or cells longer than this is the sheet's padding, not data
PADDING = 1000


def sheet_names(path: Path) -> list[str]:
    names = []
    with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
        for _ev, el in iterparse(fh):
            if el.tag == f"{{{TABLE}}}table":
                names.append(el.get(f"{{{TABLE}}}name") or "")
                el.clear()
            elif el.tag == f"{{{TABLE}}}table-row":
                el.clear()
    return names


def rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(row number in the sheet, cells) of one sheet (the first by default), empty rows included."""
    with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
        current: str | None = None
        n = 0
        for ev, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if ev == "start":
                if tag == f"{{{TABLE}}}table":
                    current = el.get(f"{{{TABLE}}}name") or ""
                continue
            if tag == f"{{{TABLE}}}table":
                if current is not None and (sheet is None or current == sheet):
                    return
                current = None
                n = 0
                el.clear()
            elif tag == f"{{{TABLE}}}table-row" and current is not None:
                wanted = sheet is None or current == sheet
                repeat = int(el.get(f"{{{TABLE}}}number-rows-repeated") or 1)
                cells = _cells(el) if wanted else []
                if wanted:
                    if not any(c is not None for c in cells) and repeat > PADDING:
                        repeat = 1
                    for _ in range(repeat):
                        n += 1
                        yield n, list(cells)
                el.clear()


def _cells(row: Element) -> list[Any]:
    out: list[Any] = []
    for cell in row:
        if cell.tag not in (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{{{TABLE}}}number-columns-repeated") or 1)
        value = _value(cell)
        if value is None and repeat > PADDING:
            repeat = 1
        out.extend([value] * repeat)
    while out and out[-1] is None:
        out.pop()
    return out


def _value(cell: Element) -> Any:
    kind = cell.get(f"{{{OFFICE}}}value-type")
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(f"{{{OFFICE}}}value") or 0)
    if kind == "date":
        raw = cell.get(f"{{{OFFICE}}}date-value") or ""
        try:
            return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return (cell.get(f"{{{OFFICE}}}boolean-value") or "").lower() == "true"
    paragraphs = [_text(p) for p in cell if p.tag == f"{{{TEXT}}}p"]
    text = "\n".join(paragraphs)
    return text if text else None


def _text(el: Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == f"{{{TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c") or 1))
        elif child.tag == f"{{{TEXT}}}tab":
            parts.append("\t")
        elif child.tag == f"{{{TEXT}}}line-break":
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
