"""Choosing how a report is issued: signed with one of the base's identities (password or PIN asked only
when the identity needs one), or not signed. Shared by every page that issues a report."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

#: the choice « no signature » (the report is still numbered and kept in the register)
SANS_SIGNATURE = (None, None)


def choisir_signature(parent: QWidget, db: object, what: str = "le rapport") -> tuple[str | None, str | None] | None:
    """(identity, password) to issue with, ``(None, None)`` for no signature, or None when the user cancelled."""
    from qualite_app.rapports import services as rapports  # when a report is issued, not when a page opens

    ids = [i.nom for i in rapports.lister_identites(db)]  # type: ignore[arg-type]
    if not ids:
        return SANS_SIGNATURE
    none = parent.tr("(sans signature)")
    choice, ok = QInputDialog.getItem(parent, parent.tr("Signature"), parent.tr("Signer %1 avec :").replace("%1", what),
                                      [*ids, none], 0, False)  # fmt: skip
    if not ok:
        return None
    if choice == none:
        return SANS_SIGNATURE
    password = None
    if rapports.mot_de_passe_requis(db, choice):  # type: ignore[arg-type]
        password, ok = QInputDialog.getText(parent, parent.tr("Signature"), parent.tr("Mot de passe ou code PIN :"),
                                            QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok:
            return None
    return choice, password
