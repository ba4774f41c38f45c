"""Verification of signed PDFs: signer, time, integrity, trust (against the establishment's list), later additions."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from qualite_app.errors import UserError

_MODIFICATIONS = {
    "NONE": "",
    "LTA_UPDATES": "des informations techniques de validation à long terme ont été ajoutées (sans effet sur le contenu)",
    "FORM_FILLING": "une autre signature ou un champ de formulaire a été ajouté après cette signature",
    "ANNOTATIONS": "des annotations ou commentaires ont été ajoutés après la signature",
    "OTHER": "le contenu du document a été modifié après la signature",
}


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signataire: str
    sujet: str
    emetteur: str
    signe_le: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature value is valid
    approuve: bool  # the signer's certificate chains up to the trust list and is usable for signing
    couvre_tout: bool  # nothing at all was appended after this signature
    modification: str  # "NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"
    raison: str = ""
    probleme_confiance: str = ""

    @property
    def modifie_apres(self) -> bool:
        return self.modification not in ("NONE", "LTA_UPDATES")


@dataclass
class Verdict:
    signatures: list[SignatureCheck] = field(default_factory=list)
    endommage: str = ""  # the file could not be parsed as a PDF any more

    @property
    def signe(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        return self.signe and not self.endommage and all(s.intact for s in self.signatures)

    @property
    def approuve(self) -> bool:
        return self.signe and all(s.approuve for s in self.signatures)

    @property
    def modifie_apres(self) -> bool:
        """Something that changes what was signed was appended after the last signature (or any earlier one)."""
        if not self.signatures:
            return False
        last = self.signatures[-1]
        earlier_bad = any(s.modification in ("ANNOTATIONS", "OTHER") for s in self.signatures[:-1])
        return last.modifie_apres or earlier_bad

    @property
    def ok(self) -> bool:
        return self.intact and self.approuve and not self.modifie_apres

    def lignes(self) -> list[str]:
        """The verdict in French, one fact per line (CLI and dialog)."""
        if self.endommage:
            return [
                "VERDICT : DOCUMENT ALTÉRÉ — le fichier est endommagé ou a été modifié : il ne peut plus être vérifié.",
                f"Détail : {self.endommage}",
            ]
        if not self.signatures:
            return ["VERDICT : NON SIGNÉ — ce document ne porte aucune signature électronique."]
        if self.ok:
            head = "VERDICT : VALIDE — document intact, signé par un signataire de confiance, rien d'ajouté depuis."
        elif not self.intact:
            head = "VERDICT : DOCUMENT ALTÉRÉ — le contenu signé a été modifié : ne vous y fiez pas."
        elif self.modifie_apres:
            head = "VERDICT : MODIFIÉ APRÈS SIGNATURE — la signature est intacte, mais le document a été complété depuis."
        else:
            head = "VERDICT : SIGNATAIRE NON RECONNU — document intact, mais le certificat n'est pas dans la liste de confiance."
        out = [head]
        for i, s in enumerate(self.signatures, 1):
            out.append(f"Signature {i} ({s.field}) :")
            out.append(f"  Signataire : {s.signataire}")
            if s.signe_le is not None:
                out.append(f"  Signé le : {s.signe_le.astimezone():%d/%m/%Y à %H:%M:%S}")
            if s.raison:
                out.append(f"  Motif : {s.raison}")
            out.append(f"  Émetteur du certificat : {s.emetteur}")
            out.append("  Intégrité : " + ("intact" if s.intact else "ALTÉRÉ (le contenu signé ne correspond plus)"))
            out.append(
                "  Confiance : "
                + ("signataire de confiance" if s.approuve else f"NON RECONNU ({s.probleme_confiance or 'hors liste de confiance'})")
            )
            if s.couvre_tout:
                out.append("  Ajouts après signature : aucun")
            else:
                out.append("  Ajouts après signature : " + (_MODIFICATIONS.get(s.modification) or "données ajoutées après la signature"))
        return out

    def texte(self) -> str:
        return "\n".join(self.lignes())


def verify_pdf(pdf: bytes, trust_roots: Iterable[bytes] = ()) -> Verdict:
    """Check every signature of ``pdf``; ``trust_roots`` are DER certificates (the trust list)."""
    from asn1crypto import x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    if b"%PDF-" not in pdf[:1024]:
        raise UserError("Ce fichier n'est pas un document PDF.")
    roots = [x509.Certificate.load(r) for r in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            raise UserError("Ce PDF est chiffré : il ne peut pas être vérifié sans son mot de passe.")
        embedded = list(reader.embedded_signatures)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure means the file was damaged
        return Verdict(endommage=_damage(exc, PdfError))
    verdict = Verdict()
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    for sig in embedded:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            st = validate_pdf_signature(sig, signer_validation_context=vc, key_usage_settings=usage)
        except Exception as exc:  # noqa: BLE001 - a corrupted signature or structure
            verdict.signatures.append(_broken(sig, exc))
            continue
        cert = st.signing_cert
        level = st.modification_level.name if st.modification_level is not None else "OTHER"
        covers_all = st.coverage is not None and st.coverage.name == "ENTIRE_FILE"
        if covers_all:
            level = "NONE"
        verdict.signatures.append(
            SignatureCheck(
                field=sig.field_name or "",
                signataire=_cn(cert.subject) or cert.subject.human_friendly,
                sujet=cert.subject.human_friendly,
                emetteur=_cn(cert.issuer) or cert.issuer.human_friendly,
                signe_le=st.signer_reported_dt,
                intact=bool(st.intact and st.valid),
                approuve=bool(st.trusted) and bool(st.intact and st.valid),
                couvre_tout=covers_all,
                modification=level,
                raison=_reason(sig),
                probleme_confiance="" if st.trusted else _trust_problem(st),
            )
        )
    return verdict


def _cn(name: object) -> str:
    from qualite_app.signing.identities import _cn as cn

    return cn(name)


def _reason(sig: object) -> str:
    try:
        r = sig.sig_object.get("/Reason")  # type: ignore[attr-defined]
        return str(r) if r is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def _trust_problem(st: object) -> str:
    indic = getattr(st, "trust_problem_indic", None)
    name = getattr(indic, "name", "") if indic is not None else ""
    return {
        "NO_CERTIFICATE_CHAIN_FOUND": "certificat inconnu de la liste de confiance",
        "CHAIN_CONSTRAINTS_FAILED": "chaîne de certificats non conforme",
        "REVOKED": "certificat révoqué",
        "EXPIRED": "certificat expiré",
        "NOT_YET_VALID": "certificat pas encore valable",
        "CRYPTO_CONSTRAINTS_FAILED": "algorithme refusé",
        "SIG_CONSTRAINTS_FAILED": "usage du certificat incompatible avec la signature",
    }.get(name, "hors liste de confiance" if not name else name.lower())


def _broken(sig: object, exc: Exception) -> SignatureCheck:
    name = getattr(sig, "field_name", "") or ""
    signer = ""
    try:
        signer = _cn(sig.signer_cert.subject)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        signer = "(illisible)"
    return SignatureCheck(
        field=name,
        signataire=signer,
        sujet="",
        emetteur="",
        signe_le=None,
        intact=False,
        approuve=False,
        couvre_tout=False,
        modification="OTHER",
        probleme_confiance=f"signature illisible ({type(exc).__name__})",
    )


def _damage(exc: Exception, pdf_error: type) -> str:
    if isinstance(exc, pdf_error):
        return f"structure PDF invalide ({exc})"
    return f"{type(exc).__name__} : {exc}"
