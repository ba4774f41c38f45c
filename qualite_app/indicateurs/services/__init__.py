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

from typing import TYPE_CHECKING

from qualite_app.paresseux import a_la_demande

if TYPE_CHECKING:  # the names below are imported on first use (``__getattr__``)
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

#: public name → (submodule, name): a submodule is imported when one of its names is first asked for, so
#: that a caller needing one concern (the home page: the action list) does not import them all
_OU: dict[str, tuple[str, str]] = {
    "CLASSES": ("qualite_app.indicateurs.rules", "CLASSES"),
    "ETAT_COULEURS": ("qualite_app.indicateurs.rules", "ETAT_COULEURS"),
    "ETATS": ("qualite_app.indicateurs.rules", "ETATS"),
    "GRAPHIQUES": ("qualite_app.indicateurs.rules", "GRAPHIQUES"),
    "SECTEURS": ("qualite_app.indicateurs.rules", "SECTEURS"),
    "SENS": ("qualite_app.indicateurs.rules", "SENS"),
    "SOURCES": ("qualite_app.indicateurs.rules", "SOURCES"),
    "STATUTS": ("qualite_app.indicateurs.rules", "STATUTS"),
    "TYPES": ("qualite_app.indicateurs.rules", "TYPES"),
    "VALEUR_MAX": ("qualite_app.indicateurs.rules", "VALEUR_MAX"),
    "choose_chart": ("qualite_app.indicateurs.rules", "choose_chart"),
    "erreur_nombre": ("qualite_app.indicateurs.rules", "erreur_nombre"),
    "etat": ("qualite_app.indicateurs.rules", "etat"),
    "fr": ("qualite_app.indicateurs.rules", "fr"),
    "parse_nombre": ("qualite_app.indicateurs.rules", "parse_nombre"),
    "Carte": ("qualite_app.indicateurs.services.cartes", "Carte"),
    "Filtres": ("qualite_app.indicateurs.services.cartes", "Filtres"),
    "CatalogueEntry": ("qualite_app.indicateurs.services.catalogue", "CatalogueEntry"),
    "catalogue_entry": ("qualite_app.indicateurs.services.catalogue", "catalogue_entry"),
    "from_catalogue": ("qualite_app.indicateurs.services.catalogue", "from_catalogue"),
    "suivre_catalogue": ("qualite_app.indicateurs.services.catalogue", "suivre_catalogue"),
    "CibleData": ("qualite_app.indicateurs.services.definitions", "CibleData"),
    "IndicateurData": ("qualite_app.indicateurs.services.definitions", "IndicateurData"),
    "IndicateurRow": ("qualite_app.indicateurs.services.definitions", "IndicateurRow"),
    "delete_indicateur": ("qualite_app.indicateurs.services.definitions", "delete_indicateur"),
    "filter_choices": ("qualite_app.indicateurs.services.definitions", "filter_choices"),
    "get_indicateur": ("qualite_app.indicateurs.services.definitions", "get_indicateur"),
    "indicateur_id": ("qualite_app.indicateurs.services.definitions", "indicateur_id"),
    "list_indicateurs": ("qualite_app.indicateurs.services.definitions", "list_indicateurs"),
    "save_indicateur": ("qualite_app.indicateurs.services.definitions", "save_indicateur"),
    "services": ("qualite_app.indicateurs.services.definitions", "services"),
    "set_points_base": ("qualite_app.indicateurs.services.definitions", "set_points_base"),
    "validate": ("qualite_app.indicateurs.services.definitions", "validate"),
    "MesureData": ("qualite_app.indicateurs.services.resultats", "MesureData"),
    "MesureRow": ("qualite_app.indicateurs.services.resultats", "MesureRow"),
    "clean_mesure": ("qualite_app.indicateurs.services.resultats", "clean_mesure"),
    "delete_mesures": ("qualite_app.indicateurs.services.resultats", "delete_mesures"),
    "list_mesures": ("qualite_app.indicateurs.services.resultats", "list_mesures"),
    "save_mesures": ("qualite_app.indicateurs.services.resultats", "save_mesures"),
    "upsert_mesures": ("qualite_app.indicateurs.services.resultats", "upsert_mesures"),
    "Annotation": ("qualite_app.indicateurs.services.series", "Annotation"),
    "Serie": ("qualite_app.indicateurs.services.series", "Serie"),
    "actions_paqss": ("qualite_app.indicateurs.services.series", "actions_paqss"),
    "add_note": ("qualite_app.indicateurs.services.series", "add_note"),
    "add_rebase": ("qualite_app.indicateurs.services.series", "add_rebase"),
    "delete_note": ("qualite_app.indicateurs.services.series", "delete_note"),
    "delete_rebase": ("qualite_app.indicateurs.services.series", "delete_rebase"),
    "serie": ("qualite_app.indicateurs.services.series", "serie"),
    "TableauRow": ("qualite_app.indicateurs.services.tableaux", "TableauRow"),
    "delete_tableau": ("qualite_app.indicateurs.services.tableaux", "delete_tableau"),
    "get_tableau": ("qualite_app.indicateurs.services.tableaux", "get_tableau"),
    "list_tableaux": ("qualite_app.indicateurs.services.tableaux", "list_tableaux"),
    "save_tableau": ("qualite_app.indicateurs.services.tableaux", "save_tableau"),
}

#: functions named as their submodule are imported at once: the submodule, once imported by
#: anyone, would otherwise hide them (the package's attribute would be the module)
from qualite_app.indicateurs.services.cartes import cartes  # noqa: E402 (a function named as its submodule)
from qualite_app.indicateurs.services.catalogue import catalogue  # noqa: E402 (a function named as its submodule)

__getattr__ = a_la_demande(__name__, _OU, globals())


__all__ = [
    "CLASSES", "ETATS", "ETAT_COULEURS", "GRAPHIQUES", "SECTEURS", "SENS", "SOURCES", "STATUTS", "TYPES", "VALEUR_MAX",
    "Annotation", "Carte", "CatalogueEntry", "CibleData", "Filtres", "IndicateurData", "IndicateurRow", "MesureData",
    "MesureRow", "Serie", "TableauRow", "actions_paqss", "add_note", "add_rebase", "cartes", "catalogue", "catalogue_entry",
    "choose_chart", "clean_mesure", "delete_indicateur", "delete_mesures", "delete_note", "delete_rebase", "delete_tableau",
    "erreur_nombre", "etat", "filter_choices", "fr", "from_catalogue", "get_indicateur", "get_tableau", "indicateur_id",
    "list_indicateurs", "list_mesures", "list_tableaux", "parse_nombre", "save_indicateur", "save_mesures", "save_tableau",
    "serie", "services", "set_points_base", "suivre_catalogue", "upsert_mesures", "validate",
]  # fmt: skip
