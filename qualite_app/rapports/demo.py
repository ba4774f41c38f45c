"""The reports register's demo: a local signing identity and one signed note d'information (fictional),
issued through the register's one path (``registre.issue_in``, in the demo's transaction)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.demo import Summary
from qualite_app.rapports.entete import entete_de
from qualite_app.rapports.models import IdentiteSignature
from qualite_app.storage.base import utcnow


def demo_step(s: Session, today: date) -> Summary | None:
    return _demo(s)


DEMO_IDENTITY = "Directeur qualité (démonstration)"
#: the demo identity's password, shown in the demo summary; real passwords are never stored anywhere.
DEMO_PASSWORD = "demo-2026"


def _demo(s: Session) -> str | None:
    """A local signing identity and one signed note d'information in the register (fictional)."""
    from qualite_app.rapports.identites import add_trust, naive_utc
    from qualite_app.rapports.note import NOTE, NoteData
    from qualite_app.rapports.registre import DEFAULT_REASON, issue_in, local_time
    from qualite_app.signing.identities import IdentitySpec, cert_info, create_local_authority, open_signer
    from qualite_app.signing.sign import Appearance, sign_pdf

    if s.scalar(select(IdentiteSignature.id).where(IdentiteSignature.nom == DEMO_IDENTITY)) is not None:
        return None
    h = entete_de(s)
    if not h.nom:
        return None
    signataire = h.directeur_qualite or "Directeur qualité"
    fonction = "Directeur qualité et gestion des risques"
    la = create_local_authority(signataire=signataire, fonction=fonction, etablissement=h.nom, password=DEMO_PASSWORD)
    info = cert_info(la.certificate)
    s.add(
        IdentiteSignature(
            nom=DEMO_IDENTITY, genre="locale", signataire=signataire, fonction=fonction, certificat=la.certificate,
            empreinte_certificat=info.sha256, expire_le=naive_utc(info.not_after), pkcs12=la.pkcs12, certificat_ca=la.ca_certificate,
        )
    )
    add_trust(s, la.ca_certificate, f"Autorité locale « {DEMO_IDENTITY} »")
    now = utcnow().replace(microsecond=0)
    note = NoteData(
        sujet="Tension sur les lits de médecine — déclenchement du plan de mobilisation interne",
        categorie="continuite",
        faits=(
            "Depuis trois jours, les urgences adultes comptent plus de 20 patients en attente d'un lit d'aval. "
            "L'épidémie de grippe saisonnière touche aussi 14 % des effectifs soignants du pôle Médecine."
        ),
        survenu_le=(local_time(now) or now).replace(hour=8, minute=0, second=0),
        mesures="Cellule de crise réunie à 9 h. Déprogrammation des hospitalisations non urgentes de chirurgie ambulatoire.",
        decisions="Valider le déclenchement du niveau 1 du PGTHSSE et l'ouverture de 6 lits supplémentaires en gériatrie.",
        personnes_informees="Dr Hélène Brévanne (présidente de CME) ; Sylvie Durancel (coordinatrice générale des soins) ; ARS.",
        pieces_jointes=["Tableau de bord des lits du jour"],
    )

    def sign(pdf: bytes, lieu: str) -> tuple[bytes, str]:
        with open_signer(IdentitySpec("locale", DEMO_IDENTITY, pkcs12=la.pkcs12), DEMO_PASSWORD) as opened:
            return sign_pdf(pdf, opened.signer, Appearance(signataire, fonction, DEFAULT_REASON, lieu)), signataire

    issue_in(s, NOTE, note, emis_par="démonstration", author=signataire, signer=sign, identity=DEMO_IDENTITY)
    return f"Registre des rapports : 1 note signée ; identité « {DEMO_IDENTITY} » (mot de passe de démonstration : {DEMO_PASSWORD})"
