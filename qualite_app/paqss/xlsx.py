"""PAQSS spreadsheets: read real-world workbooks (.xlsx, .csv) tolerantly, write clean ones.

Reading never touches the database: it returns typed rows and refusals (row, column, value,
reason). The service matches people and structure, previews, then commits all or nothing.
openpyxl is imported inside the functions (it is heavy and the GUI does not need it at start).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError
from qualite_app.paqss import rules
from qualite_app.rules.text import fold

# --- the columns we know, with the headers people actually write -----------------------------
FIELDS: dict[str, tuple[str, list[str]]] = {
    "reference": (
        "Référence",
        [
            "reference",
            "ref",
            "n",
            "no",
            "numero",
            "n action",
            "numero action",
            "id",
            "identifiant",
            "code action",
        ],
    ),
    "axe": ("Axe", ["axe", "axe strategique", "axes", "thematique", "theme", "chapitre"]),
    "objectif": (
        "Objectif",
        ["objectif", "objectifs", "objectif operationnel", "objectif strategique", "sous-objectif"],
    ),
    "titre": (
        "Action",
        [
            "action",
            "actions",
            "intitule",
            "intitule de l action",
            "titre",
            "libelle",
            "action d amelioration",
            "actions d amelioration",
            "action a mener",
            "actions a mener",
            "mesure",
        ],
    ),
    "description": ("Description", ["description", "detail", "descriptif", "modalites", "details"]),
    "source": ("Source", ["source", "origine", "source de l action", "provenance"]),
    "source_detail": (
        "Précision sur la source",
        ["precision sur la source", "detail source", "reference source", "critere"],
    ),
    "priorite": ("Priorité", ["priorite", "criticite", "niveau de priorite"]),
    "pilote": (
        "Pilote",
        ["pilote", "responsable", "referent", "porteur", "pilote de l action", "responsable de l action"],
    ),
    "copilote": ("Copilote", ["copilote", "co-pilote", "co pilote", "copilotes", "binome", "co-responsable"]),
    "service": ("Service", ["service", "services", "unite", "secteur", "service concerne", "pole service"]),
    "autres_copilotes": (
        "Autres copilotes",
        ["autres copilotes", "autres co-pilotes", "copilotes supplementaires", "copilotes associes"],
    ),
    "autres_services": (
        "Autres services",
        ["autres services", "services associes", "services supplementaires", "autres services concernes"],
    ),
    "date_debut": (
        "Date de début",
        ["date de debut", "debut", "date debut", "demarrage", "date de demarrage", "lancement"],
    ),
    "echeance": (
        "Échéance",
        [
            "echeance",
            "date prevue",
            "date butoir",
            "date limite",
            "echeance initiale",
            "echeance prevue",
            "delai",
            "date d echeance",
            "date de fin prevue",
            "date de realisation prevue",
        ],
    ),
    "echeance_revisee": (
        "Échéance révisée",
        [
            "echeance revisee",
            "nouvelle echeance",
            "date revisee",
            "echeance reportee",
            "date de report",
            "echeance reelle revisee",
        ],
    ),
    "statut": ("Statut", ["statut", "etat", "etat d avancement", "situation"]),
    "motif_statut": (
        "Motif (abandon / report)",
        ["motif", "motif abandon report", "justification", "motif du report", "motif de l abandon"],
    ),
    "avancement": (
        "Avancement (%)",
        [
            "avancement",
            "avancement %",
            "% avancement",
            "% d avancement",
            "pourcentage",
            "taux de realisation",
            "%",
            "progression",
        ],
    ),
    "resultat_attendu": ("Résultat attendu", ["resultat attendu", "resultats attendus", "effet attendu"]),
    "indicateur": (
        "Indicateur",
        ["indicateur", "indicateur de suivi", "indicateurs", "indicateur de resultat"],
    ),
    "indicateur_initial": (
        "Valeur initiale",
        ["valeur initiale", "valeur de depart", "baseline", "situation initiale", "valeur de reference"],
    ),
    "indicateur_cible": ("Cible", ["cible", "valeur cible", "objectif chiffre", "objectif cible"]),
    "validation_cme_le": (
        "Validée en CME le",
        ["validee en cme le", "validation cme", "date cme", "date de validation cme", "avis cme"],
    ),
    "realisee_le": ("Réalisée le", ["realisee le", "date de realisation", "date de cloture", "date reelle"]),
}
#: a text starting with one of these is run as a formula by spreadsheets (CSV/formula injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the longest action title the database keeps (models.paqss.PaqssAction.titre)
MAX_TITRE = 300
#: fields whose values are dates
DATE_FIELDS = ("date_debut", "echeance", "echeance_revisee", "validation_cme_le", "realisee_le")
#: the column order of our own exports (re-imported without any mapping step)
EXPORT_FIELDS = list(FIELDS)


@lru_cache(maxsize=65536)
def _key(header: Any) -> str:
    """Header → comparable key: folded, punctuation removed, a final plural « s » dropped from each word."""
    words = re.sub(r"[^a-z0-9%]+", " ", fold(str(header or "")).replace("'", " ")).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


_SYNONYMS = {f: {_key(x) for x in (lab, *syn)} for f, (lab, syn) in FIELDS.items()}


def guess_field(header: Any) -> str | None:
    """The field a header means (accents, case, punctuation and synonyms ignored), or None."""
    k = _key(header)
    if not k:
        return None
    for f, syns in _SYNONYMS.items():
        if k in syns:
            return f
    best: tuple[int, str] | None = None
    for f, syns in _SYNONYMS.items():
        for s in syns:
            if (
                len(s) >= 4
                and (k.startswith(s + " ") or f" {s}" in f" {k}")
                and (best is None or len(s) > best[0])
            ):
                best = (len(s), f)
    return best[1] if best else None


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """column index -> field; each field taken once (the first column that claims it)."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        f = guess_field(h)
        if f and f not in taken:
            out[i] = f
            taken.add(f)
    return out


#: fields that with the title make a credible action plan (at least MIN_OTHER_FIELDS of them)
MIN_OTHER_FIELDS = 2


def field_of(name: str) -> str | None:
    """A field named by its key (« echeance ») or its label (« Échéance »); « ignorer » or empty → ""."""
    k = _key(name)
    if k in ("", "ignorer", "aucun"):
        return ""
    for f, (label, _syn) in FIELDS.items():
        if k in (_key(f), _key(label), _key(f.replace("_", " "))):
            return f
    return None


def explicit_mapping(
    headers: list[str], guessed: dict[int, str], pairs: list[tuple[str, str]]
) -> dict[int, str]:
    """The guessed mapping corrected by the user's ``COLONNE=champ`` pairs (French errors listing valid names)."""
    out = dict(guessed)
    for col, name in pairs:
        f = field_of(name)
        if f is None:
            raise UserError(
                f"Champ « {name} » inconnu pour la colonne « {col} ». Champs possibles : "
                + ", ".join(f"{k} ({lab})" for k, (lab, _s) in FIELDS.items())
                + " ; « ignorer » pour écarter la colonne."
            )
        idx = next((i for i, h in enumerate(headers) if h == col), None)
        if idx is None:
            idx = next((i for i, h in enumerate(headers) if h and _key(h) == _key(col)), None)
        if idx is None:
            raise UserError(
                f"Colonne « {col} » absente du fichier. Colonnes trouvées : "
                + ", ".join(h for h in headers if h)
                + "."
            )
        out = {i: g for i, g in out.items() if g != f and i != idx}
        if f:
            out[idx] = f
    return out


def check_mapping(table: Table, mapping: dict[int, str], filename: str = "") -> None:
    """Import only an action plan: the title column plus at least two other PAQSS columns, else refuse
    and list the columns expected and those found (a survey of towns is not a list of actions)."""
    fields = set(mapping.values())
    if "titre" in fields and len(fields - {"titre"}) >= MIN_OTHER_FIELDS:
        return
    where = f"« {filename} », feuille « {table.sheet} »" if filename else f"La feuille « {table.sheet} »"
    recognised = [f"{table.headers[i] or '?'} → {FIELDS[f][0]}" for i, f in sorted(mapping.items())]
    head = (
        f"Aucune ligne d'en-têtes reconnue : {where} ne ressemble pas à un plan d'actions."
        if not mapping
        else f"{where} ne ressemble pas à un plan d'actions : colonnes reconnues : {', '.join(recognised)}."
    )
    raise UserError(
        f"{head}\nIl faut la colonne de l'action (intitulé) et au moins {MIN_OTHER_FIELDS} autres colonnes du PAQSS ; "
        "rien n'a été importé.\n"
        f"Colonnes attendues : {', '.join(label for label, _s in FIELDS.values())}.\n"
        f"Colonnes trouvées : {', '.join(h for h in table.headers if h) or 'aucune'}.\n"
        "Indiquez la correspondance des colonnes (étape « Correspondance » de l'import, "
        "ou --map COLONNE=champ en ligne de commande)."
    )


# --- values ----------------------------------------------------------------------------------
_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
#: the two orders of a text date: day first (French) or month first (US locale of LibreOffice/Excel)
JOUR_MOIS, MOIS_JOUR = "jm", "mj"


def date_order(values: Iterable[tuple[int, Any]], column: str) -> str | None:
    """The order of a column's text dates, decided from ALL its values (pairs (line, value)).

    A first number above 12 can only be a day (day first), a second one above 12 (month first). Both in
    one column, or only dates readable both ways (03/04/2026): the column is refused (ValueError with a
    French message naming it), never guessed. None: nothing to decide (real dates, serials, ISO, 05/05).
    """
    jm: tuple[int, str] | None = None
    mj: tuple[int, str] | None = None
    ambiguous: tuple[int, str] | None = None
    for line, value in values:
        if not isinstance(value, str):
            continue
        m = _DATE_RE.match(value.strip())
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            jm = jm or (line, value.strip())
        elif b > 12 >= a:
            mj = mj or (line, value.strip())
        elif a != b and a <= 12 and b <= 12:
            ambiguous = ambiguous or (line, value.strip())
    if jm and mj:
        raise ValueError(
            f"Colonne « {column} » : des dates jour/mois (« {jm[1]} », ligne {jm[0]}) et mois/jour (« {mj[1]} », "
            f"ligne {mj[0]}) sont mélangées ; l'ordre ne peut pas être décidé. Rien n'a été importé : écrivez les "
            "dates sous la forme aaaa-mm-jj ou en vraies dates du tableur."
        )
    if jm or mj:
        return JOUR_MOIS if jm else MOIS_JOUR
    if ambiguous:
        raise ValueError(
            f"Colonne « {column} » : l'ordre jour/mois des dates ne peut pas être décidé — toutes se lisent dans "
            f"les deux sens (« {ambiguous[1]} », ligne {ambiguous[0]} : jour/mois ou mois/jour ?). Rien n'a été "
            "importé : écrivez ces dates sous la forme aaaa-mm-jj ou en vraies dates du tableur."
        )
    return None


_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, order: str | None = JOUR_MOIS) -> date | None:
    """Dates as Excel gives them: real dates, serial numbers, or text 15/03/2026, 15-03-26, 2026-03-15."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"« {value} » n'est pas une date (attendu : jj/mm/aaaa).")
    text = str(value).strip()
    if not text:
        return None
    m = _DATE_RE.match(text)
    try:
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if order == MOIS_JOUR:
                d, mo = mo, d
            if y < 100:
                y += 2000
            return date(y, mo, d)
        m = _ISO_RE.match(text)
        if m:
            return date(*(int(x) for x in m.groups()))
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text))
    except ValueError:
        pass
    raise ValueError(f"« {text} » n'est pas une date valide (attendu : jj/mm/aaaa).")


def parse_percent(value: Any) -> int:
    """50 %, 50%, 0,5, 0.5 (a fraction from a percent-formatted cell) or 50 → 50."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"« {value} » n'est pas un pourcentage.")
    if isinstance(value, float):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
        pct = value * 100 if 0 < value < 1 else value  # 0.5 from a percent-formatted cell
    elif isinstance(value, int):
        pct = value
    else:
        text = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if not text:
            return 0
        has_pct = text.endswith("%")
        text = text.rstrip("%").strip().replace(",", ".").replace(" ", "")
        try:
            num = float(text)
        except ValueError:
            raise ValueError(f"« {value} » n'est pas un pourcentage (exemples : 50 %, 0,5, 50).") from None
        if not math.isfinite(num):
            raise ValueError(f"« {value} » n'est pas un pourcentage (exemples : 50 %, 0,5, 50).")
        if num < 0:  # « -0,5 » is not 0 %: a negative progress is an error in the file
            raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
        pct = num * 100 if not has_pct and "." in text and 0 <= num <= 1 else num
    pct = round(float(pct))
    if not 0 <= pct <= 100:
        raise ValueError(f"« {value} » : l'avancement doit être compris entre 0 et 100 %.")
    return int(pct)


_STATUTS = {
    rules.A_LANCER: [
        "a lancer",
        "non demarree",
        "non demarre",
        "a faire",
        "prevue",
        "prevu",
        "non commencee",
        "non commence",
        "a venir",
        "a initier",
    ],
    rules.EN_COURS: ["en cours", "demarree", "demarre", "en cours de realisation", "initiee", "en retard"],
    rules.REALISEE: [
        "realisee",
        "realise",
        "terminee",
        "termine",
        "fait",
        "faite",
        "soldee",
        "solde",
        "cloturee",
        "cloture",
        "achevee",
    ],
    rules.ABANDONNEE: ["abandonnee", "abandonne", "annulee", "annule", "abandon"],
    rules.REPORTEE: ["reportee", "reporte", "differee", "differe", "suspendue", "suspendu", "report"],
}
_STATUT_INDEX = {_key(s): code for code, lst in _STATUTS.items() for s in lst}


@lru_cache(maxsize=4096)
def parse_statut(value: Any) -> str:
    k = _key(value)
    if not k:
        return rules.A_LANCER
    if k in _STATUT_INDEX:
        return _STATUT_INDEX[k]
    raise ValueError(f"« {value} » n'est pas un statut connu ({', '.join(rules.STATUTS.values())}).")


_SOURCES = [
    ("eigs", ["eigs", "evenement grave"]),
    ("certification", ["certif", "has", "critere", "visite"]),
    ("iqss", ["iqss", "e satis", "esatis", "indicateur"]),
    ("ei", ["crex", "rmm", "remed", "evenement", "ei ", "eias", "fei"]),
    ("plainte", ["plainte", "reclamation", "cdu"]),
    ("audit", ["audit", "epp", "traceur", "evaluation"]),
    ("risques", ["cartographie", "risque"]),
    ("inspection", ["inspection", "controle", "ars"]),
    ("cpom", ["cpom", "caqes"]),
    ("retex", ["retex", "exercice", "crise"]),
]
_SOURCE_LABELS = {_key(lab): code for code, lab in rules.SOURCES.items()}


@lru_cache(maxsize=4096)
def parse_source(value: Any) -> tuple[str, str | None]:
    """(source code, detail): never refused — an unknown source becomes « autre » with the text kept."""
    text = str(value or "").strip()
    k = _key(text)
    if not k:
        return "autre", None
    if k in _SOURCE_LABELS:
        return _SOURCE_LABELS[k], None
    if k in rules.SOURCES:
        return k, None
    for code, words in _SOURCES:
        if any(f" {_key(w)}" in f" {k}" for w in words):
            return code, text
    return "autre", text


_PRIO = {
    "1": 1,
    "haute": 1,
    "elevee": 1,
    "forte": 1,
    "prioritaire": 1,
    "2": 2,
    "moyenne": 2,
    "normale": 2,
    "3": 3,
    "basse": 3,
    "faible": 3,
}


def parse_priorite(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 2
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and int(value) == value
        and int(value) in (1, 2, 3)
    ):
        return int(value)
    k = _key(value)
    if k in _PRIO:
        return _PRIO[k]
    raise ValueError(f"« {value} » n'est pas une priorité (1 haute, 2 moyenne, 3 basse).")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    t = str(value).strip()
    if len(t) > 1 and t[0] == "'" and t[1] in FORMULA_START:
        t = t[1:]  # the quote our CSV export puts before text that a spreadsheet would run as a formula
    return t or None


# --- reading ---------------------------------------------------------------------------------
@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the sheet, cells)
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    #: cells holding a formula with no value saved (file written by a program, never opened in a spreadsheet)
    formules: list[str] = field(default_factory=list)


def _not_a_workbook(path: Path) -> UserError:
    return UserError(
        f"« {path.name} » n'est pas un classeur Excel (.xlsx) ni un fichier CSV lisible : rien n'a été importé."
    )


def read_table(
    path: Path, sheet: str | None = None, *, max_header_scan: int = 15, known: Iterable[str] = ()
) -> Table:
    """``known``: column headers the user mapped explicitly (they count as recognised to find the header row)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"Le fichier « {path} » est introuvable.")
    formules: list[str] = []
    if path.suffix.lower() in (".csv", ".txt"):
        raw_rows = list(_csv_rows(path))
        sheets = ["CSV"]
        name = "CSV"
    else:
        raw_rows, name, sheets, formules = _xlsx_rows(path, sheet)
    table = _table(raw_rows, name, sheets, max_header_scan, {_key(k) for k in known} - {""})
    table.formules = formules
    return table


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[list[Any]], str, list[str], list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _not_a_workbook(path) from exc
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise _not_a_workbook(path) from exc
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            ws = wb[names[0]]
            name = names[0]
        elif sheet in names:
            ws = wb[sheet]
            name = sheet
        else:
            raise UserError(f"Le classeur n'a pas de feuille « {sheet} » (feuilles : {', '.join(names)}).")
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        formules = _formulas_without_value(path, getattr(ws, "_worksheet_path", None))
    finally:
        wb.close()
    return rows, name, names, formules


def _formulas_without_value(path: Path, member: str | None) -> list[str]:
    """Cells (« D2 ») with a formula but no cached value: ``data_only`` reads them as empty."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    if not member:
        return []
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    out: list[str] = []
    try:
        with zipfile.ZipFile(path) as z, z.open(member) as fh:
            for _ev, el in iterparse(fh):
                if el.tag == f"{ns}c":
                    if el.find(f"{ns}f") is not None and not (getattr(el.find(f"{ns}v"), "text", None) or ""):
                        out.append(el.get("r") or "")
                    el.clear()
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError):  # already read once: never fatal here
        return out
    return out


def formula_warnings(table: Table, mapping: dict[int, str]) -> list[str]:
    """One warning per mapped column with formula cells that have no saved value (read as empty)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    by_col: dict[int, list[str]] = {}
    for coord in table.formules:
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
            f"Colonne « {table.headers[idx] or FIELDS[mapping[idx]][0]} » : {len(coords)} cellule(s) calculée(s) par une formule "
            f"sans valeur enregistrée ({shown}), lue(s) vide(s). Le fichier a sans doute été produit par un programme : "
            "ouvrez-le puis enregistrez-le dans Excel ou LibreOffice pour que les valeurs soient calculées."
        )
    return out


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    from qualite_app.exchange.tableur import decode_csv

    text = decode_csv(path.read_bytes())  # UTF-8, Windows-1252, UTF-16 (Excel's « Texte Unicode »)…
    if text is None or "\x00" in text[:4096]:  # a binary file
        raise _not_a_workbook(path)
    sample = text[:8192]
    delim = max([";", ",", "\t"], key=sample.count)
    yield from csv.reader(io.StringIO(text), delimiter=delim)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_subheader(nxt: list[Any], header: list[str]) -> bool:
    """A second header row: short texts only, one under an empty (merged) header cell, no action title."""
    texts = [c for c in nxt if not _blank(c)]
    if not texts or not all(isinstance(c, str) and len(c) < 40 for c in texts):
        return False
    title_cols = [j for j, f in guess_mapping(header).items() if f == "titre"]
    if any(not _blank(nxt[j]) for j in title_cols):
        return False
    return any(h == "" and not _blank(nxt[j]) for j, h in enumerate(header))


def _table(
    raw: list[list[Any]],
    name: str,
    sheets: list[str],
    scan: int,
    known: set[str] | frozenset[str] = frozenset(),
) -> Table:
    """Find the header row (the first with ≥ 2 known headers, else the first non-empty one: the mapping
    step then shows its columns), merge a second header row under merged cells."""
    best = -1
    for i, row in enumerate(raw[:scan]):
        if sum(1 for c in row if guess_field(c) or (known and _key(c) in known)) >= 2:
            best = i
            break
    if best < 0:
        best = next((i for i, row in enumerate(raw[:scan]) if sum(1 for c in row if not _blank(c)) >= 2), -1)
    if best < 0:
        best = next((i for i, row in enumerate(raw[:scan]) if not all(_blank(c) for c in row)), -1)
    if best < 0:
        raise UserError(f"La feuille « {name} » est vide : rien n'a été importé.")
    header = [str(c).strip() if not _blank(c) else "" for c in raw[best]]
    width = max(len(header), max((len(r) for r in raw[best + 1 :]), default=0))
    header += [""] * (width - len(header))
    start = best + 1
    if start < len(raw):
        nxt = raw[start] + [None] * (width - len(raw[start]))
        if _is_subheader(nxt, header):
            last = ""
            merged = []
            for j, h in enumerate(header):
                if h:
                    last = h
                sub = str(nxt[j]).strip() if not _blank(nxt[j]) else ""
                merged.append(f"{h or last} {sub}".strip() if sub else h)
            header = merged
            start += 1
    rows = []
    for n, r in enumerate(raw[start:], start=start + 1):
        if all(_blank(c) for c in r):
            continue
        rows.append((n, list(r) + [None] * (width - len(r))))
    return Table(header, rows, name, sheets)


# --- parsing rows ----------------------------------------------------------------------------
@dataclass
class ParsedRow:
    ligne: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Refus:
    ligne: int
    colonne: str
    valeur: str
    motif: str


def parse_rows(table: Table, mapping: dict[int, str]) -> tuple[list[ParsedRow], list[Refus]]:
    """Typed rows and refusals; a row with any bad cell is refused as a whole (with every reason)."""
    if "titre" not in mapping.values():
        raise UserError("Indiquez quelle colonne contient l'intitulé de l'action (colonne « Action »).")
    ok: list[ParsedRow] = []
    refus: list[Refus] = []
    cols = sorted(mapping.items())
    orders: dict[int, str | None] = {}
    own_export = [h for h in table.headers if h] == [FIELDS[f][0] for f in EXPORT_FIELDS]
    for idx, f in cols:
        if f in DATE_FIELDS:
            if own_export:  # our own CSV export writes dd/mm/yyyy
                orders[idx] = JOUR_MOIS
                continue
            try:
                orders[idx] = date_order(
                    ((n, cells[idx] if idx < len(cells) else None) for n, cells in table.rows),
                    table.headers[idx] or FIELDS[f][0],
                )
            except ValueError as exc:
                raise UserError(str(exc)) from None
    for n, cells in table.rows:
        vals: dict[str, Any] = {}
        bad: list[Refus] = []
        for idx, f in cols:
            raw = cells[idx] if idx < len(cells) else None
            try:
                vals[f] = _convert(f, raw, orders.get(idx, JOUR_MOIS))
            except ValueError as exc:
                bad.append(
                    Refus(n, table.headers[idx] or FIELDS[f][0], "" if raw is None else str(raw), str(exc))
                )
        if "source" in vals:
            vals["source"], detail = vals["source"]
            if detail and not vals.get("source_detail"):
                vals["source_detail"] = detail
        if not bad and not vals.get("titre"):
            col = next(table.headers[i] for i, f in cols if f == "titre")
            bad.append(Refus(n, col or "Action", "", "L'intitulé de l'action est vide."))
        elif not bad and len(vals["titre"]) > MAX_TITRE:
            col = next(table.headers[i] for i, f in cols if f == "titre")
            bad.append(
                Refus(n, col or "Action", vals["titre"][:60] + "…",
                      f"L'intitulé compte {len(vals['titre'])} caractères, au-delà de la limite de {MAX_TITRE} caractères : "
                      "raccourcissez-le (le détail peut aller dans la colonne Description).")
            )  # fmt: skip
        if not bad:
            errs = rules.check_dates(
                vals.get("date_debut"), vals.get("echeance"), vals.get("echeance_revisee")
            )
            for f, msg in errs.items():
                pos = next((i for i, g in cols if g == f), None)
                bad.append(
                    Refus(
                        n,
                        table.headers[pos] if pos is not None else FIELDS[f][0],
                        str(vals.get(f) or ""),
                        msg,
                    )
                )
        if bad:
            refus.extend(bad)
        else:
            ok.append(ParsedRow(n, vals))
    return ok, refus


def _convert(f: str, raw: Any, order: str | None = JOUR_MOIS) -> Any:
    if f in DATE_FIELDS:
        return parse_date(raw, order)
    if f == "avancement":
        return parse_percent(raw)
    if f == "statut":
        return parse_statut(raw)
    if f == "priorite":
        return parse_priorite(raw)
    if f == "source":
        return parse_source(raw)
    text = _text(raw)
    if f in ("pilote", "copilote", "titre") and text is not None and _NUMBER.fullmatch(text):
        what = "un intitulé d'action" if f == "titre" else "un nom de personne"
        raise ValueError(f"« {text} » n'est pas {what} (un nombre).")
    return text


_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?\s*%?")


# --- writing ---------------------------------------------------------------------------------
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
                    row.append("" if c is None else _csv_text(str(c)))
            w.writerow(row)


def _csv_text(text: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading quote (OWASP, CSV injection)."""
    return "'" + text if text.startswith(FORMULA_START) else text
