"""*Imprimer le classeur…* and *Enregistrer en PDF…*: the binder (or the cards, or the log) is built off the
UI thread with a progress bar and Cancel; printing renders the same PDF pages on the chosen printer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from qualite_app.crise import impression
from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import Progress, run_background, show_error


def construire(
    ctx: AppContext, parent: QWidget, kind: str, data_of: Callable[[], Any], on_pdf: Callable[[bytes], None]
) -> Any:
    """Build the PDF in the background (progress per page laid out, Cancel stops the layout)."""
    db = ctx.db
    titles = {"classeur": "Classeur de crise", "cartes": "Cartes réflexes", "journal": "Main courante"}

    def work(progress: Progress) -> bytes:
        progress.step(0, 100, "Lecture du plan…")
        data = data_of()
        total = impression.pages_estimees(data) if kind == "classeur" else 10

        def page(n: int) -> None:
            progress.step(min(n, total), total, f"Mise en page : page {n}…")

        return impression.apercu(db, kind, data, progression=page)

    return run_background(ctx, parent, f"{titles.get(kind, kind)} — préparation", work, on_pdf)


def enregistrer(
    ctx: AppContext, parent: QWidget, kind: str, data_of: Callable[[], Any], suggested: str
) -> None:
    path, _ = QFileDialog.getSaveFileName(parent, parent.tr("Enregistrer en PDF"), suggested, "PDF (*.pdf)")
    if not path:
        return

    def write(pdf: bytes) -> None:
        try:
            Path(path).write_bytes(pdf)
        except OSError as exc:
            show_error(parent, UserError(f"Impossible d'écrire « {path} » : {exc.strerror}"))

    construire(ctx, parent, kind, data_of, write)


def imprimer(ctx: AppContext, parent: QWidget, kind: str, data_of: Callable[[], Any], title: str) -> None:
    """Qt print dialog, then the very pages of the PDF (rendered by pdfium) on the printer."""

    def send(pdf: bytes) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        imprimer_pdf(pdf, printer)

    construire(ctx, parent, kind, data_of, send)


def imprimer_pdf(pdf: bytes, printer: Any) -> int:
    """Paint each PDF page on ``printer`` (any QPagedPaintDevice); returns the number of pages."""
    import pypdfium2 as pdfium
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPainter

    doc = pdfium.PdfDocument(pdf)
    painter = QPainter(printer)
    try:
        n = len(doc)
        for i in range(n):
            if i:
                printer.newPage()
            page = doc[i]
            target = painter.viewport()
            w_pt, h_pt = page.get_size()
            scale = min(target.width() / w_pt, target.height() / h_pt, 300 / 72)
            bitmap = page.render(scale=scale).to_pil()
            img = QImage(
                bitmap.tobytes("raw", "RGB"),
                bitmap.width,
                bitmap.height,
                bitmap.width * 3,
                QImage.Format.Format_RGB888,
            )
            w, h = int(w_pt * target.width() / w_pt), int(h_pt * target.width() / w_pt)
            if h > target.height():
                w, h = int(w_pt * target.height() / h_pt), target.height()
            painter.drawImage(QRect(0, 0, w, h), img)
    finally:
        painter.end()
        doc.close()
    return n
