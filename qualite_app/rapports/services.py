"""The public service functions of the reports area, in one import (``from qualite_app.rapports import services as rapports``).

The code lives by concern: ``registre`` (the one issuing path ``emettre`` and the register's views),
``entete`` (the establishment's letterhead), ``identites`` (signing identities, trust list),
``verification`` (re-verifying issued reports), ``notes`` (the note d'information), ``demo``.
"""

from __future__ import annotations

from qualite_app.rapports.demo import DEMO_IDENTITY, DEMO_PASSWORD
from qualite_app.rapports.entete import EnteteEtablissement, entete, house_meta
from qualite_app.rapports.identites import (
    ConfianceRow,
    IdentiteRow,
    ajouter_confiance,
    creer_identite_locale,
    enregistrer_jeton,
    exporter_ca,
    identity_spec,
    importer_pkcs12,
    liste_confiance,
    lister_identites,
    mot_de_passe_requis,
    trust_roots,
)
from qualite_app.rapports.notes import emettre_note, generer_note, note_depuis_registre, valider_note
from qualite_app.rapports.registre import (
    DEFAULT_REASON,
    PdfFourni,
    RapportEmisRow,
    RapportListeRow,
    apercu,
    compter,
    dernier,
    emettre,
    emettre_pdf,
    exporter,
    get,
    kind_label,
    kinds_in_register,
    lister,
    local_time,
    prochaine_reference,
    renderers,
    signer_pdf,
)
from qualite_app.rapports.verification import donnees_intactes, verifier, verifier_pdf
from qualite_app.reports.base import data_hash

__all__ = [
    "DEFAULT_REASON", "DEMO_IDENTITY", "DEMO_PASSWORD", "ConfianceRow", "EnteteEtablissement", "IdentiteRow", "PdfFourni",
    "RapportEmisRow", "RapportListeRow", "ajouter_confiance", "apercu", "compter", "creer_identite_locale", "data_hash",
    "dernier", "donnees_intactes", "emettre", "emettre_note", "emettre_pdf", "enregistrer_jeton", "entete", "exporter",
    "exporter_ca", "generer_note", "get", "house_meta", "identity_spec", "importer_pkcs12", "kind_label",
    "kinds_in_register", "liste_confiance", "lister", "lister_identites", "local_time", "mot_de_passe_requis",
    "note_depuis_registre", "prochaine_reference", "renderers", "signer_pdf", "trust_roots", "valider_note", "verifier",
    "verifier_pdf",
]  # fmt: skip
