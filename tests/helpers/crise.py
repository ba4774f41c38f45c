"""Shared data of the crisis-plan tests: a small maturity grid in the CISO Assistant format (our own words)."""

MATURITE = """
urn: urn:essai:library:maturite-crise
locale: fr
ref_id: maturite-crise
name: Grille d'essai de maturité de gestion de crise
version: 1
provider: Essai
objects:
  framework:
    urn: urn:essai:framework:maturite-crise
    ref_id: maturite-crise
    name: Maturité de gestion de crise (essai)
    requirement_nodes:
      - {urn: "urn:essai:node:1", assessable: false, depth: 1, ref_id: "1", name: Organisation}
      - {urn: "urn:essai:node:1.1", assessable: true, depth: 2, parent_urn: "urn:essai:node:1", ref_id: "1.1", name: Une cellule de crise est définie}
      - {urn: "urn:essai:node:1.2", assessable: true, depth: 2, parent_urn: "urn:essai:node:1", ref_id: "1.2", name: Des exercices ont lieu chaque année}
"""
