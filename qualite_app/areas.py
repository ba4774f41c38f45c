"""AREAS: the one registry. One line per area of the application.

An area is a package of the core (models, rules, services, reports, exchange, demo, CLI) plus its
GUI page. Everything that enumerates areas reads this list: the models loaded into the metadata
(Alembic, tests), the command line's subcommands, the sidebar's pages, the demo's steps and which
tables belong to which area (the ChangeSet is routed by them). Adding an area = its package, its
migration, and one line here.

Targets are strings (``"module"`` or ``"module:attribute"``) so that reading this list imports
nothing: the window appears before an area's code is loaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    icon: str = ""
    #: module whose import declares the area's tables (SQLAlchemy models)
    models: str = ""
    #: module with ``register(subparsers, parent)`` adding the area's subcommands
    cli: str = ""
    #: ``module:Class`` of the GUI page (a ``gui.pages.Page``), shown in the sidebar in this order
    page: str = ""
    #: ``module:function`` — ``step(session, today) -> summary | None``, run in this order by ``qualite demo``
    demo: str = ""
    #: areas whose demo data this area's demo step needs (run before it)
    demo_after: tuple[str, ...] = ()
    #: ``module:OBJECT`` of each report the area issues (a ``reports.base.Renderer``: kind, label, reference prefix)
    reports: tuple[str, ...] = ()
    #: ``(kind, label)`` of each of those reports: what the register's lists show, without importing the
    #: report modules (ReportLab) — kept equal to the Renderers' own by ``tests/kernel/test_areas_labels.py``
    report_labels: tuple[tuple[str, str], ...] = ()

    def tables(self) -> frozenset[str]:
        """The tables this area owns: those its models module declares."""
        return _tables_by_module().get(self.models, frozenset()) if self.models else frozenset()


def resolve(target: str) -> Any:
    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj


AREAS: tuple[Area, ...] = (
    Area("socle", "Socle", models="qualite_app.storage.tables", cli="qualite_app.socle.cli"),
    Area("accueil", "Aujourd'hui", "accueil", cli="qualite_app.accueil.cli", page="qualite_app.gui.accueil.page:AccueilPage"),
    Area("etablissement", "Établissement", "etablissement", models="qualite_app.etablissement.models",
         page="qualite_app.gui.etablissement.page:EtablissementPage", demo="qualite_app.etablissement.demo:demo_step"),
    Area("paqss", "PAQSS", "paqss", models="qualite_app.paqss.models", cli="qualite_app.paqss.cli",
         page="qualite_app.gui.paqss.page:PaqssPage", demo="qualite_app.paqss.demo:demo_step", demo_after=("indicateurs",),
         reports=("qualite_app.paqss.report:BILAN",), report_labels=(("paqss", "Bilan du PAQSS"),)),
    Area("indicateurs", "Indicateurs", "indicateurs", models="qualite_app.indicateurs.models", cli="qualite_app.indicateurs.cli",
         page="qualite_app.gui.indicateurs.page:IndicateursPage", demo="qualite_app.indicateurs.demo:demo_step",
         reports=("qualite_app.indicateurs.report:TABLEAU_DE_BORD",),
         report_labels=(("tableau_de_bord", "Tableau de bord des indicateurs"),)),
    Area("rapports", "Rapports", "rapports", models="qualite_app.rapports.models", cli="qualite_app.rapports.cli",
         page="qualite_app.gui.rapports.page:RapportsPage", demo="qualite_app.rapports.demo:demo_step",
         reports=("qualite_app.rapports.note:NOTE",), report_labels=(("note_information", "Note d'information"),)),
    Area("certification", "Certification", "certification", models="qualite_app.certification.models",
         cli="qualite_app.certification.cli", page="qualite_app.gui.certification.page:CertificationPage", demo="qualite_app.certification.demo:demo_step", demo_after=("paqss", "indicateurs"),
         reports=("qualite_app.certification.report:INDEX_DOSSIER", "qualite_app.certification.report:PREPARATION"),
         report_labels=(("dossier_certification", "Dossier de certification (index)"), ("preparation_certification", "Préparation de la certification"))),
    Area("evenements", "Événements", "evenements", models="qualite_app.evenements.models", cli="qualite_app.evenements.cli",
         page="qualite_app.gui.evenements.page:EvenementsPage",
         demo="qualite_app.evenements.demo:demo_step", demo_after=("paqss",),
         reports=("qualite_app.evenements.report:CDU", "qualite_app.evenements.fiche_eigs_pdf:FICHE_EIGS"),
         report_labels=(("cdu", "Bilan trimestriel des EI (CDU)"), ("eigs", "Déclaration d'EIGS (partie 1 ou 2)"))),
    Area("risques", "Risques", "risques", models="qualite_app.risques.models", cli="qualite_app.risques.cli",
         page="qualite_app.gui.risques.page:RisquesPage",
         demo="qualite_app.risques.demo:demo_step", demo_after=("paqss",),
         reports=("qualite_app.risques.report:CARTE",), report_labels=(("risques", "Cartographie des risques"),)),
    Area("crise", "Crise", "crise", models="qualite_app.crise.models", cli="qualite_app.crise.cli", page="qualite_app.gui.crise.page:CrisePage",
         demo="qualite_app.crise.demo:demo_step", demo_after=("paqss",),
         reports=("qualite_app.crise.classeur:CLASSEUR", "qualite_app.crise.cartes:CARTES", "qualite_app.crise.journal:MAIN_COURANTE"),
         report_labels=(("classeur_crise", "Classeur de crise"), ("cartes_crise", "Cartes réflexes"), ("main_courante", "Main courante de crise"))),
    Area("historique", "Historique", "historique", page="qualite_app.gui.historique.page:HistoriquePage"),
)  # fmt: skip


def load_models() -> None:
    """Import every area's models so that ``Base.metadata`` is complete (Alembic, schema checks)."""
    for area in AREAS:
        if area.models:
            importlib.import_module(area.models)


def configure_models() -> None:
    """Every imported model's mapper configured now (the GUI's idle warm-up, once the areas are imported),
    not by the first query that needs it (≈ 15-35 ms on the scale base)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


@cache
def _tables_by_module() -> dict[str, frozenset[str]]:
    load_models()
    from qualite_app.storage.base import Base

    out: dict[str, set[str]] = {}
    for mapper in Base.registry.mappers:
        out.setdefault(mapper.class_.__module__, set()).add(mapper.local_table.name)  # type: ignore[attr-defined]
    return {k: frozenset(v) for k, v in out.items()}


def area_of_table(table: str) -> str | None:
    for area in AREAS:
        if table in area.tables():
            return area.key
    return None


def demo_steps() -> list[Any]:
    """The demo steps in ``AREAS`` order, each after the areas it names in ``demo_after``."""
    ordered: list[Area] = []
    pending = [a for a in AREAS if a.demo]
    while pending:
        ready = next(a for a in pending if all(d in {o.key for o in ordered} or d not in {p.key for p in pending} for d in a.demo_after))
        ordered.append(ready)
        pending.remove(ready)
    return [resolve(a.demo) for a in ordered]


def with_pages() -> Iterator[Area]:
    return (a for a in AREAS if a.page)
