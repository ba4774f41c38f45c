"""Workbooks damaged the ways real ones are: garbage, truncated, password-protected (OLE), corrupt XML."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def good_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Code indicateur", "Période", "Valeur", "Commentaire"])
    for k in range(1, 200):
        ws.append(
            ["PLAINTES", f"2026-{(k % 12) + 1:02d}", k % 17, "un commentaire assez long pour peser " * 3]
        )
    wb.save(path)
    return path


def garbage(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 40)
    return path


def truncated(path: Path) -> Path:
    raw = good_xlsx(path).read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return path


def encrypted(path: Path) -> Path:
    # what Excel writes for « Protéger le classeur › Chiffrer avec mot de passe »: an OLE compound file
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 504
        + b"EncryptionInfo\x00EncryptedPackage"
        + b"\x00" * 2000
    )
    return path


def replace_in_zip(path: Path, names: tuple[str, ...], data: bytes) -> Path:
    """A valid workbook whose parts ``names`` are replaced by ``data``: a sound zip with damaged XML inside."""
    raw = good_xlsx(path).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, data if item.filename in names else src.read(item.filename))
    path.write_bytes(out.getvalue())
    return path


def corrupt_xml(path: Path) -> Path:
    cut = b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c'
    return replace_in_zip(path, ("xl/worksheets/sheet1.xml",), cut)


def corrupt_shared_strings(path: Path) -> Path:
    return replace_in_zip(path, ("xl/sharedStrings.xml", "xl/workbook.xml"), b"\x00\xff<sst><si><t>Code")


