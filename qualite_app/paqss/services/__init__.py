"""PAQSS use cases — the only writer of the PAQSS tables. Split by concern:

- ``structure``: programmes, axes, objectives, the tree, the editor's choices;
- ``liste``: the action list (filter and sort in SQL), lookup by reference, the timeline;
- ``actions``: one action (read, validate, save, the editor's one-transaction save, delete, bulk changes);
- ``equipe``: extra co-pilots and services;
- ``preuves``: comments, evidence files, links (incl. indicators, for the indicators area);
- ``resume``: the action's journal and the summary strip;
- ``origines``: an action born from another area's item (finding, analysis, RETEX, risk), linked to it.

Callers use ``from qualite_app.paqss import services as paqss`` then ``paqss.<name>``.
"""

from qualite_app.paqss.services.actions import (
    ACTION_FIELDS,
    UNSET,
    ActionData,
    ConfirmationNecessaire,
    JalonData,
    bulk_update,
    delete_action,
    delete_actions,
    enregistrer_action,
    get_action,
    next_reference,
    reappliquer,
    save_action,
    search_key,
    validate_action,
)
from qualite_app.paqss.services.equipe import sync_team
from qualite_app.paqss.services.liste import (
    SORTABLE,
    ActionFilter,
    ActionRow,
    ActionRows,
    GanttRow,
    action_id_by_reference,
    action_query,
    action_rows,
    extra_copilot_names,
    list_actions,
    timeline,
)
from qualite_app.paqss.services.origines import (
    NATURE_ORIGINE,
    ActionLiee,
    action_depuis,
    actions_depuis,
    creer_action_depuis,
    nombre_actions_depuis,
    objectif_par_defaut,
)
from qualite_app.paqss.services.preuves import (
    ACTION_TYPE,
    NATURE_PREUVE,
    CommentaireRow,
    LienRow,
    PreuveRow,
    actions_for_indicator,
    add_comment,
    add_evidence,
    comments,
    evidence,
    link_indicator,
    link_item,
    link_to_reference,
    links,
    remove_evidence,
)
from qualite_app.paqss.services.resume import Summary, journal, summary
from qualite_app.paqss.services.structure import (
    AxeNode,
    ObjectifNode,
    ProgrammeNode,
    objectif_choices,
    programme_courant,
    programmes,
    rename_programme,
    save_axe,
    save_objectif,
    save_programme,
    service_choices,
    tree,
)

__all__ = [
    "ACTION_FIELDS", "ACTION_TYPE", "NATURE_ORIGINE", "NATURE_PREUVE", "ActionLiee", "action_depuis",
    "actions_depuis", "nombre_actions_depuis", "creer_action_depuis", "objectif_par_defaut", "SORTABLE", "UNSET",
    "ActionData", "ActionFilter", "ActionRow", "ActionRows", "AxeNode", "CommentaireRow", "ConfirmationNecessaire",
    "GanttRow", "JalonData", "LienRow", "ObjectifNode", "PreuveRow", "ProgrammeNode", "Summary",
    "action_id_by_reference", "action_query", "action_rows", "actions_for_indicator", "add_comment", "add_evidence",
    "bulk_update", "comments", "delete_action", "delete_actions", "enregistrer_action", "evidence",
    "extra_copilot_names", "get_action", "journal", "link_indicator", "link_item", "link_to_reference",
    "links", "list_actions", "next_reference", "objectif_choices", "programme_courant", "programmes",
    "reappliquer", "remove_evidence", "rename_programme", "save_action", "save_axe", "save_objectif", "save_programme",
    "search_key", "service_choices", "summary", "sync_team", "timeline", "tree", "validate_action",
]  # fmt: skip
