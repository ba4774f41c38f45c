"""The a-priori risk map: risks (gross and residual G × F [× M]) and the local zone cut-offs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualite_app.etablissement.models import Personne
from qualite_app.risques import rules
from qualite_app.storage.base import Base, Timestamped, Versionne


class Risque(Versionne, Timestamped, Base):
    __tablename__ = "risque"
    __recherche__ = ("reference", "danger", ("processus", "activite", "cause", "consequence"))
    __audit_type__ = "Risque"
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "cle_recherche"})
    __audit_values__ = {"gravite": rules.GRAVITES, "frequence": rules.FREQUENCES, "maitrise": rules.MAITRISES,
                        "gravite_residuelle": rules.GRAVITES, "frequence_residuelle": rules.FREQUENCES,
                        "maitrise_residuelle": rules.MAITRISES}  # fmt: skip
    __audit_fields__ = {
        "reference": "Référence",
        "processus": "Processus",
        "activite": "Activité",
        "danger": "Danger",
        "cause": "Cause",
        "consequence": "Conséquence",
        "gravite": "Gravité brute (G)",
        "frequence": "Fréquence brute (F)",
        "maitrise": "Maîtrise brute (M)",
        "gravite_residuelle": "Gravité résiduelle",
        "frequence_residuelle": "Fréquence résiduelle",
        "maitrise_residuelle": "Maîtrise résiduelle",
        "proprietaire_id": "Propriétaire du risque",
        "barrieres": "Barrières existantes",
        "revue_le": "Prochaine revue",
    }

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    processus: Mapped[str] = mapped_column(String(200), index=True)
    activite: Mapped[str | None] = mapped_column(String(200))
    danger: Mapped[str] = mapped_column(String(300))
    cause: Mapped[str | None] = mapped_column(Text)
    consequence: Mapped[str | None] = mapped_column(Text)
    gravite: Mapped[int] = mapped_column(Integer)
    frequence: Mapped[int] = mapped_column(Integer)
    maitrise: Mapped[int | None] = mapped_column(Integer)
    gravite_residuelle: Mapped[int | None] = mapped_column(Integer)
    frequence_residuelle: Mapped[int | None] = mapped_column(Integer)
    maitrise_residuelle: Mapped[int | None] = mapped_column(Integer)
    proprietaire_id: Mapped[int | None] = mapped_column(
        ForeignKey("personne.id", ondelete="SET NULL"), index=True
    )
    barrieres: Mapped[str | None] = mapped_column(Text)
    revue_le: Mapped[date | None] = mapped_column(Date, index=True)
    cle_recherche: Mapped[str] = mapped_column(Text, default="")

    proprietaire: Mapped[Personne | None] = relationship()

    def audit_label(self) -> str:
        return f"{self.reference} — {self.danger}"[:300]


class RisqueSeuils(Versionne, Timestamped, Base):
    """The establishment's zone cut-offs (one row; defaults of ``rules.Seuils`` until saved)."""

    __tablename__ = "risque_seuils"
    __audit_type__ = "Seuils de la cartographie des risques"
    __audit_fields__ = {
        "tolerable": "Tolérable à partir de",
        "inacceptable": "Inacceptable à partir de",
        "avec_maitrise": "Criticité G × F × M",
    }

    tolerable: Mapped[int] = mapped_column(Integer, default=5)
    inacceptable: Mapped[int] = mapped_column(Integer, default=12)
    avec_maitrise: Mapped[bool] = mapped_column(Boolean, default=False)

    def audit_label(self) -> str:
        return "Seuils des zones"


TYPE_RISQUE = "risque"
