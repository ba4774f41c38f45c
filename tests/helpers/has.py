"""HAS open data files built the way the real ones are: FINESS as numbers, values as text, DI / NR statuses."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qualite_app.etablissement.models import Etablissement
from qualite_app.storage.database import Database

HAS_HEADERS = [
    "finess_ej", "finess_geo", "rs", "region",
    "esatis48h_score_all", "esatis48h_nb_rep", "esatis48h_classe", "esatis48h_evol",
    "icsha3_res", "icsha3_classe",
    "qls_mco_score", "qls_mco_classe",
    "qls_ca_score", "qls_ca_ic_inf",
    "autre_indicateur_xyz",
]  # fmt: skip



def has_rows() -> list[list[object]]:
    return [
        [750000001, 750000019, "Clinique des Autres", "Île-de-France", "71,2", "150", "C", "stable", "85", "A", "80", "B", "70", "65", "1"],
        # our establishment: FINESS stored as numbers (leading zero lost), scores as text, DI / NR statuses
        [19990015, "19990023", "CH de Val-de-Brume", "Auvergne-Rhône-Alpes", "74,6", "312", "B", "en hausse", "DI", "DI", "NR", "NR", "81,5", "77,0", "2"],
    ]



def make_has_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HAS_HEADERS)
    for r in has_rows():
        ws.append(r)
    wb.save(path)
    return path



def make_has_csv(path: Path) -> Path:
    lines = [";".join(HAS_HEADERS)] + [";".join(str(c) for c in r) for r in has_rows()]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    return path



ESATIS_ID = ["finess", "rs_finess", "finess_geo", "rs_finess_geo", "region", "participation", "Depot"]



def esatis_headers(secteur: str, all_token: str = "all") -> list[str]:
    subs = ["accueil", "PECinf", "PECmed", "chambre", "repas", "sortie"]
    heads = [
        *ESATIS_ID,
        f"nb_rep_score_{all_token}_{secteur}_ajust",
        f"score_{all_token}_{secteur}_ajust",
        "classement",
        "evolution",
    ]
    for s in subs:
        heads += [f"nb_rep_score_{s}_{secteur}_ajust", f"score_{s}_{secteur}_ajust"]
    return [*heads, "taux_reco_brut", "nb_reco_brut"]



def esatis_row(
    finess: object, rs: str, geo: object, rs_geo: str, score: str, n: str, classe: str, sub: str = "71,2"
) -> list[object]:
    row: list[object] = [
        finess,
        rs,
        geo,
        rs_geo,
        "Auvergne-Rhône-Alpes",
        "Oui",
        "Oui",
        n,
        score,
        classe,
        "Stable",
    ]
    for _ in range(6):
        row += ["48", sub]
    return [*row, "82,5", "48"]



def workbook(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Résultats"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path



OTHER = [750000001, "Clinique des Autres", 750000019, "Clinique des Autres", "61,0", "140", "C"]



SITES_HEADERS = [*esatis_headers("ssr", "ALL")[:7], "ville", *esatis_headers("ssr", "ALL")[7:]]



def sites_rows() -> list[list[object]]:
    def with_town(row: list[object], town: str) -> list[object]:
        return [*row[:7], town, *row[7:]]

    return [
        with_town(esatis_row(*OTHER), "Paris"),
        with_town(
            esatis_row(
                19990015, "GHT de Val-de-Brume", 19990023, "CH de Val-de-Brume — site Nord", "76,4", "54", "B"
            ),
            "Brume-les-Bains",
        ),
        with_town(
            esatis_row(
                19990015,
                "GHT de Val-de-Brume",
                190000049,
                "Centre de réadaptation des Pins",
                "68,0",
                "97",
                "C",
            ),
            "Saint-Aulas",
        ),
    ]



def only_ej(db: Database) -> None:
    with db.unit_of_work() as s:
        etab = s.scalar(select(Etablissement))
        assert etab is not None
        etab.finess_et = None

