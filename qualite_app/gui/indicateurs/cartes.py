"""An indicator card, painted in one pass (no child widgets: 40 cards draw in a few milliseconds)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from qualite_app.indicateurs.services import ETAT_COULEURS, ETATS, Carte, fr
from qualite_app.rules import spc

CARD_W, CARD_H = 272, 158

VARIATION_TEXT = {
    spc.COMMON: "Variation de cause commune",
    spc.IMPROVEMENT: "Amélioration (cause spéciale)",
    spc.CONCERN: "Dégradation (cause spéciale)",
    spc.NEUTRAL: "Cause spéciale",
}
ASSURANCE_TEXT = {
    spc.PASS: "Cible atteinte de façon régulière",
    spc.FAIL: "Cible manquée sans changement",
    spc.HIT_MISS: "Cible tantôt atteinte, tantôt manquée",
}


def draw_variation_icon(p: QPainter, rect: QRectF, variation: str, side: str | None) -> None:
    """A circle coloured as in Making Data Count: grey common cause, blue improvement, orange concern."""
    colour = QColor(spc.COLOURS.get(variation, spc.COLOURS[spc.COMMON]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawEllipse(rect)
    p.setPen(QPen(QColor("white"), 1.6))
    c = rect.center()
    r = rect.width() / 2
    if variation == spc.COMMON:
        path = QPainterPath(QPointF(c.x() - r * 0.55, c.y()))
        path.cubicTo(c.x() - r * 0.25, c.y() - r * 0.5, c.x() + r * 0.05, c.y() + r * 0.5, c.x() + r * 0.55, c.y())
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    else:
        up = side == "haut"
        dy = r * 0.5 if up else -r * 0.5  # the head is drawn at c.y - dy
        p.drawLine(QPointF(c.x(), c.y() + dy), QPointF(c.x(), c.y() - dy))
        p.drawLine(QPointF(c.x(), c.y() - dy), QPointF(c.x() - r * 0.35, c.y() - dy * 0.3))
        p.drawLine(QPointF(c.x(), c.y() - dy), QPointF(c.x() + r * 0.35, c.y() - dy * 0.3))


def draw_assurance_icon(p: QPainter, rect: QRectF, assurance: str | None) -> None:
    if assurance is None:
        return
    colour = {spc.PASS: QColor("#00b0f0"), spc.FAIL: QColor("#e46c0a"), spc.HIT_MISS: QColor("#a6a6a6")}[assurance]
    p.setPen(QPen(colour, 2))
    p.setBrush(QColor("white"))
    p.drawEllipse(rect.adjusted(1, 1, -1, -1))
    p.setPen(colour)
    f = QFont(p.font())
    f.setBold(True)
    f.setPointSizeF(7.5)
    p.setFont(f)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, {spc.PASS: "P", spc.FAIL: "F", spc.HIT_MISS: "?"}[assurance])


def draw_sparkline(p: QPainter, rect: QRectF, values: tuple[float | None, ...], target: float | None) -> None:
    real = [v for v in values if v is not None]
    if len(real) < 2:
        return
    lo, hi = min(real + ([target] if target is not None else [])), max(real + ([target] if target is not None else []))
    span = (hi - lo) or 1.0
    n = len(values)

    def pt(i: int, v: float) -> QPointF:
        return QPointF(rect.left() + rect.width() * i / max(n - 1, 1), rect.bottom() - rect.height() * (v - lo) / span)

    if target is not None:
        p.setPen(QPen(QColor("#C62828"), 0.8, Qt.PenStyle.DashLine))
        y = pt(0, target).y()
        p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
    p.setPen(QPen(QColor("#5B6573"), 1.3))
    prev: QPointF | None = None
    for i, v in enumerate(values):
        if v is None:
            continue
        cur = pt(i, v)
        if prev is not None:
            p.drawLine(prev, cur)
        prev = cur
    if prev is not None:
        p.setBrush(QColor("#1F3A5F"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(prev, 2.5, 2.5)


class CarteWidget(QWidget):
    """Latest value, period, target, coloured state, sparkline, SPC variation and assurance icons."""

    clicked = Signal(int)

    def __init__(self, carte: Carte, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.carte = carte
        self.setFixedSize(QSize(CARD_W, CARD_H))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName(f"carte_{carte.code}")
        self.setAccessibleName(self.summary())
        self.setToolTip(self.summary())

    def summary(self) -> str:
        c = self.carte
        parts = [f"{c.code} — {c.libelle}", f"Dernier résultat : {c.valeur_texte}" + (f" ({c.periode})" if c.periode else "")]
        if c.cible is not None:
            parts.append(f"Cible : {fr(c.cible)}" + (f", alerte : {fr(c.seuil_alerte)}" if c.seuil_alerte is not None else ""))
        parts.append(f"État : {ETATS[c.etat]}")
        parts.append(VARIATION_TEXT[c.variation])
        if c.assurance:
            parts.append(ASSURANCE_TEXT[c.assurance])
        if c.provisoire:
            parts.append("Limites provisoires (moins de 12 points)")
        return "\n".join(parts)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.carte.indicateur_id)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.carte.indicateur_id)
            return
        super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        c = self.carte
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        p.setPen(QPen(QColor("#1F3A5F") if self.hasFocus() else QColor("#C5D1DE"), 1.5 if self.hasFocus() else 1))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(r, 6, 6)
        state = QColor(ETAT_COULEURS[c.etat])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(state)
        p.drawRoundedRect(QRectF(r.left(), r.top(), 6, r.height()), 3, 3)
        base = QFont(self.font())
        x0, w = r.left() + 14, r.width() - 22
        # code and label
        f = QFont(base)
        f.setBold(True)
        f.setPointSizeF(8.5)
        p.setFont(f)
        p.setPen(QColor("#1F3A5F"))
        p.drawText(QRectF(x0, r.top() + 6, w - 50, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, c.code)
        f2 = QFont(base)
        f2.setPointSizeF(7.5)
        p.setFont(f2)
        p.setPen(QColor("#3A4350"))
        fm = QFontMetrics(f2)
        label = fm.elidedText(c.libelle, Qt.TextElideMode.ElideRight, int(w) * 2 - 20)
        p.drawText(QRectF(x0, r.top() + 22, w, 28), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, label)
        # icons, top right
        draw_variation_icon(p, QRectF(r.right() - 46, r.top() + 6, 18, 18), c.variation, c.variation_cote)
        draw_assurance_icon(p, QRectF(r.right() - 24, r.top() + 6, 18, 18), c.assurance)
        # value
        fv = QFont(base)
        fv.setBold(True)
        size = 17.0
        fv.setPointSizeF(size)
        while size > 10 and QFontMetrics(fv).horizontalAdvance(c.valeur_texte) > w * 0.56:
            size -= 1
            fv.setPointSizeF(size)
        p.setFont(fv)
        p.setPen(QColor("#1F3A5F") if c.valeur is not None else QColor("#8A94A3"))
        p.drawText(QRectF(x0, r.top() + 52, w * 0.58, 34), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, c.valeur_texte)
        p.setFont(f2)
        p.setPen(QColor("#5B6573"))
        p.drawText(QRectF(x0, r.top() + 86, w * 0.55, 14), Qt.AlignmentFlag.AlignLeft, c.periode or "Aucun résultat")
        cible = f"Cible {fr(c.cible)}" if c.cible is not None else "Pas de cible"
        p.drawText(QRectF(x0, r.top() + 100, w * 0.55, 14), Qt.AlignmentFlag.AlignLeft, cible)
        # state pill
        fs = QFont(base)
        fs.setBold(True)
        fs.setPointSizeF(7)
        p.setFont(fs)
        text = ETATS[c.etat] + (" · provisoire" if c.provisoire else "")
        tw = QFontMetrics(fs).horizontalAdvance(text) + 12
        pill = QRectF(x0, r.bottom() - 24, tw, 16)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(state)
        p.drawRoundedRect(pill, 8, 8)
        p.setPen(QColor("white"))
        p.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        # sparkline
        draw_sparkline(p, QRectF(r.left() + r.width() * 0.6, r.top() + 58, r.width() * 0.36, 50), c.sparkline, c.cible)
        p.end()
