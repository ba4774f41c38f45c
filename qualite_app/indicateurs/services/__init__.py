"""The indicators area's services (the only writers of its tables; one call = one transaction).

Split by concern; this module is the area's public surface for the GUI, the CLI, the reports and the
other areas (``from qualite_app.indicateurs import services as svc``):

- ``catalogue``: the national catalogue (YAML) and following its entries;
- ``definitions``: indicators, their targets and services;
- ``resultats``: results (validation, all-or-nothing save, delete);
- ``series``: the control-chart series (SPC), limit recalculations and notes, PAQSS annotations;
- ``cartes``: the dashboard cards; ``tableaux``: saved dashboards.

Pure rules (vocabularies, number reading and bounds, target states) live in ``indicateurs.rules``.
"""

from __future__ import annotations

from qualite_app.indicateurs.rules import (
    CLASSES,
    ETAT_COULEURS,
    ETATS,
    GRAPHIQUES,
    SECTEURS,
    SENS,
    SOURCES,
    STATUTS,
    TYPES,
    VALEUR_MAX,
    choose_chart,
    erreur_nombre,
    etat,
    fr,
    parse_nombre,
)
from qualite_app.indicateurs.services.cartes import Carte, Filtres, cartes
from qualite_app.indicateurs.services.catalogue import (
    CatalogueEntry,
    catalogue,
    catalogue_entry,
    from_catalogue,
    suivre_catalogue,
)
from qualite_app.indicateurs.services.definitions import (
    CibleData,
    IndicateurData,
    IndicateurRow,
    delete_indicateur,
    filter_choices,
    get_indicateur,
    indicateur_id,
    list_indicateurs,
    save_indicateur,
    services,
    set_points_base,
    validate,
)
from qualite_app.indicateurs.services.resultats import (
    MesureData,
    MesureRow,
    clean_mesure,
    delete_mesures,
    list_mesures,
    save_mesures,
    upsert_mesures,
)
from qualite_app.indicateurs.services.series import (
    Annotation,
    Serie,
    actions_paqss,
    add_note,
    add_rebase,
    delete_note,
    delete_rebase,
    serie,
)
from qualite_app.indicateurs.services.tableaux import (
    TableauRow,
    delete_tableau,
    get_tableau,
    list_tableaux,
    save_tableau,
)

__all__ = [
    "CLASSES", "ETATS", "ETAT_COULEURS", "GRAPHIQUES", "SECTEURS", "SENS", "SOURCES", "STATUTS", "TYPES", "VALEUR_MAX",
    "Annotation", "Carte", "CatalogueEntry", "CibleData", "Filtres", "IndicateurData", "IndicateurRow", "MesureData",
    "MesureRow", "Serie", "TableauRow", "actions_paqss", "add_note", "add_rebase", "cartes", "catalogue", "catalogue_entry",
    "choose_chart", "clean_mesure", "delete_indicateur", "delete_mesures", "delete_note", "delete_rebase", "delete_tableau",
    "erreur_nombre", "etat", "filter_choices", "fr", "from_catalogue", "get_indicateur", "get_tableau", "indicateur_id",
    "list_indicateurs", "list_mesures", "list_tableaux", "parse_nombre", "save_indicateur", "save_mesures", "save_tableau",
    "serie", "services", "set_points_base", "suivre_catalogue", "upsert_mesures", "validate",
]  # fmt: skip
