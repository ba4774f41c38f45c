"""Workbooks damaged the ways real ones are: garbage, truncated, password-protected (OLE), corrupt XML;
and a messy but readable PAQSS workbook (``messy_workbook``) as directors really have them."""

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


def messy_workbook(path: Path) -> Path:
    """What directors really have: a title row, merged header cells over a sub-header row, text dates,
    Excel serials, percentages written three ways, blank lines, trailing spaces, an unknown pilot, a bad date."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Plan d'actions 2026"
    ws.append(["PAQSS 2026 — Centre hospitalier de Val-de-Brume"])
    ws.merge_cells("A1:I1")
    ws.append([])
    ws.append(
        ["N°", "Axe", "Objectif", "Actions à mener", "Responsable", "Échéance", None, "État", "% avancement"]
    )
    ws.merge_cells("F3:G3")
    ws.append([None, None, None, None, None, "prévue", "révisée", None, None])
    ws.append(
        [
            "PAQ-001",
            "A1 - Culture de sécurité",
            "Déclarer les EI",
            "Former les internes à la déclaration  ",
            "Dr Hélène Brévanne",
            "15/03/2026",
            None,
            "En cours",
            "50 %",
        ]
    )
    ws.append([])
    ws.append(
        [
            "PAQ-002",
            "A1 - Culture de sécurité",
            "Déclarer les EI",
            "Publier un retour d'expérience",
            "BREVANNE Hélène / Julien ARSAC",
            46203,
            None,
            "à lancer",
            "0,5",
        ]
    )
    ws.append(
        [
            "PAQ-003",
            "A2 Médicament",
            "Sécuriser le circuit",
            "Conciliation médicamenteuse",
            "Zébulon INCONNU",
            "30/06/2026",
            "31/12/2026",
            "Reportée",
            20,
        ]
    )
    ws.append(
        [
            "PAQ-004",
            "A2 Médicament",
            "Sécuriser le circuit",
            "Double vérification",
            "Julien Arsac",
            "31/02/2026",
            None,
            "En cours",
            "10",
        ]
    )
    ws.append(["  ", None, None, None, None, None, None, None, None])
    ws.append(
        [
            None,
            "A2 Médicament",
            "Sécuriser le circuit",
            "Armoires sécurisées",
            "julien arsac",
            "2026-09-30",
            None,
            "Terminée",
            "100 %",
        ]
    )
    wb.save(path)
    return path


def own_words_csv(path: Path) -> Path:
    """A plan written in its author's own words: no column name the import recognises (« Chantier »,
    « Porteur », « Pour quand »): only an explicit mapping reads it."""
    path.write_text(
        "Chantier;Porteur;Pour quand;Thème\n"
        "Former les soignants;Julien Arsac;15/03/2026;Culture\n"
        "Auditer les chariots;Julien Arsac;30/06/2026;Culture\n",
        encoding="utf-8",
    )
    return path


def paqss_long(path: Path, n: int) -> Path:
    """A PAQSS workbook of ``n`` actions (« PAGE-0001 »…): a list longer than a screen's page; one action
    in four speaks of « douleur » (filtering it by text gives fewer pages)."""
    from datetime import date, timedelta

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("PAQSS")
    ws.append(["Référence", "Axe", "Objectif", "Action", "Pilote", "Échéance", "Statut", "Avancement"])
    today = date.today()
    for i in range(1, n + 1):
        sujet = "Évaluer la douleur" if i % 4 == 0 else "Sécuriser le circuit"
        ws.append([f"PAGE-{i:04d}", "Z – Axe de la liste longue", "Z.1 – Objectif de la liste longue",
                   f"{sujet} (unité {i})", "Julien Arsac", today + timedelta(days=i % 400 - 100), "En cours",
                   i % 10 * 10])  # fmt: skip
    wb.save(path)
    return path
