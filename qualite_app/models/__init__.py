"""All models, imported here so that ``Base.metadata`` is complete (Alembic, tests)."""

from qualite_app.models import indicateurs  # noqa: F401
from qualite_app.models.audit import JournalAudit
from qualite_app.models.base import Base
from qualite_app.models.blobs import Blob
from qualite_app.models.links import Lien
from qualite_app.models.paqss import (  # noqa: F401
    PaqssAction,
    PaqssAxe,
    PaqssCommentaire,
    PaqssJalon,
    PaqssObjectif,
    PaqssProgramme,
)
from qualite_app.models.rapports import CertificatConfiance, IdentiteSignature, RapportEmis  # noqa: F401
from qualite_app.models.structure import Etablissement, Personne, Pole, RolePersonne, Service

__all__ = [
    "Base",
    "Blob",
    "Etablissement",
    "JournalAudit",
    "Lien",
    "Personne",
    "Pole",
    "RolePersonne",
    "Service",
]
