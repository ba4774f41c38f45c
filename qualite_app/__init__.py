"""Qualité & Risques : l'outil du directeur qualité et gestion des risques."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qualite-app")
except PackageNotFoundError:  # source checkout not installed
    __version__ = "0.1.0"

APP_NAME = "Qualité & Risques"
APP_ID = "qualite-app"
