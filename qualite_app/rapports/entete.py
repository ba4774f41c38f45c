"""The establishment as reports show it: the letterhead (logo, name, address, FINESS) and the default recipient.

Read from the directory of the establishment (``etablissement.models``, the documented shared table) and
the logo's blob. The one place that turns the database into a ``reports.base.Letterhead``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Etablissement
from qualite_app.reports.base import Letterhead
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob

if TYPE_CHECKING:
    from qualite_app.reports.templates import ReportMeta

#: who writes the notes and signs the reports of the quality direction
FONCTION_DIRECTION = "Direction de la qualité et de la gestion des risques"


@dataclass(frozen=True)
class EnteteEtablissement:
    nom: str
    adresse: str  # address line, FINESS included (as printed)
    logo: bytes | None
    destinataire: str
    directeur_qualite: str
    letterhead: Letterhead = Letterhead()


def entete(db: Database) -> EnteteEtablissement:
    """The establishment's name, address line, logo (from ``logo_blob_id``) and default recipient."""
    with db.session() as s:
        return entete_de(s)


def entete_de(s: Session) -> EnteteEtablissement:
    e = s.scalars(select(Etablissement).order_by(Etablissement.id)).first()
    if e is None:
        return EnteteEtablissement("", "", None, "Chef d'établissement", "")
    logo = s.scalar(select(Blob.contenu).where(Blob.id == e.logo_blob_id)) if e.logo_blob_id else None
    adresse = " ".join(x for x in (e.adresse and e.adresse + " –", e.code_postal, e.ville) if x)
    lh = Letterhead(e.raison_sociale, adresse, e.finess_et if e.pays == "FR" and e.finess_et else "", logo)
    dest = ", ".join(x for x in (e.chef_etablissement, e.titre_chef or "Chef d'établissement") if x)
    return EnteteEtablissement(e.raison_sociale, lh.address_line, logo, dest, e.directeur_qualite or "", lh)


def house_meta(db: Database, title: str, *, subtitle: str = "", reference: str = "", restricted: bool = False) -> ReportMeta:
    """A ``ReportMeta`` with the establishment's letterhead filled in (for a PDF made outside the register)."""
    from qualite_app.reports.base import ReportHeader
    from qualite_app.reports.templates import house_meta as meta

    h = entete(db)
    header = ReportHeader(h.letterhead, reference=reference, recipient=h.destinataire, author=h.directeur_qualite)
    return meta(header, title, subtitle=subtitle, restricted=restricted)
