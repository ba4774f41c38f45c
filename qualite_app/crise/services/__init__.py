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
from qualite_app.crise.services.controles import alertes
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

__all__ = [
    "AnnexeRow", "ajouter_annexe", "annexes", "contenus_annexes", "retirer_annexe", "CONSTAT_TYPE", "MaturiteRow", "autoevaluations_maturite", "lancer_autoevaluation", "referentiels_maturite", "EXERCICE_TYPE", "PLAN_TYPE", "ConstatRow", "ContactData", "ExerciceData", "ExerciceRow", "FicheData",
    "PlanData", "PlanRow", "RessourceData", "RoleData", "TacheData", "action_du_constat", "activation", "activation_en_cours",
    "activations", "activer", "ajouter_constat", "ajouter_revision", "alertes", "cocher", "coches", "coches_detail",
    "constat_vers_paqss", "contenu", "corriger", "delete_contact", "delete_message", "delete_ressource", "delete_fiche", "delete_role", "ecrire", "entrees",
    "exercice_data", "exercices", "get_fiche", "modifier_constat", "instancier", "lever", "mettre_en_vigueur", "nouveau_plan_depuis_modele", "personne_choices",
    "plan_data", "plan_en_vigueur", "plans", "point_de_situation", "save_contact", "save_exercice", "save_fiche", "save_message",
    "save_niveau", "save_plan", "save_scenario", "save_ressource", "save_role", "trouver_plan",
]  # fmt: skip
