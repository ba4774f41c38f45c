"""Showing PDFs and verdicts: the page images of a PDF, the preview pane, the verification verdict, reading a chosen file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.gui.operations import show_error
from qualite_app.gui.rapports.util import named

if TYPE_CHECKING:
    from qualite_app.signing.verify import Verdict


def read_chosen_file(parent: QWidget, path: str) -> bytes | None:
    """The bytes of a file the user picked; an unreadable file is explained, not raised."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        show_error(parent, UserError(f"Impossible de lire « {path} » : {exc.strerror}"))
        return None


def choose_and_read(parent: QWidget, title: str, filters: str) -> tuple[Path, bytes] | None:
    """Ask for a file and read it: None when the user cancels or the file cannot be read (explained)."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    if not path:
        return None
    data = read_chosen_file(parent, path)
    return None if data is None else (Path(path), data)


# --- verdict --------------------------------------------------------------------------------------------


class VerdictDialog(QDialog):
    """Shows a verification verdict: a coloured headline, then one fact per line."""

    def __init__(self, parent: QWidget | None, title: str, lines: list[str], ok: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 380)
        lay = QVBoxLayout(self)
        head = lines[0].removeprefix("VERDICT : ") if lines else ""
        self.headline = named(QLabel(head), "verdict")
        self.headline.setWordWrap(True)
        colour = "#2E7D32" if ok else "#C62828"
        self.headline.setStyleSheet(f"font-weight:600; font-size:11pt; color:white; background:{colour}; padding:8px; border-radius:4px")
        lay.addWidget(self.headline)
        self.details = QPlainTextEdit("\n".join(lines[1:]))
        self.details.setReadOnly(True)
        lay.addWidget(self.details, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)


def show_verdict(parent: QWidget, title: str, verdict: Verdict) -> VerdictDialog:
    dlg = VerdictDialog(parent, title, verdict.lignes(), verdict.ok)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg


# --- PDF preview ------------------------------------------------------------------------------------------


def pdf_pages_as_images(pdf: bytes, width_px: int = 560) -> list[QImage]:
    """Render PDF pages with pdfium (imported when first needed)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            scale = width_px / page.get_width()
            pil = page.render(scale=scale).to_pil().convert("RGBA")
            data = pil.tobytes("raw", "RGBA")
            images.append(QImage(data, pil.width, pil.height, QImage.Format.Format_RGBA8888).copy())
            page.close()
    finally:
        doc.close()
    return images


class PdfPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(470)
        self._holder = QWidget()
        self._lay = QVBoxLayout(self._holder)
        self._lay.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._holder)
        self.show_message(self.tr("Cliquez sur « Générer » pour voir la note telle qu'elle sera émise."))
        self.page_count = 0

    def _clear(self) -> None:
        while self._lay.count():
            item = self._lay.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()

    def show_message(self, text: str) -> None:
        self._clear()
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setStyleSheet("color:#5B6573; padding:24px")
        lab.setFixedWidth(420)
        self._lay.addWidget(lab)
        self._lay.activate()

    def show_pdf(self, pdf: bytes) -> None:
        self._clear()
        images = pdf_pages_as_images(pdf, width_px=max(400, self.viewport().width() - 40))
        self.page_count = len(images)
        for img in images:
            lab = QLabel()
            pix = QPixmap.fromImage(img)
            lab.setPixmap(pix)
            lab.setFixedSize(pix.size())
            lab.setStyleSheet("border:1px solid #C5D1DE; background:white")
            self._lay.addWidget(lab)
        self._lay.activate()


# --- note d'information -------------------------------------------------------------------------------------
