"""Qualité & Risques : l'outil du directeur qualité et gestion des risques."""

# The single source of the version (pyproject reads it through hatch); a literal, not
# importlib.metadata, which costs ≈ 40 ms at every start.
__version__ = "0.1.0"

APP_NAME = "Qualité & Risques"
APP_ID = "qualite-app"
