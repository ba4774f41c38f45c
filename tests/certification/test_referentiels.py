"""Référentiels: the shipped HAS file, validation, upsert by URN, refusals, retired nodes, CISO Assistant."""

from __future__ import annotations

import pytest
import yaml

from qualite_app.certification import referentiels as refs
from qualite_app.errors import UserError, ValidationError
from qualite_app.paths import resources_dir
from qualite_app.storage.database import Database

URN = "urn:test:ref"


def _doc(version: str, criteres: list[str], niveau: str = "standard") -> bytes:
    nodes = [{"urn": f"{URN}:1", "type": "chapitre", "ref": "1", "titre": "Chapitre un"}]
    for c in criteres:
        nodes.append(
            {
                "urn": f"{URN}:{c}",
                "parent": f"{URN}:1",
                "type": "critere",
                "ref": c,
                "titre": f"Critère {c}",
                "niveau": niveau,
            }
        )
        nodes.append(
            {
                "urn": f"{URN}:{c}:ee1",
                "parent": f"{URN}:{c}",
                "type": "element",
                "ref": f"{c}-EE1",
                "titre": "Élément",
            }
        )
    return yaml.safe_dump(
        {"urn": URN, "version": version, "nom": "Référentiel d'essai", "noeuds": nodes}, allow_unicode=True
    ).encode()


def test_shipped_has_referentiel_counts(db: Database) -> None:
    res = refs.importer_fichier(db, resources_dir() / "referentiels" / "has_es_2025.yaml")
    info = refs.resume(db, res.referentiel_id)
    assert info["par_type"] == {"chapitre": 3, "objectif": 12, "critere": 118, "element": 585}
    assert info["par_niveau"] == {"standard": 92, "imperatif": 21, "avance": 5}
    assert info["evaluables"] == 585
    assert len(info["sha256"]) == 64
    nodes = {n.ref: n for n in refs.noeuds(db, res.referentiel_id)}
    assert nodes["1.1-07"].niveau == "imperatif"
    assert nodes["2.2-07"].niveau == "avance"
    assert "parcours_traceur" in nodes["2.1-04"].methodes or "traceur_cible" in nodes["2.1-04"].methodes


def test_newer_version_upserts_and_retires(db: Database) -> None:
    first = refs.importer(db, _doc("1.0", ["1.1-01", "1.1-02", "1.1-03"]), "v1.yaml")
    assert first.crees == 7
    before = {n.ref: n.id for n in refs.noeuds(db, first.referentiel_id)}
    second = refs.importer(db, _doc("1.1", ["1.1-01", "1.1-03", "1.1-04"]), "v2.yaml")
    assert second.referentiel_id == first.referentiel_id
    assert (second.crees, second.retires, second.ancienne_version) == (2, 2, "1.0")
    after = {n.ref: n for n in refs.noeuds(db, first.referentiel_id)}
    assert after["1.1-01"].id == before["1.1-01"]  # the same row: answers stay attached
    assert after["1.1-02"].retire and not after["1.1-01"].retire
    assert "remplace la version 1.0" in second.message()


def test_identical_or_older_version_refused(db: Database) -> None:
    refs.importer(db, _doc("2.0", ["1.1-01"]))
    with pytest.raises(UserError, match="déjà chargé dans sa version 2.0"):
        refs.importer(db, _doc("2.0", ["1.1-01", "1.1-02"]))
    with pytest.raises(UserError, match="plus ancienne"):
        refs.importer(db, _doc("1.9", ["1.1-01"]))


def test_schema_errors_name_the_node(db: Database) -> None:
    bad = {"urn": URN, "version": "1", "nom": "X", "noeuds": [
        {"urn": f"{URN}:1", "type": "chapitre"},
        {"urn": f"{URN}:2", "type": "critere", "ref": "1.1-09", "niveau": "majeur", "parent": f"{URN}:zz"},
    ]}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        refs.importer(db, yaml.safe_dump(bad).encode())
    msg = str(exc.value)
    assert "1.1-09" in msg and "niveau « majeur » inconnu" in msg and "parent" in msg
    assert refs.lister(db) == []


def test_director_level_survives_a_new_version(db: Database) -> None:
    r = refs.importer(db, _doc("1", ["1.1-01"]))
    crit = next(n for n in refs.noeuds(db, r.referentiel_id) if n.ref == "1.1-01")
    refs.changer_niveau(db, crit.id, "imperatif")
    refs.importer(db, _doc("2", ["1.1-01"]))
    assert next(n for n in refs.noeuds(db, r.referentiel_id) if n.ref == "1.1-01").niveau == "imperatif"


CISO = """
urn: urn:intuitem:risk:library:essai-hds
locale: fr
ref_id: essai-hds
name: Bibliothèque d'essai
version: 3
publication_date: 2024-05-02
provider: Essai
objects:
  framework:
    urn: urn:intuitem:risk:framework:essai-hds
    ref_id: essai-hds
    name: Exigences d'essai (HDS)
    implementation_groups_definition:
      - ref_id: IG1
        name: Hébergeur niveau 1
      - ref_id: ig 2
        name: Hébergeur niveau 2
    requirement_nodes:
      - urn: urn:intuitem:risk:req_node:essai-hds:1
        assessable: false
        depth: 1
        ref_id: "1"
        name: Gouvernance
      - urn: urn:intuitem:risk:req_node:essai-hds:1.1
        assessable: true
        depth: 2
        parent_urn: urn:intuitem:risk:req_node:essai-hds:1
        ref_id: "1.1"
        description: L'hébergeur désigne un responsable de la sécurité et le fait connaître.
        implementation_groups: [ig-1, IG 2]
        typical_evidence: Lettre de mission
      - urn: urn:intuitem:risk:req_node:essai-hds:1.2
        assessable: false
        depth: 2
        parent_urn: urn:intuitem:risk:req_node:essai-hds:1
        ref_id: "1.2"
        name: Continuité
      - urn: urn:intuitem:risk:req_node:essai-hds:1.2.1
        assessable: true
        depth: 3
        parent_urn: urn:intuitem:risk:req_node:essai-hds:1.2
        ref_id: "1.2.1"
        name: Plan de reprise testé chaque année
        implementation_groups: [IG_2]
"""


def test_ciso_assistant_library(db: Database) -> None:
    res = refs.importer(db, CISO.encode(), "essai.yaml")
    assert res.format == "ciso" and res.crees == 4
    nodes = {n.ref: n for n in refs.noeuds(db, res.referentiel_id)}
    assert nodes["1.1"].titre.startswith("1.1 — L'hébergeur désigne")  # nameless node
    assert nodes["1.1"].champ == ["Hébergeur niveau 1", "Hébergeur niveau 2"]  # ig-1 / IG 2 matched
    assert nodes["1.2.1"].champ == ["Hébergeur niveau 2"]
    assert nodes["1.1"].evaluable and nodes["1.2.1"].evaluable  # assessable at depths 2 and 3
    assert not nodes["1.2"].evaluable
    assert refs.trouver(db, "essai") == res.referentiel_id


def test_ciso_children_listed_before_their_parent(db: Database) -> None:
    doc = yaml.safe_load(CISO)
    nodes = doc["objects"]["framework"]["requirement_nodes"]
    doc["objects"]["framework"]["requirement_nodes"] = nodes[::-1]  # every child before its parent
    res = refs.importer(db, yaml.safe_dump(doc, allow_unicode=True).encode(), "desordre.yaml")
    by_ref = {n.ref: n for n in refs.noeuds(db, res.referentiel_id)}
    assert by_ref["1.2.1"].parent_id == by_ref["1.2"].id and by_ref["1.2"].parent_id == by_ref["1"].id
