"""Adverse-event use cases — the only writer of the event tables. Split by concern:

- ``saisie``: declare / correct one event, its status;
- ``registre``: the register (filter, sort, page in SQL);
- ``eigs``: EIGS classification, the two parts, deadlines, iCalendar;
- ``analyses``: cause analyses (chronology, factors by family), CREX sessions, actions → PAQSS;
- ``stats``: monthly counts by type / service / severity, indicators fed.

Callers use ``from qualite_app.evenements import services as evenements``.
"""

from typing import TYPE_CHECKING

from qualite_app.paresseux import a_la_demande

if TYPE_CHECKING:  # the names below are imported on first use (``__getattr__``)
    from qualite_app.evenements.services.analyses import (
        AnalyseData,
        AnalyseRow,
        EtapeData,
        FacteurData,
        SeanceRow,
        actions_de_l_analyse,
        actions_de_l_evenement,
        apply_analyse,
        decider_action,
        detacher_evenement,
        enregistrer_analyse,
        enregistrer_seance,
        get_analyse,
        list_analyses,
        rattacher_evenement,
        seances,
    )
    from qualite_app.evenements.services.eigs import (
        PARTIE1,
        PARTIE2,
        EigsData,
        classer_eigs,
        declasser_eigs,
        echeances,
        echeances_query,
        enregistrer_eigs,
        exporter_ical,
        get_eigs,
    )
    from qualite_app.evenements.services.registre import (
        SORTABLE,
        EvenementFilter,
        EvenementRow,
        choix_services,
        count_evenements,
        id_par_reference,
        list_evenements,
        list_query,
    )
    from qualite_app.evenements.services.saisie import (
        EvenementData,
        changer_statut,
        corrections,
        enregistrer_evenement,
        get_evenement,
        pays_etablissement,
        supprimer_evenement,
        validate,
    )
    from qualite_app.evenements.services.stats import (
        Statistiques,
        comptes_mensuels,
        publier_indicateurs,
        statistiques,
    )

#: public name → (submodule, name): a submodule is imported when one of its names is first asked for, so
#: that a caller needing one concern (the home page: the action list) does not import them all
_OU: dict[str, tuple[str, str]] = {
    "AnalyseData": ("qualite_app.evenements.services.analyses", "AnalyseData"),
    "AnalyseRow": ("qualite_app.evenements.services.analyses", "AnalyseRow"),
    "EtapeData": ("qualite_app.evenements.services.analyses", "EtapeData"),
    "FacteurData": ("qualite_app.evenements.services.analyses", "FacteurData"),
    "SeanceRow": ("qualite_app.evenements.services.analyses", "SeanceRow"),
    "actions_de_l_analyse": ("qualite_app.evenements.services.analyses", "actions_de_l_analyse"),
    "actions_de_l_evenement": ("qualite_app.evenements.services.analyses", "actions_de_l_evenement"),
    "apply_analyse": ("qualite_app.evenements.services.analyses", "apply_analyse"),
    "decider_action": ("qualite_app.evenements.services.analyses", "decider_action"),
    "detacher_evenement": ("qualite_app.evenements.services.analyses", "detacher_evenement"),
    "enregistrer_analyse": ("qualite_app.evenements.services.analyses", "enregistrer_analyse"),
    "enregistrer_seance": ("qualite_app.evenements.services.analyses", "enregistrer_seance"),
    "get_analyse": ("qualite_app.evenements.services.analyses", "get_analyse"),
    "list_analyses": ("qualite_app.evenements.services.analyses", "list_analyses"),
    "rattacher_evenement": ("qualite_app.evenements.services.analyses", "rattacher_evenement"),
    "seances": ("qualite_app.evenements.services.analyses", "seances"),
    "PARTIE1": ("qualite_app.evenements.services.eigs", "PARTIE1"),
    "PARTIE2": ("qualite_app.evenements.services.eigs", "PARTIE2"),
    "EigsData": ("qualite_app.evenements.services.eigs", "EigsData"),
    "classer_eigs": ("qualite_app.evenements.services.eigs", "classer_eigs"),
    "declasser_eigs": ("qualite_app.evenements.services.eigs", "declasser_eigs"),
    "echeances": ("qualite_app.evenements.services.eigs", "echeances"),
    "echeances_query": ("qualite_app.evenements.services.eigs", "echeances_query"),
    "enregistrer_eigs": ("qualite_app.evenements.services.eigs", "enregistrer_eigs"),
    "exporter_ical": ("qualite_app.evenements.services.eigs", "exporter_ical"),
    "get_eigs": ("qualite_app.evenements.services.eigs", "get_eigs"),
    "SORTABLE": ("qualite_app.evenements.services.registre", "SORTABLE"),
    "EvenementFilter": ("qualite_app.evenements.services.registre", "EvenementFilter"),
    "EvenementRow": ("qualite_app.evenements.services.registre", "EvenementRow"),
    "choix_services": ("qualite_app.evenements.services.registre", "choix_services"),
    "count_evenements": ("qualite_app.evenements.services.registre", "count_evenements"),
    "id_par_reference": ("qualite_app.evenements.services.registre", "id_par_reference"),
    "list_evenements": ("qualite_app.evenements.services.registre", "list_evenements"),
    "list_query": ("qualite_app.evenements.services.registre", "list_query"),
    "EvenementData": ("qualite_app.evenements.services.saisie", "EvenementData"),
    "changer_statut": ("qualite_app.evenements.services.saisie", "changer_statut"),
    "corrections": ("qualite_app.evenements.services.saisie", "corrections"),
    "enregistrer_evenement": ("qualite_app.evenements.services.saisie", "enregistrer_evenement"),
    "get_evenement": ("qualite_app.evenements.services.saisie", "get_evenement"),
    "pays_etablissement": ("qualite_app.evenements.services.saisie", "pays_etablissement"),
    "supprimer_evenement": ("qualite_app.evenements.services.saisie", "supprimer_evenement"),
    "validate": ("qualite_app.evenements.services.saisie", "validate"),
    "Statistiques": ("qualite_app.evenements.services.stats", "Statistiques"),
    "comptes_mensuels": ("qualite_app.evenements.services.stats", "comptes_mensuels"),
    "publier_indicateurs": ("qualite_app.evenements.services.stats", "publier_indicateurs"),
    "statistiques": ("qualite_app.evenements.services.stats", "statistiques"),
}


__getattr__ = a_la_demande(__name__, _OU, globals())


__all__ = [
    "corrections", "Statistiques", "comptes_mensuels", "publier_indicateurs", "statistiques",
    "AnalyseData", "AnalyseRow", "EtapeData", "FacteurData", "SeanceRow", "actions_de_l_analyse",
    "actions_de_l_evenement", "apply_analyse", "decider_action", "enregistrer_analyse", "enregistrer_seance",
    "get_analyse", "list_analyses", "seances", "rattacher_evenement", "detacher_evenement",
    "PARTIE1", "PARTIE2", "SORTABLE", "EigsData", "EvenementData", "EvenementFilter", "EvenementRow",
    "changer_statut", "choix_services", "classer_eigs", "count_evenements", "declasser_eigs", "echeances", "echeances_query",
    "enregistrer_eigs", "enregistrer_evenement", "exporter_ical", "get_eigs", "get_evenement",
    "id_par_reference", "list_evenements", "list_query", "pays_etablissement", "supprimer_evenement", "validate",
]  # fmt: skip
