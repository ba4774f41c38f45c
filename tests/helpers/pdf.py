"""Reading a produced PDF back as a person would: the text of each page, the outline, the contents' page
numbers, the pictures, the fonts that ``pdffonts`` lists."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [" ".join((p.extract_text() or "").split()) for p in reader(pdf).pages]


def outline(pdf: bytes) -> list[tuple[str, int]]:
    """(title, page number from 1) of every outline entry, in reading order, nested levels flattened."""
    r = reader(pdf)
    out: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((item.title, r.get_destination_page_number(item) + 1))

    walk(r.outline)
    return out


def toc_numbers(page_text: str, title: str = "Sommaire") -> list[int]:
    """The page numbers a table of contents gives, in its order (each follows the dot leader of its line)."""
    return [int(n) for n in re.findall(r"(?:\. ?)+(\d+)", page_text.split(title, 1)[-1])]


def image_names(pdf: bytes) -> set[str]:
    """Distinct image XObjects drawn on the pages (the same logo on every page counts once)."""
    return {img.name for p in reader(pdf).pages for img in p.images}


def page_content(pdf: bytes, index: int) -> str:
    """The raw drawing operators of a page (to check colours)."""
    return reader(pdf).pages[index].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]


def fonts(pdf: bytes, folder: Path) -> list[tuple[str, bool]] | None:
    """(name, embedded) of each font ``pdffonts`` lists, or None when poppler-utils is absent."""
    if shutil.which("pdffonts") is None:
        return None
    f = folder / "lu.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        rows.append((cols[0], cols[-5] == "yes"))
    return rows
