"""PAQSS spreadsheets, written: our own workbook (.xlsx: real dates and numbers, filter, frozen header, one
sheet per axis if asked) and CSV (semicolon, UTF-8 with BOM, dd/mm/yyyy). Both re-import without any mapping
step, and a text a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from qualite_app.paqss import rules
from qualite_app.paqss.xlsx import DATE_FIELDS, EXPORT_FIELDS, FIELDS
from qualite_app.rules.formats import csv_safe


def _sheet_title(text: str, used: set[str]) -> str:
    t = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Feuille"
    base, i = t, 2
    while t.lower() in used:
        suffix = f" ({i})"
        t = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(t.lower())
    return t


def write_xlsx(
    records: list[dict[str, Any]], out: Path, *, par_axe: bool = False, titre: str = "PAQSS"
) -> None:
    """Real dates and numbers, a filter on the header row, the header frozen; one sheet per axis if asked."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    groups: dict[str, list[dict[str, Any]]] = {}
    if par_axe:
        for r in records:
            groups.setdefault(r.get("axe") or "Sans axe", []).append(r)
    else:
        groups[titre] = records
    if not groups:
        groups[titre] = []
    used: set[str] = set()
    widths = {
        "titre": 50,
        "description": 50,
        "axe": 32,
        "objectif": 36,
        "pilote": 24,
        "copilote": 24,
        "service": 26,
        "autres_copilotes": 30,
        "autres_services": 30,
        "motif_statut": 30,
        "resultat_attendu": 36,
        "indicateur": 30,
        "source": 28,
        "source_detail": 26,
    }
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    for name, rows in groups.items():
        ws = wb.create_sheet(_sheet_title(name, used))
        ws.append([FIELDS[f][0] for f in EXPORT_FIELDS])
        for c in ws[1]:
            c.font = Font(bold=True, color="FFFFFF")
            c.fill = head_fill
            c.alignment = Alignment(vertical="center", wrap_text=True)
        for r in rows:
            ws.append([_cell(f, r.get(f)) for f in EXPORT_FIELDS])
            for c in ws[ws.max_row]:
                if c.data_type == "f":  # openpyxl makes a formula of any text starting with « = »
                    c.data_type = "s"
        for j, f in enumerate(EXPORT_FIELDS, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = widths.get(f, 15)
            if f in DATE_FIELDS:
                for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    c.number_format = "DD/MM/YYYY"
            elif f == "avancement":
                for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    c.number_format = '0" %"'
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_FIELDS))}{max(1, len(rows) + 1)}"
    wb.properties.creator = "Qualité & Risques"
    wb.save(out)


def _cell(f: str, v: Any) -> Any:
    if v is None:
        return None
    if f == "avancement":
        return int(v or 0)  # whole percent (a fraction would read back ambiguously: 1 = 1 % or 100 %?)
    if f == "statut":
        return rules.statut_label(v)
    if f == "source":
        return rules.source_label(v)
    if f == "priorite":
        return rules.priorite_label(v)
    return v


def write_csv(records: Iterable[dict[str, Any]], out: Path) -> None:
    """Semicolon-separated UTF-8 with BOM (Excel in French opens it directly), dates dd/mm/yyyy."""
    with Path(out).open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow([FIELDS[f][0] for f in EXPORT_FIELDS])
        for r in records:
            row = []
            for f in EXPORT_FIELDS:
                v = r.get(f)
                if isinstance(v, date):
                    row.append(v.strftime("%d/%m/%Y"))
                elif f == "avancement":
                    row.append(f"{v or 0} %")
                else:
                    c = _cell(f, v)
                    row.append("" if c is None else csv_safe(str(c)))
            w.writerow(row)
