"""Adverse-event use cases — the only writer of the event tables. Split by concern:

- ``saisie``: declare / correct one event, its status;
- ``registre``: the register (filter, sort, page in SQL);
- ``eigs``: EIGS classification, the two parts, deadlines, iCalendar;
- ``analyses``: cause analyses (chronology, factors by family), CREX sessions, actions → PAQSS;
- ``stats``: monthly counts by type / service / severity, indicators fed.

Callers use ``from qualite_app.evenements import services as evenements``.
"""

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

__all__ = [
    "corrections", "Statistiques", "comptes_mensuels", "publier_indicateurs", "statistiques",
    "AnalyseData", "AnalyseRow", "EtapeData", "FacteurData", "SeanceRow", "actions_de_l_analyse",
    "actions_de_l_evenement", "apply_analyse", "decider_action", "enregistrer_analyse", "enregistrer_seance",
    "get_analyse", "list_analyses", "seances", "rattacher_evenement", "detacher_evenement",
    "PARTIE1", "PARTIE2", "SORTABLE", "EigsData", "EvenementData", "EvenementFilter", "EvenementRow",
    "changer_statut", "choix_services", "classer_eigs", "count_evenements", "declasser_eigs", "echeances",
    "enregistrer_eigs", "enregistrer_evenement", "exporter_ical", "get_eigs", "get_evenement",
    "id_par_reference", "list_evenements", "list_query", "pays_etablissement", "supprimer_evenement", "validate",
]  # fmt: skip
