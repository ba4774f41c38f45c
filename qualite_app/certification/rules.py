"""Certification rules, pure: vocabularies, the référentiel file's schema, versions, the score roll-up,
the projected decision from configurable thresholds, names safe on every file system."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

TYPES: dict[str, str] = {
    "chapitre": "Chapitre",
    "objectif": "Objectif",
    "critere": "Critère",
    "element": "Élément d'évaluation",
    "section": "Section",
    "exigence": "Exigence",
}
STANDARD, IMPERATIF, AVANCE = "standard", "imperatif", "avance"
NIVEAUX: dict[str, str] = {STANDARD: "Standard", IMPERATIF: "Impératif", AVANCE: "Avancé"}
CONFORME, PARTIEL, NON_CONFORME, NA = "conforme", "partiel", "non_conforme", "na"
REPONSES: dict[str, str] = {
    CONFORME: "Conforme",
    PARTIEL: "Partiellement conforme",
    NON_CONFORME: "Non conforme",
    NA: "Non applicable",
}
#: keyboard entry in the grid: one key per answer
TOUCHES: dict[str, str] = {"c": CONFORME, "p": PARTIEL, "n": NON_CONFORME, "a": NA}
METHODES: dict[str, str] = {
    "patient_traceur": "Patient traceur",
    "parcours_traceur": "Parcours traceur",
    "traceur_cible": "Traceur ciblé",
    "audit_systeme": "Audit système",
    "observation": "Observation",
}
CIBLES: dict[str, str] = {
    "patient": "Patient",
    "professionnels": "Professionnels",
    "gouvernance": "Gouvernance",
    "observation": "Observation (terrain)",
    "representants_usagers": "Représentants des usagers",
    "encadrement": "Encadrement",
}
CONFIDENTIALITES: dict[str, str] = {
    "public": "Public",
    "interne": "Interne",
    "restreint": "Diffusion restreinte",
}


# --- the référentiel file -------------------------------------------------------------------------

HEADER_REQUIRED = ("urn", "version", "nom", "noeuds")
NODE_REQUIRED = ("urn", "type")


def validate_referentiel(doc: Any) -> list[str]:
    """Every problem of a référentiel document (our YAML format), in French, each naming the node."""
    if not isinstance(doc, Mapping):
        return [
            "Le fichier ne décrit pas un référentiel (un en-tête urn, version, nom puis une liste noeuds)."
        ]
    errors = [f"En-tête : le champ « {k} » est obligatoire." for k in HEADER_REQUIRED if not doc.get(k)]
    nodes = doc.get("noeuds")
    if nodes is None:
        return errors
    if not isinstance(nodes, list):
        return [*errors, "« noeuds » doit être une liste."]
    seen: set[str] = set()
    for i, n in enumerate(nodes, start=1):
        where = f"Nœud n° {i}"
        if not isinstance(n, Mapping):
            errors.append(f"{where} : ce n'est pas un nœud (attendu : urn, type, titre…).")
            continue
        where = f"Nœud n° {i} ({n.get('ref') or n.get('urn') or '?'})"
        errors += [f"{where} : le champ « {k} » est obligatoire." for k in NODE_REQUIRED if not n.get(k)]
        urn = str(n.get("urn") or "")
        if urn in seen:
            errors.append(f"{where} : l'URN « {urn} » apparaît deux fois.")
        seen.add(urn)
        if n.get("type") and n["type"] not in TYPES:
            errors.append(f"{where} : type « {n['type']} » inconnu (possibles : {', '.join(TYPES)}).")
        if n.get("niveau") and n["niveau"] not in NIVEAUX:
            errors.append(f"{where} : niveau « {n['niveau']} » inconnu (possibles : {', '.join(NIVEAUX)}).")
        if n.get("parent") and str(n["parent"]) not in seen:
            errors.append(f"{where} : le parent « {n['parent']} » doit être déclaré avant ce nœud.")
        for key in ("cibles", "methodes", "champ"):
            if n.get(key) is not None and not isinstance(n[key], list):
                errors.append(f"{where} : « {key} » doit être une liste.")
        if n.get("profondeur") is not None and not isinstance(n["profondeur"], int):
            errors.append(f"{where} : « profondeur » doit être un nombre entier.")
    return errors


def version_key(version: str) -> tuple[Any, ...]:
    """« 2025.1 » < « 2025.2 » < « 2025.10 »: numbers compared as numbers, the rest as text."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p)
        for p in re.split(r"[.\-_ ]+", str(version).strip())
        if p
    )


def is_evaluable(node: Mapping[str, Any], has_children: bool) -> bool:
    """An element d'évaluation, a node marked assessable, or a criterion without elements."""
    if node.get("evaluable") is not None:
        return bool(node["evaluable"])
    return node.get("type") == "element" or (node.get("type") in ("critere", "exigence") and not has_children)


# --- scores -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seuils:
    """The projected decision: OUR reading of the HAS rules, not its text; every value can be changed."""

    #: weight of a « partiellement conforme » answer in the satisfaction percentage
    poids_partiel: float = 0.5
    #: certifié avec mention: every chapter at least this, no impératif unmet…
    mention_chapitre: float = 80.0
    #: …and at least this share of the avancé criteria met (their satisfaction ≥ mention_avance_critere)
    mention_part_avances: float = 50.0
    mention_avance_critere: float = 80.0
    #: certifié: overall at least this and every chapter at least ``certifie_chapitre``
    certifie_global: float = 75.0
    certifie_chapitre: float = 70.0
    #: non certifié: overall under this, or more unmet impératifs than allowed « sous conditions »
    non_certifie_global: float = 50.0
    max_imperatifs_sous_conditions: int = 3

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> Seuils:
        if not d:
            return cls()
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: what each threshold means, for the screen and the readiness report
SEUILS_LIBELLES: dict[str, str] = {
    "poids_partiel": "Poids d'une réponse « partiellement » (0 à 1)",
    "mention_chapitre": "Mention : chaque chapitre au moins (%)",
    "mention_part_avances": "Mention : part des critères avancés atteints (%)",
    "mention_avance_critere": "Critère avancé atteint à partir de (%)",
    "certifie_global": "Certifié : score global au moins (%)",
    "certifie_chapitre": "Certifié : chaque chapitre au moins (%)",
    "non_certifie_global": "Non certifié : score global sous (%)",
    "max_imperatifs_sous_conditions": "Impératifs non atteints tolérés « sous conditions »",
}


DECISIONS: dict[str, str] = {
    "mention": "Certifié avec mention",
    "certifie": "Certifié",
    "sous_conditions": "Certifié sous conditions",
    "non_certifie": "Non certifié",
    "indetermine": "Pas encore de projection (trop peu de réponses)",
}


@dataclass
class Score:
    """Satisfaction of one node: None while nothing beneath it is answered (N/A excluded)."""

    satisfaction: float | None = None
    evalues: int = 0  # assessable nodes answered (N/A included)
    total: int = 0  # assessable nodes
    non_conformes: int = 0
    imperatif_non_atteint: bool = False
    enfants: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class NoeudScore:
    id: int
    parent_id: int | None
    type: str
    niveau: str | None
    evaluable: bool


def satisfaction_of(valeur: str | None, poids_partiel: float = 0.5) -> float | None:
    """One answer as a share of satisfaction: 1, ``poids_partiel``, 0; None if N/A or unanswered."""
    return {CONFORME: 1.0, PARTIEL: poids_partiel, NON_CONFORME: 0.0}.get(valeur or "")


def roll_up(
    noeuds: Iterable[NoeudScore], reponses: Mapping[int, str], seuils: Seuils = Seuils()
) -> dict[int, Score]:
    """Scores of every node: an assessable node scores its answer; a criterion the mean of its elements;
    an objective, a chapter and the whole (key 0) the mean of their children's scores (avancé criteria
    excluded from the objectives' means, as the HAS keeps them out of the score). An impératif is unmet
    when any of its answers is « non conforme »."""
    nodes = list(noeuds)
    by_id = {n.id: n for n in nodes}
    scores: dict[int, Score] = {n.id: Score() for n in nodes}
    scores[0] = Score()
    for n in nodes:
        parent = n.parent_id if n.parent_id in by_id else 0
        scores[parent].enfants.append(n.id)

    def visit(nid: int) -> Score:
        sc = scores[nid]
        node = by_id.get(nid)
        if node is not None and node.evaluable and not sc.enfants:
            sc.total = 1
            v = reponses.get(nid)
            sc.evalues = 1 if v else 0
            sc.satisfaction = satisfaction_of(v, seuils.poids_partiel)
            sc.non_conformes = 1 if v == NON_CONFORME else 0
            return sc
        vals = []
        for cid in sc.enfants:
            child = visit(cid)
            sc.total += child.total
            sc.evalues += child.evalues
            sc.non_conformes += child.non_conformes
            if child.satisfaction is None:
                continue
            if by_id[cid].niveau == AVANCE and node is not None and node.type != "critere":
                continue
            if node is None and by_id[cid].niveau == AVANCE:
                continue
            vals.append(child.satisfaction)
        sc.satisfaction = sum(vals) / len(vals) if vals else None
        if node is not None and node.niveau == IMPERATIF:
            sc.imperatif_non_atteint = sc.non_conformes > 0
        return sc

    visit(0)
    return scores


@dataclass(frozen=True)
class Projection:
    decision: str
    motifs: list[str]

    @property
    def libelle(self) -> str:
        return DECISIONS[self.decision]


def imperatifs_non_atteints(
    seuils: Mapping[str, Any] | None, noeuds: Iterable[tuple[Any, ...]], reponses: Iterable[tuple[int, str]]
) -> list[tuple[int, str, str]]:
    """(id, ref, title) of the impératif criteria not met, in the référentiel's order, from the campaign's
    thresholds, its live nodes (id, parent, type, ref, title, level, assessable) and its answers (node, value):
    ``roll_up``'s reading, as the readiness page's synthesis makes it."""
    rows = list(noeuds)
    ids = {r[0] for r in rows}
    scores = roll_up(
        [NoeudScore(r[0], r[1] if r[1] in ids else None, r[2], r[5], bool(r[6])) for r in rows],
        dict(reponses),
        Seuils.from_dict(seuils),
    )
    return [
        (r[0], r[3], r[4])
        for r in rows
        if r[2] in ("critere", "exigence") and scores[r[0]].imperatif_non_atteint
    ]


def projected_decision(
    global_pct: float | None, chapitres: Mapping[str, float | None], imperatifs_non_atteints: int,
    avances_atteints: int, avances_total: int, seuils: Seuils = Seuils(),
) -> Projection:  # fmt: skip
    """The decision the campaign's answers point to, with its reasons (percentages 0–100)."""
    if global_pct is None:
        return Projection("indetermine", ["aucune réponse ne permet encore de calculer un score"])
    fr = lambda x: f"{x:.1f}".replace(".", ",") + " %"  # noqa: E731
    low_chapters = [
        f"{c} ({fr(v)})" for c, v in chapitres.items() if v is not None and v < seuils.certifie_chapitre
    ]
    if global_pct < seuils.non_certifie_global:
        return Projection(
            "non_certifie", [f"score global {fr(global_pct)} sous {fr(seuils.non_certifie_global)}"]
        )
    if imperatifs_non_atteints > seuils.max_imperatifs_sous_conditions:
        return Projection(
            "non_certifie",
            [
                f"{imperatifs_non_atteints} impératifs non atteints (au plus {seuils.max_imperatifs_sous_conditions} pour des conditions)"
            ],
        )
    motifs = []
    if imperatifs_non_atteints:
        motifs.append(f"{imperatifs_non_atteints} impératif(s) non atteint(s)")
    if global_pct < seuils.certifie_global:
        motifs.append(f"score global {fr(global_pct)} sous {fr(seuils.certifie_global)}")
    if low_chapters:
        motifs.append("chapitre(s) sous " + fr(seuils.certifie_chapitre) + " : " + ", ".join(low_chapters))
    if motifs:
        return Projection("sous_conditions", motifs)
    part = 100.0 * avances_atteints / avances_total if avances_total else 0.0
    all_high = all(v is None or v >= seuils.mention_chapitre for v in chapitres.values())
    if all_high and part >= seuils.mention_part_avances:
        return Projection(
            "mention",
            [
                f"chapitres ≥ {fr(seuils.mention_chapitre)}, {avances_atteints}/{avances_total} critères avancés atteints"
            ],
        )
    why = [f"score global {fr(global_pct)}, aucun impératif non atteint"]
    if not all_high:
        why.append(f"un chapitre au moins sous {fr(seuils.mention_chapitre)} (mention)")
    if part < seuils.mention_part_avances:
        why.append(
            f"{avances_atteints}/{avances_total} critères avancés atteints (mention : {fr(seuils.mention_part_avances)})"
        )
    return Projection("certifie", why)


# --- dates and files --------------------------------------------------------------------------------


def expiree(valide_jusqu_au: date | None, le: date) -> bool:
    return valide_jusqu_au is not None and valide_jusqu_au < le


_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_name(name: str, max_len: int = 80) -> str:
    """A file or folder name valid on Windows, macOS and Linux: no reserved characters or names, no trailing
    dot or space, accents kept (the ZIP stores UTF-8 names), at most ``max_len`` characters."""
    s = unicodedata.normalize("NFC", name)
    s = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", s).strip().rstrip(". ")
    s = re.sub(r"\s+", " ", s)
    if not s:
        s = "_"
    stem, dot, ext = s.rpartition(".")
    if not dot or len(ext) > 8:
        stem, ext = s, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    if len(stem) + len(ext) + 1 > max_len:
        stem = stem[: max(1, max_len - len(ext) - 1)].rstrip(". ")
    return f"{stem}.{ext}" if ext else stem
