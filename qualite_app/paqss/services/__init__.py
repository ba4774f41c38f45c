"""PAQSS use cases — the only writer of the PAQSS tables. Split by concern:

- ``structure``: programmes, axes, objectives, the tree, the editor's choices;
- ``liste``: the action list (filter and sort in SQL), lookup by reference, the timeline;
- ``actions``: one action (read, validate, save, the editor's one-transaction save, delete, bulk changes);
- ``equipe``: extra co-pilots and services;
- ``numeros``: a new action's reference (its objective's year, the next number, its lock on the team's server);
- ``preuves``: comments, evidence files, links (incl. indicators, for the indicators area);
- ``resume``: the action's journal and the summary strip;
- ``origines``: an action born from another area's item (finding, analysis, RETEX, risk), linked to it.

Callers use ``from qualite_app.paqss import services as paqss`` then ``paqss.<name>``.
"""

from typing import TYPE_CHECKING

from qualite_app.paresseux import a_la_demande

if TYPE_CHECKING:  # the names below are imported on first use (``__getattr__``)
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
        count_actions,
        extra_copilot_names,
        list_actions,
        timeline,
    )
    from qualite_app.paqss.services.numeros import next_reference
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

#: public name → (submodule, name): a submodule is imported when one of its names is first asked for, so
#: that a caller needing one concern (the home page: the action list) does not import them all
_OU: dict[str, tuple[str, str]] = {
    "ACTION_FIELDS": ("qualite_app.paqss.services.actions", "ACTION_FIELDS"),
    "UNSET": ("qualite_app.paqss.services.actions", "UNSET"),
    "ActionData": ("qualite_app.paqss.services.actions", "ActionData"),
    "ConfirmationNecessaire": ("qualite_app.paqss.services.actions", "ConfirmationNecessaire"),
    "JalonData": ("qualite_app.paqss.services.actions", "JalonData"),
    "bulk_update": ("qualite_app.paqss.services.actions", "bulk_update"),
    "delete_action": ("qualite_app.paqss.services.actions", "delete_action"),
    "delete_actions": ("qualite_app.paqss.services.actions", "delete_actions"),
    "enregistrer_action": ("qualite_app.paqss.services.actions", "enregistrer_action"),
    "get_action": ("qualite_app.paqss.services.actions", "get_action"),
    "next_reference": ("qualite_app.paqss.services.numeros", "next_reference"),
    "reappliquer": ("qualite_app.paqss.services.actions", "reappliquer"),
    "save_action": ("qualite_app.paqss.services.actions", "save_action"),
    "search_key": ("qualite_app.paqss.services.actions", "search_key"),
    "validate_action": ("qualite_app.paqss.services.actions", "validate_action"),
    "sync_team": ("qualite_app.paqss.services.equipe", "sync_team"),
    "SORTABLE": ("qualite_app.paqss.services.liste", "SORTABLE"),
    "ActionFilter": ("qualite_app.paqss.services.liste", "ActionFilter"),
    "ActionRow": ("qualite_app.paqss.services.liste", "ActionRow"),
    "ActionRows": ("qualite_app.paqss.services.liste", "ActionRows"),
    "GanttRow": ("qualite_app.paqss.services.liste", "GanttRow"),
    "action_id_by_reference": ("qualite_app.paqss.services.liste", "action_id_by_reference"),
    "action_query": ("qualite_app.paqss.services.liste", "action_query"),
    "action_rows": ("qualite_app.paqss.services.liste", "action_rows"),
    "count_actions": ("qualite_app.paqss.services.liste", "count_actions"),
    "extra_copilot_names": ("qualite_app.paqss.services.liste", "extra_copilot_names"),
    "list_actions": ("qualite_app.paqss.services.liste", "list_actions"),
    "timeline": ("qualite_app.paqss.services.liste", "timeline"),
    "NATURE_ORIGINE": ("qualite_app.paqss.services.origines", "NATURE_ORIGINE"),
    "ActionLiee": ("qualite_app.paqss.services.origines", "ActionLiee"),
    "action_depuis": ("qualite_app.paqss.services.origines", "action_depuis"),
    "actions_depuis": ("qualite_app.paqss.services.origines", "actions_depuis"),
    "creer_action_depuis": ("qualite_app.paqss.services.origines", "creer_action_depuis"),
    "nombre_actions_depuis": ("qualite_app.paqss.services.origines", "nombre_actions_depuis"),
    "objectif_par_defaut": ("qualite_app.paqss.services.origines", "objectif_par_defaut"),
    "ACTION_TYPE": ("qualite_app.paqss.services.preuves", "ACTION_TYPE"),
    "NATURE_PREUVE": ("qualite_app.paqss.services.preuves", "NATURE_PREUVE"),
    "CommentaireRow": ("qualite_app.paqss.services.preuves", "CommentaireRow"),
    "LienRow": ("qualite_app.paqss.services.preuves", "LienRow"),
    "PreuveRow": ("qualite_app.paqss.services.preuves", "PreuveRow"),
    "actions_for_indicator": ("qualite_app.paqss.services.preuves", "actions_for_indicator"),
    "add_comment": ("qualite_app.paqss.services.preuves", "add_comment"),
    "add_evidence": ("qualite_app.paqss.services.preuves", "add_evidence"),
    "comments": ("qualite_app.paqss.services.preuves", "comments"),
    "evidence": ("qualite_app.paqss.services.preuves", "evidence"),
    "link_indicator": ("qualite_app.paqss.services.preuves", "link_indicator"),
    "link_item": ("qualite_app.paqss.services.preuves", "link_item"),
    "link_to_reference": ("qualite_app.paqss.services.preuves", "link_to_reference"),
    "links": ("qualite_app.paqss.services.preuves", "links"),
    "remove_evidence": ("qualite_app.paqss.services.preuves", "remove_evidence"),
    "Summary": ("qualite_app.paqss.services.resume", "Summary"),
    "journal": ("qualite_app.paqss.services.resume", "journal"),
    "summary": ("qualite_app.paqss.services.resume", "summary"),
    "AxeNode": ("qualite_app.paqss.services.structure", "AxeNode"),
    "ObjectifNode": ("qualite_app.paqss.services.structure", "ObjectifNode"),
    "ProgrammeNode": ("qualite_app.paqss.services.structure", "ProgrammeNode"),
    "objectif_choices": ("qualite_app.paqss.services.structure", "objectif_choices"),
    "programme_courant": ("qualite_app.paqss.services.structure", "programme_courant"),
    "programmes": ("qualite_app.paqss.services.structure", "programmes"),
    "rename_programme": ("qualite_app.paqss.services.structure", "rename_programme"),
    "save_axe": ("qualite_app.paqss.services.structure", "save_axe"),
    "save_objectif": ("qualite_app.paqss.services.structure", "save_objectif"),
    "save_programme": ("qualite_app.paqss.services.structure", "save_programme"),
    "service_choices": ("qualite_app.paqss.services.structure", "service_choices"),
    "tree": ("qualite_app.paqss.services.structure", "tree"),
}


__getattr__ = a_la_demande(__name__, _OU, globals())


__all__ = [
    "ACTION_FIELDS", "ACTION_TYPE", "NATURE_ORIGINE", "NATURE_PREUVE", "ActionLiee", "action_depuis",
    "actions_depuis", "nombre_actions_depuis", "creer_action_depuis", "objectif_par_defaut", "SORTABLE", "UNSET",
    "ActionData", "ActionFilter", "ActionRow", "ActionRows", "AxeNode", "CommentaireRow", "ConfirmationNecessaire",
    "GanttRow", "JalonData", "LienRow", "ObjectifNode", "PreuveRow", "ProgrammeNode", "Summary",
    "action_id_by_reference", "action_query", "action_rows", "actions_for_indicator", "add_comment", "add_evidence",
    "bulk_update", "comments", "count_actions", "delete_action", "delete_actions", "enregistrer_action", "evidence",
    "extra_copilot_names", "get_action", "journal", "link_indicator", "link_item", "link_to_reference",
    "links", "list_actions", "next_reference", "objectif_choices", "programme_courant", "programmes",
    "reappliquer", "remove_evidence", "rename_programme", "save_action", "save_axe", "save_objectif", "save_programme",
    "search_key", "service_choices", "summary", "sync_team", "timeline", "tree", "validate_action",
]  # fmt: skip
