"""Crisis-plan use cases — the only writer of the ``crise_*`` tables. Split by concern:

- ``plans``: plans, the plan in force, new plan from a template, revisions, the whole plan as data;
- ``roles``: cell roles (holder, deputies from the directory) and fiches réflexes with their timed tasks;
- ``annuaire``: crisis directory (24/7 numbers, call-back plan), resources, message templates;
- ``controles``: the plan's checks (role without holder, inactive deputy, review and exercise due);
- ``main_courante``: activation, immutable time-stamped log, ticks, points de situation, stand-down;
- ``exercices``: exercises, debriefs, RETEX findings → PAQSS actions;
- ``annexes``: the binder's appendices (site maps, patient flows), images linked to the plan;
- ``maturite``: the maturity self-assessment (ANSSI grid…) through the certification area's engine.

Callers use ``from qualite_app.crise import services as crise`` then ``crise.<name>``.
"""

from typing import TYPE_CHECKING

from qualite_app.paresseux import a_la_demande

if TYPE_CHECKING:  # the names below are imported on first use (``__getattr__``)
    from qualite_app.crise.services.annexes import (
        AnnexeRow,
        ajouter_annexe,
        annexes,
        contenus_annexes,
        retirer_annexe,
    )
    from qualite_app.crise.services.annuaire import (
        ContactData,
        RessourceData,
        delete_contact,
        delete_message,
        delete_ressource,
        save_contact,
        save_message,
        save_ressource,
    )
    from qualite_app.crise.services.controles import (
        EcheancesPlan,
        alertes,
        echeances_plans,
        echeances_plans_query,
    )
    from qualite_app.crise.services.exercices import (
        CONSTAT_TYPE,
        EXERCICE_TYPE,
        PLAN_TYPE,
        ConstatRow,
        ExerciceData,
        ExerciceRow,
        action_du_constat,
        ajouter_constat,
        constat_vers_paqss,
        exercice_data,
        exercices,
        modifier_constat,
        save_exercice,
    )
    from qualite_app.crise.services.main_courante import (
        activation,
        activation_en_cours,
        activations,
        activer,
        cocher,
        coches,
        coches_detail,
        corriger,
        ecrire,
        entrees,
        lever,
        point_de_situation,
    )
    from qualite_app.crise.services.maturite import MaturiteRow
    from qualite_app.crise.services.maturite import autoevaluations as autoevaluations_maturite
    from qualite_app.crise.services.maturite import lancer as lancer_autoevaluation
    from qualite_app.crise.services.maturite import referentiels as referentiels_maturite
    from qualite_app.crise.services.plans import (
        PlanData,
        PlanRow,
        ajouter_revision,
        contenu,
        instancier,
        mettre_en_vigueur,
        nouveau_plan_depuis_modele,
        plan_data,
        plan_en_vigueur,
        plans,
        save_niveau,
        save_plan,
        save_scenario,
        trouver_plan,
    )
    from qualite_app.crise.services.roles import (
        FicheData,
        RoleData,
        TacheData,
        delete_fiche,
        delete_role,
        get_fiche,
        personne_choices,
        save_fiche,
        save_role,
    )

#: public name → (submodule, name): a submodule is imported when one of its names is first asked for, so
#: that a caller needing one concern (the home page: the action list) does not import them all
_OU: dict[str, tuple[str, str]] = {
    "AnnexeRow": ("qualite_app.crise.services.annexes", "AnnexeRow"),
    "ajouter_annexe": ("qualite_app.crise.services.annexes", "ajouter_annexe"),
    "contenus_annexes": ("qualite_app.crise.services.annexes", "contenus_annexes"),
    "retirer_annexe": ("qualite_app.crise.services.annexes", "retirer_annexe"),
    "ContactData": ("qualite_app.crise.services.annuaire", "ContactData"),
    "RessourceData": ("qualite_app.crise.services.annuaire", "RessourceData"),
    "delete_contact": ("qualite_app.crise.services.annuaire", "delete_contact"),
    "delete_message": ("qualite_app.crise.services.annuaire", "delete_message"),
    "delete_ressource": ("qualite_app.crise.services.annuaire", "delete_ressource"),
    "save_contact": ("qualite_app.crise.services.annuaire", "save_contact"),
    "save_message": ("qualite_app.crise.services.annuaire", "save_message"),
    "save_ressource": ("qualite_app.crise.services.annuaire", "save_ressource"),
    "alertes": ("qualite_app.crise.services.controles", "alertes"),
    "EcheancesPlan": ("qualite_app.crise.services.controles", "EcheancesPlan"),
    "echeances_plans_query": ("qualite_app.crise.services.controles", "echeances_plans_query"),
    "echeances_plans": ("qualite_app.crise.services.controles", "echeances_plans"),
    "CONSTAT_TYPE": ("qualite_app.crise.services.exercices", "CONSTAT_TYPE"),
    "EXERCICE_TYPE": ("qualite_app.crise.services.exercices", "EXERCICE_TYPE"),
    "PLAN_TYPE": ("qualite_app.crise.services.exercices", "PLAN_TYPE"),
    "ConstatRow": ("qualite_app.crise.services.exercices", "ConstatRow"),
    "ExerciceData": ("qualite_app.crise.services.exercices", "ExerciceData"),
    "ExerciceRow": ("qualite_app.crise.services.exercices", "ExerciceRow"),
    "action_du_constat": ("qualite_app.crise.services.exercices", "action_du_constat"),
    "ajouter_constat": ("qualite_app.crise.services.exercices", "ajouter_constat"),
    "constat_vers_paqss": ("qualite_app.crise.services.exercices", "constat_vers_paqss"),
    "save_exercice": ("qualite_app.crise.services.exercices", "save_exercice"),
    "exercice_data": ("qualite_app.crise.services.exercices", "exercice_data"),
    "modifier_constat": ("qualite_app.crise.services.exercices", "modifier_constat"),
    "activation": ("qualite_app.crise.services.main_courante", "activation"),
    "activation_en_cours": ("qualite_app.crise.services.main_courante", "activation_en_cours"),
    "activations": ("qualite_app.crise.services.main_courante", "activations"),
    "activer": ("qualite_app.crise.services.main_courante", "activer"),
    "cocher": ("qualite_app.crise.services.main_courante", "cocher"),
    "coches": ("qualite_app.crise.services.main_courante", "coches"),
    "coches_detail": ("qualite_app.crise.services.main_courante", "coches_detail"),
    "corriger": ("qualite_app.crise.services.main_courante", "corriger"),
    "ecrire": ("qualite_app.crise.services.main_courante", "ecrire"),
    "entrees": ("qualite_app.crise.services.main_courante", "entrees"),
    "lever": ("qualite_app.crise.services.main_courante", "lever"),
    "point_de_situation": ("qualite_app.crise.services.main_courante", "point_de_situation"),
    "MaturiteRow": ("qualite_app.crise.services.maturite", "MaturiteRow"),
    "autoevaluations_maturite": ("qualite_app.crise.services.maturite", "autoevaluations"),
    "lancer_autoevaluation": ("qualite_app.crise.services.maturite", "lancer"),
    "referentiels_maturite": ("qualite_app.crise.services.maturite", "referentiels"),
    "PlanData": ("qualite_app.crise.services.plans", "PlanData"),
    "PlanRow": ("qualite_app.crise.services.plans", "PlanRow"),
    "ajouter_revision": ("qualite_app.crise.services.plans", "ajouter_revision"),
    "contenu": ("qualite_app.crise.services.plans", "contenu"),
    "instancier": ("qualite_app.crise.services.plans", "instancier"),
    "mettre_en_vigueur": ("qualite_app.crise.services.plans", "mettre_en_vigueur"),
    "nouveau_plan_depuis_modele": ("qualite_app.crise.services.plans", "nouveau_plan_depuis_modele"),
    "plan_data": ("qualite_app.crise.services.plans", "plan_data"),
    "plan_en_vigueur": ("qualite_app.crise.services.plans", "plan_en_vigueur"),
    "save_niveau": ("qualite_app.crise.services.plans", "save_niveau"),
    "save_plan": ("qualite_app.crise.services.plans", "save_plan"),
    "save_scenario": ("qualite_app.crise.services.plans", "save_scenario"),
    "trouver_plan": ("qualite_app.crise.services.plans", "trouver_plan"),
    "FicheData": ("qualite_app.crise.services.roles", "FicheData"),
    "RoleData": ("qualite_app.crise.services.roles", "RoleData"),
    "TacheData": ("qualite_app.crise.services.roles", "TacheData"),
    "delete_fiche": ("qualite_app.crise.services.roles", "delete_fiche"),
    "delete_role": ("qualite_app.crise.services.roles", "delete_role"),
    "get_fiche": ("qualite_app.crise.services.roles", "get_fiche"),
    "personne_choices": ("qualite_app.crise.services.roles", "personne_choices"),
    "save_fiche": ("qualite_app.crise.services.roles", "save_fiche"),
    "save_role": ("qualite_app.crise.services.roles", "save_role"),
}

#: functions named as their submodule are imported at once: the submodule, once imported by
#: anyone, would otherwise hide them (the package's attribute would be the module)
from qualite_app.crise.services.annexes import annexes  # noqa: E402 (a function named as its submodule)
from qualite_app.crise.services.exercices import exercices  # noqa: E402 (a function named as its submodule)
from qualite_app.crise.services.plans import plans  # noqa: E402 (a function named as its submodule)

__getattr__ = a_la_demande(__name__, _OU, globals())


__all__ = [
    "AnnexeRow", "ajouter_annexe", "annexes", "contenus_annexes", "retirer_annexe", "CONSTAT_TYPE", "MaturiteRow", "autoevaluations_maturite", "lancer_autoevaluation", "referentiels_maturite", "EXERCICE_TYPE", "PLAN_TYPE", "ConstatRow", "ContactData", "ExerciceData", "ExerciceRow", "FicheData",
    "PlanData", "PlanRow", "RessourceData", "RoleData", "TacheData", "action_du_constat", "activation", "activation_en_cours",
    "activations", "activer", "ajouter_constat", "ajouter_revision", "alertes", "EcheancesPlan", "echeances_plans", "echeances_plans_query", "cocher", "coches", "coches_detail",
    "constat_vers_paqss", "contenu", "corriger", "delete_contact", "delete_message", "delete_ressource", "delete_fiche", "delete_role", "ecrire", "entrees",
    "exercice_data", "exercices", "get_fiche", "modifier_constat", "instancier", "lever", "mettre_en_vigueur", "nouveau_plan_depuis_modele", "personne_choices",
    "plan_data", "plan_en_vigueur", "plans", "point_de_situation", "save_contact", "save_exercice", "save_fiche", "save_message",
    "save_niveau", "save_plan", "save_scenario", "save_ressource", "save_role", "trouver_plan",
]  # fmt: skip
