"""The indicators' pure rules: vocabularies (code → label), number reading and bounds, target states,
chart choice. No database, no Qt: shared by services, forms, imports and the journal."""

from __future__ import annotations

import math
import re

from qualite_app.rules import spc
from qualite_app.rules.formats import (
    parse_nombre as parse_nombre,  # re-exported: the indicators' number reader
)

SECTEURS = {"TOUS": "Tous secteurs", "MCO": "MCO", "SMR": "SMR", "HAD": "HAD", "PSY": "Psychiatrie", "EHPAD": "EHPAD"}
TYPES = {"taux": "Taux (numérateur / dénominateur)", "nombre": "Nombre", "score": "Score sur 100", "moyenne": "Moyenne", "classe": "Classe (A à E)"}
SENS = {"hausse": "Plus haut = mieux", "baisse": "Plus bas = mieux", "neutre": "Sans sens"}
SOURCES = {"IQSS": "IQSS (national)", "e-Satis": "e-Satis (national)", "institutionnel": "Institutionnel", "CPOM": "Contractuel CPOM", "CAQES": "Contractuel CAQES"}
GRAPHIQUES = {"auto": "Automatique", "xmr": "Valeurs individuelles (XmR)", "p": "Proportions (p)", "u": "Taux (u)", "run": "Graphique de séquences (médiane)"}
STATUTS = {"NR": "Non recueilli", "NV": "Non validé", "DI": "Données insuffisantes"}

CLASSES = ("A", "B", "C", "D", "E")

ETATS = {
    "atteinte": "Cible atteinte",
    "alerte": "Alerte",
    "hors_cible": "Hors cible",
    "sans_donnee": "Pas de donnée",
    "sans_cible": "Sans cible",
}
ETAT_COULEURS = {"atteinte": "#2E7D32", "alerte": "#E6A100", "hors_cible": "#C62828", "sans_donnee": "#8A94A3", "sans_cible": "#5B6573"}

#: fewer real points than this: a run chart (median, Anhøj) rather than Shewhart limits
RUN_CHART_BELOW = 8


# --- numbers (read by rules.formats.parse_nombre) ------------------------------------------------------
#: beyond this size a result is a typing error, and sums of squares over a series would overflow
VALEUR_MAX = 1e12
_SUR_N = re.compile(r"^/\s*(\d+)$")


def _bornes_valeur(ind_type: str, echelle: float, unite: str) -> tuple[float | None, float | None, str]:
    """(min, max, unit shown) of an indicator's value, from its type, scale and unit."""
    u = (unite or "").strip().lower()
    sur = _SUR_N.match(u)
    if u in ("proportion", "0-1", "0–1") or (ind_type == "taux" and echelle == 1 and u in ("", "proportion")):
        return 0.0, 1.0, ""
    # a share of a population: 0-100 %; a percentage of a target (« % de l'objectif », ICSHA) may exceed 100
    if (u in ("%", "pourcentage") and ind_type in ("taux", "score")) or (ind_type == "taux" and echelle == 100 and u == ""):
        return 0.0, 100.0, " %"
    if sur and ind_type in ("taux", "score"):
        return 0.0, float(sur.group(1)), f" (sur {sur.group(1)})"
    if ind_type in ("taux", "nombre"):
        return 0.0, None, ""
    return None, None, ""


def erreur_nombre(champ: str, v: float | None, ind_type: str, echelle: float, unite: str = "") -> str | None:
    """Why ``v`` cannot be the ``champ`` (valeur, numerateur, denominateur) of this indicator, or None if it can."""
    if v is None:
        return None
    if not math.isfinite(v):
        return "n'est pas un nombre fini."
    if abs(v) > VALEUR_MAX:
        return f"{fr(v, 0)} : nombre trop grand (au plus {fr(VALEUR_MAX, 0)})."
    if champ == "denominateur":
        return None if v > 0 else f"le dénominateur doit être supérieur à 0 (lu : {fr(v, 2)})."
    if champ == "numerateur":
        return None if v >= 0 or ind_type not in ("taux", "nombre") else f"un numérateur ne peut pas être négatif (lu : {fr(v, 2)})."
    low, high, shown = _bornes_valeur(ind_type, echelle, unite)
    if low is not None and high is not None and not low <= v <= high:
        return f"{fr(v, 2)}{shown} n'est pas entre {fr(low, 0)} et {fr(high, 0)}{shown}."
    if low is not None and v < low:
        return f"{'un nombre' if ind_type == 'nombre' else 'un taux'} ne peut pas être négatif (lu : {fr(v, 2)})."
    return None


def fr(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and decimals <= 1 and abs(value) >= 100:
        decimals = 0
    s = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return s


# --- target states and chart choice -------------------------------------------------------------------
def etat(valeur: float | None, cible: float | None, alerte: float | None, sens: str) -> str:
    if valeur is None:
        return "sans_donnee"
    if sens == "neutre" or (cible is None and alerte is None):
        return "sans_cible"
    better = (lambda a, b: a >= b) if sens == "hausse" else (lambda a, b: a <= b)
    if cible is not None and better(valeur, cible):
        return "atteinte"
    if alerte is not None and better(valeur, alerte):
        return "alerte" if cible is not None else "atteinte"
    return "hors_cible" if cible is not None or alerte is not None else "sans_cible"


def choose_chart(graphique: str, type_: str, unite: str, echelle: float, nums: list[float | None], dens: list[float | None], n_real: int) -> str:
    if graphique != "auto":
        return graphique
    if n_real < RUN_CHART_BELOW:
        return spc.RUN
    has_counts = n_real > 0 and sum(1 for a, b in zip(nums, dens, strict=True) if a is not None and b) == n_real
    if type_ == "taux" and has_counts:
        proportion = echelle == 100 and all(a <= b for a, b in zip(nums, dens, strict=True) if a is not None and b)
        return spc.P if proportion else spc.U
    return spc.XMR
