"""The OpenDocument reader: typed cells, repeated cells and rows, LibreOffice's padding, damaged files."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.exchange.tableur import read_rows, read_table

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
                                  f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    return path


def _cell(v: str) -> str:
    return f"<table:table-cell><text:p>{v}</text:p></table:table-cell>"


def test_typed_cells_repeats_and_padding(tmp_path: Path) -> None:
    body = (
        '<table:table table:name="Notes"><table:table-row>' + _cell("ignorée") + "</table:table-row></table:table>"
        '<table:table table:name="Plan">'
        "<table:table-row>" + _cell("Action") + _cell("Échéance") + _cell("Avancement") + _cell("Fait") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>'
        "<table:table-row>" + _cell("Former<text:s text:c=\"2\"/>l'équipe<text:line-break/>(suite)")
        + '<table:table-cell office:value-type="date" office:date-value="2026-03-15"><text:p>15/03/2026</text:p></table:table-cell>'
        '<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50 %</text:p></table:table-cell>'
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>VRAI</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        "</table:table>"
    )
    f = _ods(tmp_path / "plan.ods", body)
    sheet = read_rows(f, sheet="Plan")
    assert sheet.sheets == ["Notes", "Plan"] and sheet.name == "Plan"
    assert sheet.rows[3] == (4, ["Former  l'équipe\n(suite)", date(2026, 3, 15), 0.5, True])
    assert len(sheet.rows) == 5  # the padding rows of the sheet's edge count once, not a million times
    t = read_table(f, sheet="Plan")
    assert t.headers == ["Action", "Échéance", "Avancement", "Fait"] and t.lines == [4]


def test_damaged_ods_is_said_in_french(tmp_path: Path) -> None:
    bad = tmp_path / "abime.ods"
    bad.write_bytes(b"PK\x03\x04 pas un classeur")
    with pytest.raises(UserError, match="n'est pas un classeur OpenDocument lisible"):
        read_rows(bad)
    half = _ods(tmp_path / "coupe.ods", '<table:table table:name="A"><table:table-row>')
    with pytest.raises(UserError, match="n'est pas un classeur OpenDocument lisible"):
        read_rows(half)
    with pytest.raises(UserError, match="pas de feuille « B »"):
        read_rows(_ods(tmp_path / "a.ods", '<table:table table:name="A"/>'), sheet="B")
