"""The action editor: the dialog that assembles the tabs and writes.

The fields (action_form.py) and the other tabs (action_tabs.py) only show and collect; every write
is here, one service call each through ``run_write`` (the pages redraw from its ChangeSet). Comments
and evidence given before the first save are kept and attached in the same transaction as the action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import ConflitEdition, UserError, ValidationError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import ask_conflict, run_write, show_error
from qualite_app.gui.paqss.action_form import ActionForm, select
from qualite_app.gui.paqss.action_tabs import CommentsTab, EvidenceTab, JalonsTab, JournalTable
from qualite_app.gui.widgets.common import tab_parent
from qualite_app.gui.widgets.drop_zone import DropZone
from qualite_app.gui.widgets.multi_pick import MultiPick
from qualite_app.paqss import services as paqss

if TYPE_CHECKING:
    from qualite_app.gui.widgets.liens import LiensPanel

__all__ = ["ActionEditor", "DropZone", "MultiPick"]


class ActionEditor(QDialog):
    """Create or edit one action. Comments and evidence given before the first save are attached on save."""

    saved = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        action_id: int | None = None,
        parent: QWidget | None = None,
        *,
        objectif_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.action_id = action_id
        self.pending_files: list[Path] = []
        self.pending_comments: list[str] = []
        self.setWindowTitle(
            self.tr("Nouvelle action PAQSS") if action_id is None else self.tr("Action PAQSS")
        )
        self.resize(860, 680)
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs)

        # the tabs built in place (``tab_parent``): moved there once built, each would be restyled again
        self.form = ActionForm(ctx, tab_parent(self.tabs))
        jalons = JalonsTab(tab_parent(self.tabs))
        self.jalons = jalons.table
        self.add_jalon_button = jalons.add_button
        # the other tabs are built when first shown (or first used): opening an action builds its form;
        # their titles' counts are read at once (``_refresh_side``)
        self._lazy: dict[int, Callable[[], QWidget]] = {
            2: self._make_comments,
            3: self._make_evidence,
            4: self._make_liens,
            5: self._make_journal,
        }
        self._holders: dict[int, QWidget] = {}
        self._comment_lines: list[str] = []
        self._evidence_lines: list[tuple[str, int | None]] = []
        self.tabs.addTab(self.form, self.tr("Action"))
        self.tabs.addTab(jalons, self.tr("Jalons"))
        for i, title in (
            (2, self.tr("Commentaires")),
            (3, self.tr("Preuves")),
            (4, self.tr("Liens")),
            (5, self.tr("Journal")),
        ):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._holders[i] = holder
            self.tabs.addTab(holder, title)
        self.tabs.currentChanged.connect(self._ensure_tab)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if action_id is not None:
            self.load(paqss.get_action(self.db, action_id))
        elif objectif_id is not None:
            select(self.form.objectif, objectif_id)
        self._refresh_side()

    # --- the tabs built when first shown ----------------------------------------------------
    def _ensure_tab(self, index: int) -> None:
        make = self._lazy.pop(index, None)
        if make is None:
            return
        layout = self._holders[index].layout()
        if layout is not None:
            layout.addWidget(make())

    def _make_comments(self) -> QWidget:
        self._comments_tab = CommentsTab(self.add_comment)
        self._fill_comments()
        return self._comments_tab

    def _make_evidence(self) -> QWidget:
        self._evidence_tab = EvidenceTab(self._choose_files, self._remove_evidence)
        self._evidence_tab.list.files_dropped.connect(self.add_files)
        self._fill_evidence()
        return self._evidence_tab

    def _make_liens(self) -> QWidget:
        from qualite_app.gui.widgets.liens import LiensPanel

        self._liens = LiensPanel(self.ctx, titre=self.tr("Liens de l'action"))
        self._liens.counted.connect(
            lambda n: self.tabs.setTabText(4, self.tr("Liens (%1)").replace("%1", str(n)))
        )
        self._liens.show_for(*self._liens_element())
        return self._liens

    def _make_journal(self) -> QWidget:
        self._journal = JournalTable()
        self._fill_journal()
        return self._journal

    @property
    def comments(self) -> QListWidget:
        self._ensure_tab(2)
        return self._comments_tab.list

    @property
    def comment_text(self) -> QPlainTextEdit:
        self._ensure_tab(2)
        return self._comments_tab.text

    @property
    def evidence(self) -> DropZone:
        self._ensure_tab(3)
        return self._evidence_tab.list

    @property
    def liens(self) -> LiensPanel:
        self._ensure_tab(4)
        return self._liens

    @property
    def journal(self) -> JournalTable:
        self._ensure_tab(5)
        return self._journal

    # --- values --------------------------------------------------------------------------
    def load(self, d: paqss.ActionData) -> None:
        self.form.load(d)
        self.jalons.load(d.jalons)
        self._opened = (d.version, d.charge_le)  # what was opened: a save from it is checked against the base
        self._opened_data = d

    def data(self) -> paqss.ActionData:
        """The action as typed; ``ValidationError`` naming each date that is not one."""
        dates, bad = self.form.read_dates()
        bad.update(self.jalons.date_errors())
        if bad:
            raise ValidationError(bad)
        d = self.form.action_data(self.action_id, dates, self.jalons.values())
        d.version, d.charge_le = getattr(self, "_opened", (None, None))
        d.lu = getattr(getattr(self, "_opened_data", None), "lu", None)  # what was read: the save needn't read it again
        return d

    def show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)
        if errors:
            self.tabs.setCurrentIndex(0)

    # --- saving ----------------------------------------------------------------------------
    def _refused(self, exc: UserError) -> None:
        """A refused write: field messages beside their fields, a conflict with someone else's save offered
        to reapply or to discard, anything else in a message box."""
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        elif isinstance(exc, ConflitEdition):
            self._conflict(exc)
        else:
            show_error(self, exc)

    def _conflict(self, exc: ConflitEdition) -> None:
        reapply = ask_conflict(self, exc, self.tr("Action modifiée entre-temps"))
        if self.action_id is None:
            return
        if reapply:  # my changes over the action as it is now, the colleague's kept
            try:
                merged = paqss.reappliquer(
                    self._opened_data, self.data(), paqss.get_action(self.db, self.action_id)
                )
            except UserError as err:
                show_error(self, err)
                return
            self.load(merged)
            self.save()
        else:  # start again from what the base holds now
            self.load(paqss.get_action(self.db, self.action_id))
            self._refresh_side()

    def _pending_contents(self) -> list[tuple[str, bytes]]:
        files = []
        for p in self.pending_files:
            try:
                files.append((p.name, p.read_bytes()))
            except OSError as exc:
                raise UserError(
                    f"Lecture impossible de « {p.name} » ({exc.strerror or 'erreur de lecture'}) : "
                    "rien n'a été enregistré."
                ) from exc
        return files

    def save(self) -> None:
        try:
            d = self.data()
            files = self._pending_contents()
        except UserError as exc:
            self._refused(exc)
            return
        # ONE service call = ONE transaction: the action with its pending comments and files
        new_id = run_write(
            self.ctx,
            self,
            paqss.enregistrer_action,
            self.db,
            d,
            list(self.pending_comments),
            files,
            on_error=self._refused,
        )
        if new_id is None:
            return
        self.pending_comments.clear()
        self.pending_files.clear()
        self.action_id = new_id
        self.show_errors({})
        self.saved.emit(new_id)
        self.accept()

    # --- comments, evidence, links: each one transaction, written at once once the action exists ---
    def add_comment(self) -> None:
        text = self.comment_text.toPlainText().strip()
        if not text:
            return
        if self.action_id is None:
            self.pending_comments.append(text)
        elif run_write(self.ctx, self, paqss.add_comment, self.db, self.action_id, text) is None:
            return
        self.comment_text.clear()
        self._refresh_side()

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if not p.is_file():
                continue
            if self.action_id is None:
                self.pending_files.append(p)
                continue
            try:
                content = p.read_bytes()
            except OSError as exc:
                show_error(self, UserError(f"Lecture impossible de « {p.name} » : {exc}"))
                continue
            run_write(self.ctx, self, paqss.add_evidence, self.db, self.action_id, content, p.name)
        self._refresh_side()

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Fichiers de preuve"))
        self.add_files([Path(f) for f in files])

    def _remove_evidence(self) -> None:
        item = self.evidence.currentItem()
        if item is None:
            return
        lien = item.data(Qt.ItemDataRole.UserRole)
        if lien is None:
            self.pending_files = [p for p in self.pending_files if p.name != item.text().split(" (")[0]]
        else:
            run_write(self.ctx, self, paqss.remove_evidence, self.db, lien)
        self._refresh_side()

    # --- what the side tabs show -----------------------------------------------------------
    def _refresh_side(self) -> None:
        """What the side tabs show, read again: their titles at once, their contents once built."""
        self._comment_lines, self._evidence_lines = [], []
        if self.action_id is not None:
            for c in paqss.comments(self.db, self.action_id):
                self._comment_lines.append(f"{c.cree_le:%d/%m/%Y %H:%M} — {c.auteur}\n{c.texte}")
            for e in paqss.evidence(self.db, self.action_id):
                self._evidence_lines.append((f"{e.nom} ({max(1, e.taille // 1024)} Ko)", e.lien_id))
        self._comment_lines += [self.tr("(à l'enregistrement) ") + t for t in self.pending_comments]
        self._evidence_lines += [(f"{p.name} (à l'enregistrement)", None) for p in self.pending_files]
        if 2 not in self._lazy:
            self._fill_comments()
        if 3 not in self._lazy:
            self._fill_evidence()
        if 5 not in self._lazy:
            self._fill_journal()
        if 4 not in self._lazy:
            self._liens.show_for(*self._liens_element())
        else:  # the title's count only, the panel built when shown
            from qualite_app.socle import chaine

            table, ident, _libelle = self._liens_element()
            n = chaine.compter(chaine.liens_de(self.db, table, ident)) if table and ident is not None else 0
            self.tabs.setTabText(4, self.tr("Liens (%1)").replace("%1", str(n)))
        self.tabs.setTabText(2, self.tr("Commentaires (%1)").replace("%1", str(len(self._comment_lines))))
        self.tabs.setTabText(3, self.tr("Preuves (%1)").replace("%1", str(len(self._evidence_lines))))

    def _liens_element(self) -> tuple[str | None, int | None, str]:
        opened = getattr(self, "_opened_data", None)
        return (paqss.ACTION_TYPE if self.action_id else None, self.action_id,
                getattr(opened, "reference", "") or self.tr("cette action"))  # fmt: skip

    def _fill_comments(self) -> None:
        self._comments_tab.list.clear()
        self._comments_tab.list.addItems(self._comment_lines)

    def _fill_evidence(self) -> None:
        box = self._evidence_tab.list
        box.clear()
        for text, lien in self._evidence_lines:
            it = QListWidgetItem(text)
            if lien is not None:
                it.setData(Qt.ItemDataRole.UserRole, lien)
            box.addItem(it)

    def _fill_journal(self) -> None:
        if self.action_id is None:
            self._journal.setRowCount(0)
        else:
            self._journal.show_rows(paqss.journal(self.db, self.action_id), self.form.readable)
