"""What the PAQSS page does to the selected actions: delete, change status, pilot or due date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QMessageBox

from qualite_app.errors import UserError
from qualite_app.etablissement import annuaire
from qualite_app.gui.operations import run_write, show_error
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss

if TYPE_CHECKING:
    from qualite_app.gui.paqss.page import PaqssPage


def delete_selected(page: PaqssPage) -> None:
    ids = page.selected_ids()
    if not ids:
        return
    refs = [r.reference for r in page.model.rows if r.id in ids]
    text = page.tr(
        "Supprimer définitivement %1 action(s) (%2) avec leurs jalons et commentaires ? La suppression est inscrite au journal."
    )
    text = text.replace("%1", str(len(ids))).replace(
        "%2", ", ".join(refs[:5]) + ("…" if len(refs) > 5 else "")
    )
    if QMessageBox.question(page, page.tr("Supprimer"), text) != QMessageBox.StandardButton.Yes:
        return
    run_write(page.ctx, page, paqss.delete_actions, page.ctx.db, ids)


def _bulk(page: PaqssPage, **kw: Any) -> None:
    ids = page.selected_ids()
    if not ids:
        QMessageBox.information(
            page, page.tr("PAQSS"), page.tr("Sélectionnez une ou plusieurs actions dans la liste.")
        )
        return
    n = run_write(page.ctx, page, paqss.bulk_update, page.ctx.db, ids, **kw)
    if n is not None:  # shown beside the count when the page redraws from the ChangeSet (selection kept)
        page.notice = page.tr("%1 action(s) modifiée(s)").replace("%1", str(n))


def change_status(page: PaqssPage) -> None:
    if not page.selected_ids():
        _bulk(page)
        return
    labels = list(rules.STATUTS.values())
    choice, ok = QInputDialog.getItem(
        page,
        page.tr("Changer le statut"),
        page.tr("Nouveau statut des actions sélectionnées :"),
        labels,
        1,
        False,
    )
    if not ok:
        return
    code = next(k for k, v in rules.STATUTS.items() if v == choice)
    motif = None
    if code in rules.AVEC_MOTIF:
        motif, ok = QInputDialog.getText(
            page, page.tr("Motif"), page.tr("Motif (obligatoire pour « %1 ») :").replace("%1", choice)
        )
        if not ok:
            return
    _bulk(page, statut=code, motif=motif)


def change_pilot(page: PaqssPage) -> None:
    if not page.selected_ids():
        _bulk(page)
        return
    people = annuaire.choices(page.ctx.db)
    labels = [page.tr("(aucun pilote)")] + [t for _, t in people]
    choice, ok = QInputDialog.getItem(
        page, page.tr("Changer le pilote"), page.tr("Nouveau pilote :"), labels, 0, False
    )
    if not ok:
        return
    pid = next((i for i, t in people if t == choice), None)
    _bulk(page, pilote_id=pid)


def revise_due_date(page: PaqssPage) -> None:
    if not page.selected_ids():
        _bulk(page)
        return
    from qualite_app.rules.formats import parse_date_saisie as parse_date

    text, ok = QInputDialog.getText(
        page,
        page.tr("Réviser l'échéance"),
        page.tr("Échéance révisée (jj/mm/aaaa ; vide pour l'effacer) :"),
    )
    if not ok:
        return
    try:
        when = parse_date(text)
    except ValueError as exc:
        show_error(page, UserError(str(exc)))
        return
    _bulk(page, echeance_revisee=when)
