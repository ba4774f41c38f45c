"""PAQSS spreadsheets, read: the columns people write in a real action plan, and their values.

Reading goes through the one import pipeline (``exchange.tableur`` reads, ``exchange.colonnes`` finds the
header and maps, ``exchange.pipeline`` converts and refuses): this module only says what a PAQSS column is
called and how its values read (status, source, priority, dates, progress). It never touches the database.
Writing our own workbooks is ``paqss.ecriture``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError
from qualite_app.exchange import colonnes as col
from qualite_app.exchange import pipeline
from qualite_app.exchange.pipeline import ParsedRow, Refus
from qualite_app.exchange.tableur import read_rows
from qualite_app.paqss import rules
from qualite_app.rules import formats
from qualite_app.rules.formats import (
    FORMULA_START,
    JOUR_MOIS,
    MOIS_JOUR,
    date_order,
    parse_date,
    parse_percent,
)

__all__ = [
    "DATE_FIELDS", "EXPORT_FIELDS", "FIELDS", "FORMULA_START", "JOUR_MOIS", "MAX_TITRE", "MOIS_JOUR", "ParsedRow",
    "Refus", "Table", "check_mapping", "date_order", "explicit_mapping", "field_of", "formula_warnings", "guess_field",
    "guess_mapping", "parse_date", "parse_percent", "parse_priorite", "parse_rows", "parse_source", "parse_statut",
    "read_table",
]  # fmt: skip

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
#: the longest action title the database keeps (models.paqss.PaqssAction.titre)
MAX_TITRE = 300
#: fields whose values are dates
DATE_FIELDS = ("date_debut", "echeance", "echeance_revisee", "validation_cme_le", "realisee_le")
#: the column order of our own exports (re-imported without any mapping step)
EXPORT_FIELDS = list(FIELDS)

COLONNES = col.Colonnes(FIELDS)
_key = col.cle
guess_field = COLONNES.guess_field
guess_mapping = COLONNES.guess_mapping
field_of = COLONNES.field_of
explicit_mapping = COLONNES.explicit_mapping

#: fields that with the title make a credible action plan (at least MIN_OTHER_FIELDS of them)
MIN_OTHER_FIELDS = 2


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


# --- reading ---------------------------------------------------------------------------------
@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line in the file, cells)
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    #: cells holding a formula with no value saved (file written by a program, never opened in a spreadsheet)
    formules: list[str] = field(default_factory=list)


def read_table(
    path: Path, sheet: str | None = None, *, max_header_scan: int = 15, known: Iterable[str] = ()
) -> Table:
    """``known``: column headers the user mapped explicitly (they count as recognised to find the header row)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"Le fichier « {path} » est introuvable.")
    f = read_rows(path, sheet=sheet)
    raw = [cells for _n, cells in f.rows]
    head = col.locate_header(
        raw, COLONNES, scan=max_header_scan, known=known, title_field="titre", sheet=f.name
    )
    width = len(head.headers)
    rows = [
        (n, list(cells) + [None] * (width - len(cells)))
        for n, cells in f.rows[head.debut :]
        if not all(col.blank(c) for c in cells)
    ]
    return Table(head.headers, rows, f.name, f.sheets, f.formules)


def formula_warnings(table: Table, mapping: dict[int, str]) -> list[str]:
    """One warning per mapped column with formula cells that have no saved value (read as empty)."""
    return pipeline.formula_warnings(table.formules, table.headers, mapping, COLONNES.label)


# --- parsing rows ----------------------------------------------------------------------------
def _text(raw: Any, _order: str | None = None) -> str | None:
    return formats.cell_text(raw)


def _person_or_title(what: str) -> pipeline.Converter:
    def conv(raw: Any, _order: str | None = None) -> str | None:
        text = formats.cell_text(raw)
        if text is not None and formats.is_number_text(text):
            raise ValueError(f"« {text} » n'est pas {what} (un nombre).")
        return text

    return conv


CONVERTERS: dict[str, pipeline.Converter] = {
    **{f: (lambda raw, order: parse_date(raw, order)) for f in DATE_FIELDS},
    "avancement": lambda raw, _o: parse_percent(raw),
    "statut": lambda raw, _o: parse_statut(raw),
    "priorite": lambda raw, _o: parse_priorite(raw),
    "source": lambda raw, _o: parse_source(raw),
    "titre": _person_or_title("un intitulé d'action"),
    "pilote": _person_or_title("un nom de personne"),
    "copilote": _person_or_title("un nom de personne"),
}


def _convert(f: str, raw: Any, order: str | None = JOUR_MOIS) -> Any:
    return CONVERTERS.get(f, _text)(raw, order)


def parse_rows(table: Table, mapping: dict[int, str]) -> tuple[list[ParsedRow], list[Refus]]:
    """Typed rows and refusals; a row with any bad cell is refused as a whole (with every reason)."""
    if "titre" not in mapping.values():
        raise UserError("Indiquez quelle colonne contient l'intitulé de l'action (colonne « Action »).")
    own_export = [h for h in table.headers if h] == [FIELDS[f][0] for f in EXPORT_FIELDS]
    typed, refus = pipeline.convert_rows(
        table.rows, table.headers, mapping, CONVERTERS, date_fields=DATE_FIELDS, label=COLONNES.label,
        date_order=JOUR_MOIS if own_export else None,  # our own CSV export writes dd/mm/yyyy
    )  # fmt: skip
    title_col = COLONNES.header_of(mapping, table.headers, "titre")
    ok: list[ParsedRow] = []
    for row in typed:
        n, vals = row.ligne, row.values
        if "source" in vals:
            vals["source"], detail = vals["source"]
            if detail and not vals.get("source_detail"):
                vals["source_detail"] = detail
        bad: list[Refus] = []
        if not vals.get("titre"):
            bad.append(Refus(n, title_col, "", "L'intitulé de l'action est vide."))
        elif len(vals["titre"]) > MAX_TITRE:
            bad.append(
                Refus(n, title_col, vals["titre"][:60] + "…",
                      f"L'intitulé compte {len(vals['titre'])} caractères, au-delà de la limite de {MAX_TITRE} caractères : "
                      "raccourcissez-le (le détail peut aller dans la colonne Description).")
            )  # fmt: skip
        else:
            for f, msg in rules.check_dates(
                vals.get("date_debut"), vals.get("echeance"), vals.get("echeance_revisee")
            ).items():
                bad.append(
                    Refus(n, COLONNES.header_of(mapping, table.headers, f), str(vals.get(f) or ""), msg)
                )
        if bad:
            refus.extend(bad)
        else:
            ok.append(row)
    refus.sort(key=lambda r: r.ligne)
    return ok, refus
