"""Re-verifying issued reports: the stored PDF against its fingerprint, its signature against the trust
list, and the stored data snapshot against the data hash registered with it."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from qualite_app.rapports.identites import trust_roots
from qualite_app.rapports.registre import get
from qualite_app.reports.base import data_hash_matches
from qualite_app.storage.database import Database

if TYPE_CHECKING:
    from qualite_app.signing.verify import Verdict


def verifier(db: Database, rapport_id: int) -> Verdict:
    """Re-verify an issued report: its stored bytes against their fingerprint, then its signature."""
    from qualite_app.signing.verify import Verdict, verify_pdf

    r = get(db, rapport_id)
    if hashlib.sha256(r.pdf).hexdigest() != r.sha256:
        return Verdict(endommage="le PDF conservé ne correspond plus à son empreinte d'émission")
    return verify_pdf(r.pdf, trust_roots(db))


def verifier_pdf(db: Database, pdf: bytes) -> Verdict:
    """Verify any PDF against the establishment's trust list (« Vérifier un rapport… », ``qualite verify``)."""
    from qualite_app.signing.verify import verify_pdf

    return verify_pdf(pdf, trust_roots(db))


def donnees_intactes(db: Database, rapport_id: int) -> bool:
    """Does the stored snapshot still match the data hash registered with the report?

    Rows issued through ``emettre`` hash their snapshot (``reports.base.data_hash``); dashboard rows issued
    before migration 0007 used spaced JSON separators, which ``data_hash_matches`` also accepts. PAQSS bilans
    issued before 0007 hashed the whole bilan data, which was never stored: for them this returns False."""
    r = get(db, rapport_id)
    return r.snapshot is not None and data_hash_matches(r.snapshot, r.data_hash)
