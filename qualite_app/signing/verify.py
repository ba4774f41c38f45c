"""Verification of signed PDFs: signer, time, integrity, trust (against the establishment's list), later additions.

The verdict is computed from coverage: the last signature must cover every byte of the file (its ByteRange
ends where the file ends and pyHanko sees no later revision); any byte outside it — bytes appended after
``%%EOF``, one stray byte, an incremental update — makes the document « modifié après signature ».
Every outcome pyHanko can report is said in French (``en_francais``); an unknown code still gets a French
sentence, the raw code only in parentheses at its end, for support.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

from qualite_app.errors import UserError

#: what was added after a signature, by pyHanko's ``ModificationLevel``
_MODIFICATIONS = {
    "NONE": "aucune modification du contenu",
    "LTA_UPDATES": "des informations techniques de validation à long terme ont été ajoutées (sans effet sur le contenu)",
    "FORM_FILLING": "une autre signature ou un champ de formulaire a été ajouté après cette signature",
    "ANNOTATIONS": "des annotations ou commentaires ont été ajoutés après la signature",
    "OTHER": "le contenu du document a été modifié après la signature",
}

#: how much of the file a signature covers, by pyHanko's ``SignatureCoverageLevel``
_COVERAGE = {
    "UNCLEAR": "la partie du document couverte par la signature ne peut pas être déterminée",
    "CONTIGUOUS_BLOCK_FROM_START": "la signature ne couvre que le début du fichier, pas une version complète du document",
    "ENTIRE_REVISION": "la signature couvre une version complète du document, mais des données ont été ajoutées depuis",
    "ENTIRE_FILE": "la signature couvre la totalité du fichier",
}

#: pyHanko's AdES sub-indications (``AdESFailure`` and ``AdESIndeterminate``), in words a director understands
_ADES = {
    "FORMAT_FAILURE": "la signature est mal formée : elle ne respecte pas le format attendu",
    "HASH_FAILURE": "l'empreinte du contenu signé ne correspond plus : le document a été modifié",
    "SIG_CRYPTO_FAILURE": "la valeur de la signature est fausse : le document ou la signature a été modifié",
    "REVOKED": "le certificat du signataire a été révoqué (annulé par l'autorité qui l'a délivré)",
    "NOT_YET_VALID": "le certificat du signataire n'était pas encore valable au moment de la signature",
    "SIG_CONSTRAINTS_FAILURE": "la signature ne respecte pas les règles exigées pour ce document",
    "CHAIN_CONSTRAINTS_FAILURE": "le certificat du signataire ne respecte pas les règles de son autorité (usage ou restrictions)",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "le certificat du signataire n'a pas pu être validé jusqu'à une autorité de confiance",
    "CRYPTO_CONSTRAINTS_FAILURE": "un algorithme de signature ou d'empreinte trop faible a été utilisé : il est refusé",
    "EXPIRED": "le certificat du signataire a expiré",
    "POLICY_PROCESSING_ERROR": "la politique de signature indiquée n'a pas pu être appliquée",
    "SIGNATURE_POLICY_NOT_AVAILABLE": "la politique de signature indiquée est introuvable",
    "TIMESTAMP_ORDER_FAILURE": "les horodatages de la signature sont dans un ordre incohérent",
    "NO_SIGNING_CERTIFICATE_FOUND": "le certificat du signataire est absent de la signature",
    "NO_CERTIFICATE_CHAIN_FOUND": "le certificat n'est pas dans la liste de confiance de l'établissement",
    "REVOKED_NO_POE": "le certificat du signataire a été révoqué et rien ne prouve que la signature est antérieure",
    "REVOKED_CA_NO_POE": "l'autorité qui a délivré le certificat a été révoquée et rien ne prouve que la signature est antérieure",
    "OUT_OF_BOUNDS_NO_POE": "le certificat du signataire n'est pas valable à la date de vérification (expiré ou pas encore en vigueur)",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "les informations de révocation du certificat sont hors de leur période de validité",
    "OUT_OF_BOUNDS_NOT_REVOKED": "le certificat du signataire n'est plus dans sa période de validité (il n'est pas révoqué)",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "un algorithme devenu trop faible a été utilisé et rien ne prouve que la signature est antérieure",
    "NO_POE": "rien ne prouve que la signature existait avant la date nécessaire (pas d'horodatage)",
    "TRY_LATER": "les informations de révocation ne sont pas encore disponibles : réessayez plus tard",
    "SIGNED_DATA_NOT_FOUND": "les données signées sont introuvables dans le fichier",
    "GENERIC": "la signature n'a pas pu être validée",
}

#: exceptions pyHanko or its certificate validator may raise while validating
_EXCEPTIONS = {
    "WeakHashAlgorithmError": "un algorithme d'empreinte trop faible a été utilisé : il est refusé",
    "DisallowedAlgorithmError": "un algorithme de signature ou d'empreinte refusé (trop faible) a été utilisé",
    "AlgorithmNotSupported": "la signature utilise un algorithme que l'application ne connaît pas",
    "CMSAlgorithmProtectionError": "les algorithmes déclarés dans la signature sont incohérents",
    "CMSExtractionError": "la signature est illisible",
    "CMSStructuralError": "la signature est mal formée",
    "SignatureValidationError": "la signature n'a pas pu être validée",
    "SigSeedValueValidationError": "la signature ne respecte pas les contraintes fixées par le document",
    "InvalidSignature": "la valeur de la signature est fausse",
    "PSSParameterMismatch": "les paramètres de l'algorithme de signature sont incohérents",
    "ExpiredError": "le certificat du signataire a expiré",
    "NotYetValidError": "le certificat du signataire n'est pas encore valable",
    "RevokedError": "le certificat du signataire a été révoqué",
    "PathBuildingError": "le certificat n'est pas dans la liste de confiance de l'établissement",
    "PathValidationError": "le certificat du signataire n'a pas pu être validé jusqu'à une autorité de confiance",
    "InvalidCertificateError": "le certificat du signataire n'est pas utilisable pour signer",
    "PdfReadError": "la structure du PDF est invalide",
    "PdfStrictReadError": "la structure du PDF est invalide",
    "PdfError": "la structure du PDF est invalide",
    "IndirectObjectExpected": "la structure du PDF est invalide",
    "ValueError": "une donnée du fichier est invalide",
    "KeyError": "une partie attendue du fichier est absente",
    "IndexError": "une partie attendue du fichier est absente",
}

#: the start of the sentence for a code this table does not know (a future pyHanko)
GENERIC_PROBLEM = "la vérification a échoué pour une raison que l'application ne sait pas détailler"

_TABLES = {"ModificationLevel": _MODIFICATIONS, "SignatureCoverageLevel": _COVERAGE, "AdESFailure": _ADES, "AdESIndeterminate": _ADES}


def en_francais(code: object) -> str:
    """French words for any pyHanko outcome: an enum member, an exception, or a code name."""
    if isinstance(code, BaseException):
        for cls in type(code).__mro__:
            if cls.__name__ in _EXCEPTIONS:
                return f"{_EXCEPTIONS[cls.__name__]} ({type(code).__name__})"
        return f"{GENERIC_PROBLEM} ({type(code).__name__})"
    if isinstance(code, Enum):
        table = _TABLES.get(type(code).__name__, _ADES)
        words = table.get(code.name)
        return words if words else f"{GENERIC_PROBLEM} ({code.name})"
    name = str(code)
    for table in (_ADES, _MODIFICATIONS, _COVERAGE):
        if name.upper() in table:
            return table[name.upper()]
    return f"{GENERIC_PROBLEM} ({name})"


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signataire: str
    sujet: str
    emetteur: str
    signe_le: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature value is valid
    approuve: bool  # the signer's certificate chains up to the trust list and is usable for signing
    couvre_tout: bool  # this signature covers every byte of the file, up to its very end
    modification: str  # pyHanko's ModificationLevel: "NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"
    raison: str = ""
    probleme_confiance: str = ""
    octets_hors_signature: int = 0  # bytes of the file after the end of this signature's ByteRange
    docmdp_ok: bool = True  # pyHanko: what was added after it is allowed by the document's own rules

    @property
    def modifie_apres(self) -> bool:
        """Something that changes the content (annotations, other changes) was added after this signature.

        Another signature or validation data after it is not a change of content (``Verdict.modifie_apres``
        requires, besides, that the last signature covers the whole file).
        """
        return self.modification in ("ANNOTATIONS", "OTHER") or not self.docmdp_ok

    def ajouts(self) -> str:
        """What was added after this signature, in French."""
        if self.couvre_tout:
            return "aucun"
        if self.modification == "NONE":  # no new revision pyHanko could read: raw bytes after the signed ones
            n = self.octets_hors_signature
            return f"{n} octet{'s' if n > 1 else ''} ajouté{'s' if n > 1 else ''} à la fin du fichier, hors de la signature"
        return _MODIFICATIONS.get(self.modification) or en_francais(self.modification)


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
        """The file holds anything the last signature does not cover, or an earlier one was followed by a change.

        The last signature must cover the whole file (no byte after its ByteRange, no later revision); an
        earlier one may only be followed by what a later signature legitimately adds (its field, LTV data).
        """
        if not self.signatures:
            return False
        last = self.signatures[-1]
        earlier_bad = any(s.modifie_apres for s in self.signatures[:-1])
        return not last.couvre_tout or last.modifie_apres or earlier_bad

    @property
    def ok(self) -> bool:
        return self.intact and self.approuve and not self.modifie_apres

    def lignes(self) -> list[str]:
        """The verdict in French, one fact per line: the CLI, « Re-vérifier » and « Vérifier un rapport… » show these."""
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
            problem = next((s.probleme_confiance for s in self.signatures if not s.approuve), "") or _ADES["NO_CERTIFICATE_CHAIN_FOUND"]
            head = f"VERDICT : SIGNATAIRE NON RECONNU — document intact, mais {problem}."
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
            if s.approuve:
                out.append("  Confiance : signataire de confiance")
            elif not s.intact:  # trust means nothing for a signature that no longer matches
                out.append(f"  Confiance : non établie ({s.probleme_confiance or 'la signature ne correspond plus au contenu'})")
            else:
                out.append(f"  Confiance : NON RECONNU ({s.probleme_confiance or _ADES['NO_CERTIFICATE_CHAIN_FOUND']})")
            out.append("  Ajouts après signature : " + s.ajouts())
        return out

    def texte(self) -> str:
        return "\n".join(self.lignes())


def verify_pdf(pdf: bytes, trust_roots: Iterable[bytes] = ()) -> Verdict:
    """Check every signature of ``pdf``; ``trust_roots`` are DER certificates (the trust list).

    The one verdict function: ``qualite verify``, the register's « Re-vérifier » and « Vérifier un rapport… »
    all read the ``Verdict`` it returns.
    """
    from asn1crypto import x509
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
        return Verdict(endommage=en_francais(exc))
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
        end = _signed_end(sig)
        # pyHanko's coverage, and our own check that the signed bytes run to the very end of the file
        covers_all = st.coverage is not None and st.coverage.name == "ENTIRE_FILE" and end == len(pdf)
        if covers_all:
            level = "NONE"
        intact = bool(st.intact and st.valid)
        verdict.signatures.append(
            SignatureCheck(
                field=sig.field_name or "",
                signataire=_cn(cert.subject) or cert.subject.human_friendly,
                sujet=cert.subject.human_friendly,
                emetteur=_cn(cert.issuer) or cert.issuer.human_friendly,
                signe_le=st.signer_reported_dt,
                intact=intact,
                approuve=bool(st.trusted) and intact,
                couvre_tout=covers_all,
                modification=level,
                raison=_reason(sig),
                probleme_confiance="" if st.trusted or not intact else _trust_problem(st, cert),
                octets_hors_signature=max(len(pdf) - end, 0) if end is not None else len(pdf),
                docmdp_ok=st.docmdp_ok is not False,
            )
        )
    return verdict


def _signed_end(sig: object) -> int | None:
    """Where the bytes covered by the signature's /ByteRange end (offset + length of its last range)."""
    try:
        br = [int(v) for v in sig.byte_range]  # type: ignore[attr-defined]
        return br[-2] + br[-1]
    except (AttributeError, TypeError, ValueError, IndexError):
        return None


def _cn(name: object) -> str:
    from qualite_app.signing.identities import _cn as cn

    return cn(name)


def _reason(sig: object) -> str:
    try:
        r = sig.sig_object.get("/Reason")  # type: ignore[attr-defined]
        return str(r) if r is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def _trust_problem(st: object, cert: object) -> str:
    """Why the signer is not approved, in French: the certificate's own facts first (dates, usage), then pyHanko's code."""
    indic = getattr(st, "trust_problem_indic", None)
    name = getattr(indic, "name", "") if indic is not None else ""
    if name != "NO_CERTIFICATE_CHAIN_FOUND":  # not in the trust list: that is what the director must know first
        fact = _certificate_fact(cert)
        if fact:
            return fact
    if indic is None:
        return _ADES["NO_CERTIFICATE_CHAIN_FOUND"]
    return en_francais(indic)


def _certificate_fact(cert: object) -> str:
    """An expired, not yet valid or non-signing certificate, said with its dates."""
    try:
        validity = cert["tbs_certificate"]["validity"]  # type: ignore[index]
        not_before, not_after = validity["not_before"].native, validity["not_after"].native
        ku = cert.key_usage_value  # type: ignore[attr-defined]
        usages = set(ku.native) if ku is not None else set()
    except (KeyError, TypeError, ValueError, AttributeError):
        return ""
    now = datetime.now(UTC)
    if not_after < now:
        return f"le certificat du signataire a expiré le {not_after.astimezone():%d/%m/%Y}"
    if not_before > now:
        return f"le certificat du signataire n'est valable qu'à partir du {not_before.astimezone():%d/%m/%Y}"
    if usages and not usages & {"digital_signature", "non_repudiation"}:
        return "le certificat du signataire n'autorise pas la signature de documents"
    return ""


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
        probleme_confiance=f"signature illisible : {en_francais(exc)}",
    )
