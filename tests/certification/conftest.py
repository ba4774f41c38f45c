"""Fixtures of the certification tests: a small référentiel written in our format, and a campaign on it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import yaml

from qualite_app.certification import campagnes, referentiels
from qualite_app.storage.database import Database

URN = "urn:test:mini"


def mini_referentiel() -> bytes:
    """Chapter 1 → objective 1.1 → criteria 1.1-01 (impératif, 2 elements), 1.1-02 (standard, 2 elements),
    1.1-03 (avancé, 1 element); chapter 2 → objective 2.1 → criterion 2.1-01 (standard, 2 elements)."""
    nodes: list[dict[str, object]] = []

    def add(urn: str, parent: str | None, type_: str, ref: str, titre: str, **kw: object) -> None:
        nodes.append({"urn": f"{URN}:{urn}", **({"parent": f"{URN}:{parent}"} if parent else {}), "type": type_, "ref": ref,
                      "titre": titre, **kw})  # fmt: skip

    add("1", None, "chapitre", "1", "Le patient")
    add("1.1", "1", "objectif", "1.1", "Droits")
    for ref, niveau, n in (("1.1-01", "imperatif", 2), ("1.1-02", "standard", 2), ("1.1-03", "avance", 1)):
        add(
            ref,
            "1.1",
            "critere",
            ref,
            f"Critère {ref}",
            niveau=niveau,
            methodes=["patient_traceur"],
            cibles=["patient"],
        )
        for i in range(1, n + 1):
            add(
                f"{ref}:ee{i}",
                ref,
                "element",
                f"{ref}-EE{i}",
                f"Élément {i} de {ref}",
                methodes=["patient_traceur"],
                cibles=["patient"],
            )
    add("2", None, "chapitre", "2", "Les équipes")
    add("2.1", "2", "objectif", "2.1", "Coordination")
    add(
        "2.1-01",
        "2.1",
        "critere",
        "2.1-01",
        "Critère 2.1-01",
        niveau="standard",
        methodes=["audit_systeme"],
        cibles=["gouvernance"],
    )
    for i in (1, 2):
        add(
            f"2.1-01:ee{i}",
            "2.1-01",
            "element",
            f"2.1-01-EE{i}",
            f"Élément {i}",
            methodes=["audit_systeme"],
            cibles=["gouvernance"],
        )
    doc = {"urn": URN, "version": "1", "nom": "Mini référentiel", "noeuds": nodes}
    return yaml.safe_dump(doc, allow_unicode=True).encode()


@dataclass
class Mini:
    referentiel_id: int
    campagne_id: int
    ids: dict[str, int]


@pytest.fixture
def mini(db: Database) -> Mini:
    r = referentiels.importer(db, mini_referentiel(), "mini.yaml")
    c = campagnes.creer_campagne(db, "Autoévaluation 2026", r.referentiel_id)
    return Mini(r.referentiel_id, c, {n.ref: n.id for n in referentiels.noeuds(db, r.referentiel_id)})
