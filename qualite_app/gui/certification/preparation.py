"""The readiness tab: the projected decision (our reading of the HAS rules, said on screen), coverage by
chapter and objective, what to do before the visit, and a chart of the answers by chapter (drawn on demand)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.certification import rules, scores
from qualite_app.gui.widgets.common import named

COLS = [
    "Chapitre / objectif",
    "Satisfaction",
    "Évalués",
    "Critères prouvés",
    "Impératifs à risque",
    "Expirent avant la visite",
]
TIPS = ["", "", "Éléments d'évaluation évalués / à évaluer", "Critères ayant au moins une preuve valide / critères",
        "Impératifs non atteints, incomplètement évalués ou sans preuve valide", "Preuves dont la validité finit avant la visite"]  # fmt: skip
DECISION_COLOURS = {
    "mention": "#2E7D32",
    "certifie": "#2A7F8E",
    "sous_conditions": "#E46C0A",
    "non_certifie": "#C62828",
}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f} %".replace(".", ",")


class PreparationView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.decision = named(QLabel(), "decision")
        self.decision.setWordWrap(True)
        self.decision.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.decision)
        note = QLabel(self.tr("Décision projetée : c'est notre lecture des règles de la HAS, pas son texte. "
                              "Les seuils sont réglables (bouton « Seuils de décision… »)."))  # fmt: skip
        note.setWordWrap(True)
        note.setObjectName("pageSubtitle")
        lay.addWidget(note)
        row = QHBoxLayout()
        self.table = named(QTableWidget(0, len(COLS)), "couverture")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLS])
        for i, tip in enumerate(TIPS):
            item = self.table.horizontalHeaderItem(i)
            if tip and item is not None:
                item.setToolTip(self.tr(tip))
        for i in range(1, len(COLS)):
            self.table.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        row.addWidget(self.table, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("À faire avant la visite")))
        self.todo = named(QListWidget(), "a_faire")
        right.addWidget(self.todo)
        self.chart_btn = named(
            QPushButton(self.tr("Afficher le graphique des réponses")), "afficher_graphique"
        )
        self.chart_btn.clicked.connect(self.show_chart)
        right.addWidget(self.chart_btn)
        row.addLayout(right, 2)
        lay.addLayout(row, 1)
        self.chart_holder = QVBoxLayout()
        lay.addLayout(self.chart_holder)
        self._syn: scores.Synthese | None = None
        self._canvas: QWidget | None = None

    def show_synthese(self, syn: scores.Synthese | None) -> None:
        self._syn = syn
        self.table.setRowCount(0)
        self.todo.clear()
        if syn is None:
            self.decision.setText(self.tr("Aucune campagne."))
            return
        colour = DECISION_COLOURS.get(syn.projection.decision, "#5B6573")
        motifs = " ; ".join(syn.projection.motifs)
        self.decision.setText(
            f"<b style='font-size:15px;color:{colour}'>{syn.projection.libelle}</b> — satisfaction globale "
            f"<b>{_pct(syn.global_pct)}</b>, {syn.evalues} élément(s) évalué(s) sur {syn.a_evaluer}"
            + (f", visite le {syn.date_visite:%d/%m/%Y}" if syn.date_visite else "")
            + f"<br/><small>{motifs}</small>"
        )
        rows = []
        for ch in syn.chapitres:
            rows.append((ch, True))
            rows += [(o, False) for o in syn.objectifs if o.ref.split(".")[0] == ch.ref]
        self.table.setRowCount(len(rows))
        for i, (c, bold) in enumerate(rows):
            vals = [f"{'' if bold else '    '}{c.ref} {c.titre}", _pct(c.satisfaction), f"{c.evalues} / {c.a_evaluer}",
                    f"{c.criteres_preuve_valide} / {c.criteres}", str(c.imperatifs_a_risque), str(c.preuves_expirant)]  # fmt: skip
            for j, v in enumerate(vals):
                it = QTableWidgetItem(v)
                if bold:
                    f = it.font()
                    f.setBold(True)
                    it.setFont(f)
                if j == 4 and c.imperatifs_a_risque:
                    it.setForeground(QBrush(QColor("#B71C1C")))
                self.table.setItem(i, j, it)
        self.todo.addItems(syn.a_faire or [self.tr("Rien : le dossier est prêt.")])
        if self._canvas is not None:
            self.show_chart()

    def show_chart(self) -> None:
        """Stacked bars of the answers by chapter (matplotlib, loaded only now)."""
        if self._syn is None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from qualite_app.reports import charts

        if self._canvas is not None:
            self.chart_holder.removeWidget(self._canvas)
            self._canvas.deleteLater()
        syn = self._syn
        fig = charts.new_figure(26, 2.6 + 0.38 * len(syn.objectifs))
        ax, heat = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        labels = [f"{c.ref} {c.titre}"[:34] for c in syn.chapitres][::-1]
        left = [0.0] * len(labels)
        colours = {
            rules.CONFORME: "#2E7D32",
            rules.PARTIEL: "#E4A70A",
            rules.NON_CONFORME: "#C62828",
            rules.NA: "#9AA5B1",
        }
        for k, col in colours.items():
            vals = [float(c.par_reponse.get(k, 0)) for c in syn.chapitres][::-1]
            ax.barh(labels, vals, left=left, color=col, label=rules.REPONSES[k], height=0.6)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        rest = [float(c.a_evaluer - c.evalues) for c in syn.chapitres][::-1]
        ax.barh(labels, rest, left=left, color="#DDE4EC", label="Non évalué", height=0.6)
        charts.style_axes(ax)
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(fontsize=6.5, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
        # heat grid: objectives × answers, share of each objective's elements
        kinds = [*colours, None]
        m = [
            [(o.par_reponse.get(k, 0) if k else o.a_evaluer - o.evalues) / max(1, o.a_evaluer) for k in kinds]
            for o in syn.objectifs
        ]
        heat.imshow(m, aspect="auto", cmap="Blues", vmin=0, vmax=1)
        heat.set_xticks(range(len(kinds)), ["Conf.", "Part.", "Non conf.", "N/A", "Non éval."], fontsize=7)
        heat.set_yticks(range(len(syn.objectifs)), [o.ref for o in syn.objectifs], fontsize=7)
        for i, row in enumerate(m):
            for j, v in enumerate(row):
                if v:
                    heat.text(
                        j,
                        i,
                        f"{100 * v:.0f}",
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if v > 0.6 else "black",
                    )
        heat.set_title("Réponses par objectif (%)", fontsize=8)
        self._canvas = named(FigureCanvasQTAgg(fig), "graphique_reponses")
        self._canvas.setMinimumHeight(300)
        self.chart_holder.addWidget(self._canvas)
