"""Dialogs of the Rapports area (one import for the page and other areas): verdict and PDF preview
(``pdf_view``), note d'information (``note_dialog``), signing identities (``identities``)."""

from __future__ import annotations

from qualite_app.gui.rapports.identities import CreateIdentityDialog, IdentitiesDialog, TokenDialog
from qualite_app.gui.rapports.note_dialog import NoteDialog
from qualite_app.gui.rapports.pdf_view import (
    PdfPreview,
    VerdictDialog,
    choose_and_read,
    pdf_pages_as_images,
    read_chosen_file,
    show_verdict,
)

__all__ = [
    "CreateIdentityDialog", "IdentitiesDialog", "NoteDialog", "PdfPreview", "TokenDialog", "VerdictDialog", "choose_and_read",
    "pdf_pages_as_images", "read_chosen_file", "show_verdict",
]  # fmt: skip
