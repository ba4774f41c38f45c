"""The plan's own fields (adoption, opinions of the directoire, CME and CSE, review cycle, diffusion), a new
version in the revision table, and putting a plan in force: each one service call."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.errors import UserError, ValidationError
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise.formulaire import Formulaire
from qualite_app.gui.operations import run_write, show_error

DATES = {
    "adopte_le": "Adopté le",
    "avis_directoire_le": "Avis du directoire le",
    "avis_cme_le": "Avis de la CME le",
    "avis_cse_le": "Avis du CSE le",
    "revision_fixee": "Prochaine révision (vide : adoption + cycle)",
}


def _fr(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _dates(values: dict[str, Any], keys: dict[str, str]) -> dict[str, date | None]:
    """The date fields parsed; a wrong one is refused with the field's name (nothing is written)."""
    out: dict[str, date | None] = {}
    errors: dict[str, str] = {}
    for k, label in keys.items():
        try:
            out[k] = rules.date_fr(values[k], label)
        except ValueError as exc:
            errors[k] = str(exc)
    if errors:
        raise ValidationError(errors)
    return out


def editer_plan(ctx: AppContext, parent: QWidget, plan_id: int) -> bool:
    d = crise.plan_data(ctx.db, plan_id)
    fields = [
        ("nom", "Nom du plan", d.nom, False),
        ("type_plan", "Type", d.type_plan, False),
        ("version", "Version", d.version, False),
    ]
    fields += [(k, label, _fr(getattr(d, k)), False) for k, label in DATES.items()]
    fields += [("cycle_revision_mois", "Cycle de révision (mois)", str(d.cycle_revision_mois), False),
               ("cycle_exercice_mois", "Un exercice au moins tous les (mois)", str(d.cycle_exercice_mois), False),
               ("diffusion", "Diffusion", d.diffusion, False), ("description", "Description", d.description, True)]  # fmt: skip
    dlg = Formulaire(
        parent,
        parent.tr("Propriétés du plan"),
        fields,
        {"type_plan": list((v, k) for k, v in rules.TYPES_PLAN.items())},
    )
    if not dlg.exec():
        return False
    x = dlg.values()
    try:
        dates = _dates(x, DATES)
        cycle = int(x["cycle_revision_mois"] or 0)
        cycle_ex = int(x["cycle_exercice_mois"] or 0)
    except ValidationError as exc:
        show_error(parent, exc)
        return False
    except ValueError:
        show_error(
            parent, UserError("Les cycles de révision et d'exercice se comptent en mois entiers (ex. 12).")
        )
        return False
    data = crise.PlanData(nom=x["nom"], type_plan=x["type_plan"], version=x["version"], cycle_revision_mois=cycle, cycle_exercice_mois=cycle_ex,
                          diffusion=x["diffusion"], description=x["description"], **dates,
                          version_ligne=d.version_ligne, charge_le=d.charge_le)  # fmt: skip
    # someone saved the plan since the form opened: reapply, or discard (the form is closed, the page redraws)
    return run_write(ctx, parent, crise.save_plan, ctx.db, data, plan_id, recharger=lambda: None) is not None


def nouvelle_revision(ctx: AppContext, parent: QWidget, plan_id: int) -> bool:
    d = crise.plan_data(ctx.db, plan_id)
    suggested = str(int(d.version) + 1) if d.version.isdigit() else ""
    dlg = Formulaire(parent, parent.tr("Nouvelle version du plan"), [
        ("version", "Version", suggested, False), ("le", "Date", f"{date.today():%d/%m/%Y}", False),
        ("objet", "Objet de la révision", "", True)])  # fmt: skip
    if not dlg.exec():
        return False
    x = dlg.values()
    try:
        le = _dates(x, {"le": "Date"})["le"] or date.today()
    except ValidationError as exc:
        show_error(parent, exc)
        return False
    return (
        run_write(ctx, parent, crise.ajouter_revision, ctx.db, plan_id, x["version"], le, x["objet"])
        is not None
    )


def nouvel_exercice(ctx: AppContext, parent: QWidget, plan_id: int, scenarios: list[tuple[str, Any]]) -> bool:
    return editer_exercice(ctx, parent, plan_id, scenarios, None)


def editer_exercice(ctx: AppContext, parent: QWidget, plan_id: int, scenarios: list[tuple[str, Any]],
                    exercice_id: int | None) -> bool:  # fmt: skip
    """A new exercise, or one of the plan's exercises (its debrief, its RETEX) with the version it opened:
    someone else's save meanwhile is shown, the user reapplies his changes or abandons them."""
    d = crise.ExerciceData("", date.today()) if exercice_id is None else crise.exercice_data(ctx.db, exercice_id)
    title = parent.tr("Nouvel exercice") if exercice_id is None else parent.tr("Exercice")
    dlg = Formulaire(parent, title, [
        ("intitule", "Intitulé", d.intitule, False), ("le", "Date", _fr(d.le), False),
        ("type_exercice", "Type", d.type_exercice, False), ("scenario_id", "Scénario", str(d.scenario_id or 0), False),
        ("participants", "Participants", d.participants, True), ("debrief_chaud", "Débriefing à chaud", d.debrief_chaud, True),
        ("retex", "RETEX (à froid)", d.retex, True), ("retex_le", "RETEX le", _fr(d.retex_le), False)],
        {"type_exercice": [(v, k) for k, v in rules.TYPES_EXERCICE.items()], "scenario_id": [("(non précisé)", 0), *scenarios]})  # fmt: skip
    if not dlg.exec():
        return False
    x = dlg.values()
    try:
        dates = _dates(x, {"le": "Date", "retex_le": "RETEX le"})
    except ValidationError as exc:
        show_error(parent, exc)
        return False
    if dates["le"] is None:
        show_error(parent, ValidationError({"le": "La date de l'exercice est obligatoire."}))
        return False
    data = crise.ExerciceData(x["intitule"], dates["le"], x["type_exercice"], x["scenario_id"] or None, x["participants"],
                              x["debrief_chaud"], x["retex"], dates["retex_le"], d.activation_id, **d.edition())  # fmt: skip
    merged: list[int | None] = []

    def reapply() -> None:
        """The user's changed fields over the exercise as it is now (a colleague's other changes kept)."""
        from qualite_app.socle import versions

        assert exercice_id is not None
        mine = versions.reappliquer(d, data, crise.exercice_data(ctx.db, exercice_id))
        merged.append(run_write(ctx, parent, crise.save_exercice, ctx.db, plan_id, mine, exercice_id, recharger=lambda: None))

    # discarded: the dialog is closed, the tab shows the exercise as the base holds it
    saved = run_write(ctx, parent, crise.save_exercice, ctx.db, plan_id, data, exercice_id, recharger=lambda: None,
                      reappliquer=reapply)  # fmt: skip
    return saved is not None or any(x is not None for x in merged)
