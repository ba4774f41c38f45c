"""The Statistiques tab: charts over a chosen period, the monthly counts sent to the indicators (their
control charts watch them), the CDU quarterly summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named
from qualite_app.gui.widgets.signature import choisir_signature

PERIODES = {"12": "12 derniers mois", "36": "3 ans", "60": "5 ans"}


def debut_de(months: int, today: date) -> date:
    m = today.month - months
    y = today.year + (m - 1) // 12
    return date(y, (m - 1) % 12 + 1, 1)


class StatsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.canvas: Any = None
        self.stats: evenements.Statistiques | None = None
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.periode = named(QComboBox(), "periode")
        for k, label in PERIODES.items():
            self.periode.addItem(self.tr(label), int(k))
        self.periode.setCurrentIndex(1)
        self.periode.currentIndexChanged.connect(lambda *_: self.refresh())
        self.btn_publish = named(
            QPushButton(self.tr("Envoyer les comptes mensuels aux indicateurs")), "btnPublier"
        )
        self.btn_publish.setToolTip(self.tr("Écrit les EI déclarés et les EIGS de chaque mois comme résultats des "
                                            "indicateurs EI-DECL et EIGS : leurs cartes de contrôle les surveillent."))  # fmt: skip
        self.btn_publish.clicked.connect(self.publish)
        self.trimestre = named(QComboBox(), "trimestre")
        today = date.today()
        for back in range(8):
            n = (today.month - 1) // 3 + 1 - back
            y = today.year + (n - 1) // 4
            q = (n - 1) % 4 + 1
            self.trimestre.addItem(f"T{q} {y}", f"{y}-T{q}")
        self.btn_cdu = named(QPushButton(self.tr("Bilan CDU (PDF)…")), "btnCdu")
        self.btn_cdu.clicked.connect(self.cdu)
        bar.addWidget(QLabel(self.tr("Période :")))
        bar.addWidget(self.periode)
        bar.addWidget(self.btn_publish)
        bar.addStretch(1)
        bar.addWidget(self.trimestre)
        bar.addWidget(self.btn_cdu)
        lay.addLayout(bar)
        self.message = named(QLabel(), "message")
        lay.addWidget(self.message)
        self.holder = QVBoxLayout()
        lay.addLayout(self.holder, 1)

    def bounds(self) -> tuple[date, date]:
        today = date.today()
        return debut_de(int(self.periode.currentData()) - 1, today), today

    def refresh(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from qualite_app.evenements import graphiques

        debut, fin = self.bounds()
        self.stats = evenements.statistiques(self.ctx.db, debut, fin)
        canvas = FigureCanvasQTAgg(graphiques.figure(self.stats))
        canvas.setMinimumHeight(420)
        if self.canvas is not None:
            self.holder.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = canvas
        self.holder.addWidget(canvas)

    def publish(self) -> None:
        debut, fin = self.bounds()
        done = run_write(self.ctx, self, evenements.publier_indicateurs, self.ctx.db, debut, fin)
        if done is not None:
            self.message.setText(
                self.tr("Indicateurs mis à jour : ") + ", ".join(f"{k} ({n} mois)" for k, n in done.items())
            )

    def cdu(self) -> None:
        from qualite_app.evenements import cdu

        code = self.trimestre.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Bilan trimestriel pour la CDU"), f"bilan-cdu-{code}.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        sign = choisir_signature(self, self.ctx.db, self.tr("le bilan"))
        if sign is None:
            return
        # issued through the register (numbered, letterhead, signed when an identity was chosen), one transaction
        row = run_write(self.ctx, self, cdu.emettre_cdu, self.ctx.db, code, identity=sign[0], password=sign[1])
        if row is not None:
            Path(path).write_bytes(row.pdf)
            signed = self.tr(", signé") if sign[0] else ""
            self.message.setText(self.tr("Bilan %1%2 écrit : ").replace("%1", row.reference).replace("%2", signed) + path)
