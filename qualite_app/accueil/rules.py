"""Pure rules of the home page: what an alert is and in which order the director reads them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: severities, most urgent first
RETARD = "retard"
PROCHE = "proche"
A_SURVEILLER = "surveiller"
GRAVITES: dict[str, str] = {RETARD: "En retard", PROCHE: "À échéance", A_SURVEILLER: "À surveiller"}
_RANG = {RETARD: 0, PROCHE: 1, A_SURVEILLER: 2}

#: areas in the order the director reads them within one severity (regulatory deadlines first)
PRIORITE_DOMAINES = ("evenements", "paqss", "certification", "crise", "indicateurs")


def aujourdhui() -> date:
    """Today's date as the home page reads it (one place: the tests move it to another day)."""
    return date.today()


#: how far ahead a PAQSS deadline counts as « due »
HORIZON_ACTIONS_JOURS = 15


@dataclass(frozen=True)
class Alerte:
    """One line of « Aujourd'hui »: enough to show it and to open its item (area, type, id)."""

    domaine: str  # area key of AREAS (« paqss », « evenements »…)
    item_type: str  # « action », « evenement », « indicateur », « critere », « preuve », « plan »
    item_id: int | None
    titre: str
    detail: str = ""
    echeance: date | None = None
    gravite: str = A_SURVEILLER
    moi: bool = False  # the user pilots it

    @property
    def gravite_libelle(self) -> str:
        return GRAVITES.get(self.gravite, self.gravite)


def cle(a: Alerte) -> str:
    """What identifies a line from one visit to the next: the item and how urgent it is (an action
    that went from « à échéance » to « en retard » is new again)."""
    return f"{a.domaine}:{a.item_type}:{a.item_id}:{a.gravite}"


def nouvelles(alertes: Iterable[Alerte], vues: set[str] | None) -> set[str]:
    """The keys of the lines that were not shown at the last visit; none the first time (``vues`` is
    None: everything would be « new »)."""
    if vues is None:
        return set()
    return {k for a in alertes if (k := cle(a)) not in vues}


def gravite_echeance(echeance: date | None, today: date, horizon_jours: int) -> str | None:
    """« retard » past the date, « proche » within the horizon, else None (nothing to say yet)."""
    if echeance is None:
        return None
    if echeance < today:
        return RETARD
    if (echeance - today).days <= horizon_jours:
        return PROCHE
    return None


def classer(alertes: Iterable[Alerte], ordre_domaines: Iterable[str] = PRIORITE_DOMAINES) -> list[Alerte]:
    """Overdue first, then due, then to watch; within each, by area (EIGS before actions, before
    certification…), mine first within the area, the oldest date first (no date last), then by title."""
    rang_domaine = {d: i for i, d in enumerate(ordre_domaines)}

    def cle(a: Alerte) -> tuple[object, ...]:
        return (
            _RANG.get(a.gravite, 9),
            rang_domaine.get(a.domaine, 99),
            not a.moi,
            a.echeance is None,
            a.echeance or date.max,
            a.titre,
        )

    return sorted(alertes, key=cle)


def jours_texte(echeance: date, today: date) -> str:
    """« en retard de 3 jours », « aujourd'hui », « dans 5 jours »."""
    n = (echeance - today).days
    if n < 0:
        return f"en retard de {-n} jour{'s' if n < -1 else ''}"
    if n == 0:
        return "aujourd'hui"
    return f"dans {n} jour{'s' if n > 1 else ''}"


@dataclass(frozen=True)
class Resume:
    """What was written since a date: how many lines, by kind of item and by author, the latest ones."""

    depuis: date
    total: int
    complet: bool = True  # False: more lines than were read (``total`` is a lower bound)
    par_type: list[tuple[str, int]] = field(default_factory=list)
    par_auteur: list[tuple[str, int]] = field(default_factory=list)
    dernieres: list[Any] = field(default_factory=list)  # socle.journal.JournalRow, newest first

    def phrase(self) -> str:
        if not self.total:
            return f"Aucune modification depuis le {self.depuis:%d/%m/%Y}."
        types = ", ".join(f"{t} ({n})" for t, n in self.par_type[:4])
        return f"{'' if self.complet else 'Au moins '}{self.total} modification(s) depuis le {self.depuis:%d/%m/%Y} : {types}."


def personne_de(nom_affiche: str, choix: Iterable[tuple[int, str]]) -> int | None:
    """The person of the directory (``choix``: id, « Prénom NOM — fonction ») whose name is the user's display
    name (Préférences), the words in any order and without accents; None if nobody is."""
    from qualite_app.rules.text import fold

    name = fold(nom_affiche)
    if not name:
        return None
    for pid, label in choix:
        folded = fold(label.split(" — ")[0])
        if folded == name or set(name.split()) == set(folded.split()):
            return pid
    return None
