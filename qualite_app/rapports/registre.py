"""Registre des rapports émis: the one path by which a report is issued, and the register's views.

    rapports.emettre(db, renderer, data, *, identity=None, password=None, recipient=None, replaces=None)

In ONE place and ONE transaction: the letterhead, the next reference (read in the transaction that inserts
it; the ``reference`` column is unique in the database), the PDF built by the renderer, its signature, the
blob and the register row. A wrong password, a missing card or an expired certificate raise ``UserError``
and nothing is written. Passwords and PINs are never stored.

The kinds of report (label, reference prefix) are the Renderers the areas list in ``AREAS`` (``reports``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.rapports.entete import FONCTION_DIRECTION, entete, entete_de
from qualite_app.rapports.models import RapportEmis
from qualite_app.reports.base import Renderer, ReportHeader, data_hash
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob

DEFAULT_REASON = "Approbation"
#: prefix of the references of a kind no area declares (PDFs issued with ``emettre_pdf``)
DEFAULT_PREFIX = "RAP"
#: numbering again when the unique index refuses the reference (a concurrent writer took it)
ATTEMPTS = 3

#: (pdf, establishment name) → (signed pdf, signer's name)
Signer = Callable[[bytes, str], tuple[bytes, str]]


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RapportEmisRow:
    id: int
    kind: str
    title: str
    reference: str
    params: dict[str, Any]
    data_hash: str
    snapshot: dict[str, Any] | None
    pdf: bytes
    sha256: str
    emis_le: datetime  # UTC, naive (like every timestamp of the database)
    emis_par: str
    signataire: str | None
    signe_le: datetime | None
    identite: str | None
    destinataire: str
    remplace_id: int | None

    @property
    def signe(self) -> bool:
        return self.signataire is not None


@dataclass(frozen=True)
class RapportListeRow:
    id: int
    kind: str
    kind_label: str
    title: str
    reference: str
    emis_le: datetime
    signataire: str | None
    signe_le: datetime | None
    destinataire: str
    remplace_id: int | None
    sha256: str
    taille: int


def local_time(utc_naive: datetime | None) -> datetime | None:
    """A database timestamp (UTC, naive) in the computer's time zone, for display."""
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


# --- kinds: declared by the areas ---------------------------------------------------------------------


@cache
def renderers() -> dict[str, Renderer[Any]]:
    """kind → Renderer, from the ``reports`` of every area in ``AREAS``."""
    from qualite_app.areas import AREAS, resolve

    return {r.kind: r for area in AREAS for r in (resolve(t) for t in area.reports)}


@cache
def _declared_labels() -> dict[str, str]:
    """kind → label as the areas declare them (``Area.report_labels``): the register's lists show them
    without importing the report modules (ReportLab: half a second on a first opening)."""
    from qualite_app.areas import AREAS

    return {kind: label for area in AREAS for kind, label in area.report_labels}


def kind_label(kind: str) -> str:
    declared = _declared_labels().get(kind)
    if declared is not None:
        return declared
    r = renderers().get(kind)
    return r.label if r is not None else kind


def kind_prefix(kind: str) -> str:
    r = renderers().get(kind)
    return r.prefix if r is not None else DEFAULT_PREFIX


# --- references ---------------------------------------------------------------------------------------


def next_reference(s: Session, prefix: str, year: int) -> str:
    """NI-2026-0003: the prefix, the year, one more than the highest number of that prefix and year.

    Call it in the transaction that inserts the row: the unique index on ``reference`` refuses a duplicate."""
    pattern = re.compile(rf"{re.escape(prefix)}-{year}-(\d+)")
    refs = s.scalars(select(RapportEmis.reference).where(RapportEmis.reference.like(f"{prefix}-{year}-%")))
    n = max((int(m.group(1)) for r in refs if (m := pattern.fullmatch(r))), default=0)
    return f"{prefix}-{year}-{n + 1:04d}"


def prochaine_reference(db: Database, kind: str, when: datetime | None = None) -> str:
    """The reference the next report of ``kind`` would get (for a preview; the register numbers it again)."""
    with db.session() as s:
        return next_reference(s, kind_prefix(kind), (when or utcnow()).year)


def _header(s: Session, reference: str, *, recipient: str | None, author: str, issued_at: datetime | None) -> ReportHeader:
    h = entete_de(s)
    when = issued_at or (local_time(utcnow()) or datetime.now())
    return ReportHeader(
        h.letterhead,
        reference=reference,
        issued_at=when.replace(second=0, microsecond=0) if issued_at is None else when,
        recipient=recipient.strip() if recipient and recipient.strip() else h.destinataire,
        author=h.directeur_qualite or author,
        author_function=FONCTION_DIRECTION,
    )


# --- issuing: the one path ------------------------------------------------------------------------------


def apercu(db: Database, renderer: Renderer[Any], data: Any, *, reference: str | None = None, issued_at: datetime | None = None) -> bytes:
    """The PDF as it would be issued now (letterhead, next reference); nothing is written."""
    with db.session() as s:
        ref = reference if reference is not None else next_reference(s, kind_prefix(renderer.kind), utcnow().year)
        return renderer.build(data, _header(s, ref, recipient=None, author=db.actor.display_name, issued_at=issued_at))


def emettre(
    db: Database,
    renderer: Renderer[Any],
    data: Any,
    *,
    identity: str | None = None,
    password: str | None = None,
    recipient: str | None = None,
    replaces: int | None = None,
    reason: str = DEFAULT_REASON,
    issued_at: datetime | None = None,
    digest: str | None = None,
) -> RapportEmisRow:
    """Build, sign (when ``identity`` names a signing identity) and record a report; returns the register row.

    ``digest``: the data hash to register when it is not the hash of the renderer's snapshot (``emettre_pdf``)."""
    signer = _signer(db, identity, password, reason) if identity else None
    if replaces is not None:
        with db.session() as s:
            if s.get(RapportEmis, replaces) is None:
                raise UserError(f"Le rapport n° {replaces} à remplacer n'existe pas dans le registre.")
    for attempt in range(ATTEMPTS):
        try:
            with db.unit_of_work() as s:
                rid = issue_in(
                    s, renderer, data, emis_par=str(db.actor), author=db.actor.display_name, signer=signer, identity=identity,
                    recipient=recipient, replaces=replaces, issued_at=issued_at, digest=digest,
                )  # fmt: skip
            return get(db, rid)
        except IntegrityError as exc:  # another writer took this number between our read and our insert
            if "reference" not in str(exc.orig) or attempt == ATTEMPTS - 1:
                raise UserError("Le rapport n'a pas pu être numéroté (un autre rapport est émis en même temps) : recommencez.") from exc
    raise AssertionError("unreachable")


def issue_in(
    s: Session,
    renderer: Renderer[Any],
    data: Any,
    *,
    emis_par: str,
    author: str = "",
    signer: Signer | None = None,
    identity: str | None = None,
    recipient: str | None = None,
    replaces: int | None = None,
    issued_at: datetime | None = None,
    digest: str | None = None,
) -> int:
    """The body of ``emettre`` inside the caller's transaction (the demo uses it in its own); returns the row id."""
    from qualite_app.signing.sign import check_pdf
    from qualite_app.socle import blobs

    kind, title = (renderer.kind or "").strip(), (renderer.title(data) or "").strip()
    if not kind:
        raise UserError("Le type de rapport est obligatoire.")
    if not title:
        raise UserError("Le titre du rapport est obligatoire.")
    params, snapshot = renderer.params(data), renderer.snapshot(data)
    try:
        json.dumps(params)
        json.dumps(snapshot)
    except (TypeError, ValueError) as exc:
        raise UserError(f"Les paramètres du rapport ne sont pas enregistrables : {exc}") from exc
    now = utcnow().replace(microsecond=0)
    ref = next_reference(s, kind_prefix(kind), now.year)
    header = _header(s, ref, recipient=recipient, author=author, issued_at=issued_at)
    pdf = renderer.build(data, header)
    check_pdf(pdf, label="Le document à émettre")
    signataire: str | None = None
    if signer is not None:
        pdf, signataire = signer(pdf, header.letterhead.etablissement)
    blob = blobs.put(s, pdf, f"{ref}.pdf", "application/pdf")
    row = RapportEmis(
        type_rapport=kind,
        titre=title[:300],
        reference=ref,
        parametres=params,
        empreinte_donnees=digest if digest is not None else data_hash(snapshot),
        instantane=snapshot,
        pdf_blob_id=blob.id,
        sha256=blob.sha256,
        emis_le=now,
        emis_par=emis_par,
        signataire=signataire,
        signe_le=now if signataire else None,
        identite=identity if signataire else None,
        destinataire=header.recipient[:300],
        remplace_id=replaces,
    )
    s.add(row)
    s.flush()
    return row.id


@dataclass(frozen=True)
class PdfFourni:
    """A PDF made elsewhere (a file, a test, a future area's builder) issued as is: a Renderer that ignores the header."""

    kind: str
    titre: str
    pdf: bytes
    parametres: dict[str, Any]
    instantane: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return self.kind

    @property
    def prefix(self) -> str:
        return kind_prefix(self.kind)

    def title(self, data: Any) -> str:
        return self.titre

    def build(self, data: Any, header: ReportHeader) -> bytes:
        return self.pdf

    def snapshot(self, data: Any) -> Any:
        return self.instantane

    def params(self, data: Any) -> dict[str, Any]:
        return self.parametres


def emettre_pdf(
    db: Database,
    *,
    kind: str,
    title: str,
    pdf: bytes,
    params: dict[str, Any],
    data_hash: str,
    snapshot: dict[str, Any] | None = None,
    identity: str | None = None,
    password: str | None = None,
    recipient: str | None = None,
    replaces: int | None = None,
    reason: str = DEFAULT_REASON,
) -> RapportEmisRow:
    """Issue an already built PDF through the register (same path as ``emettre``; the data hash is given)."""
    from qualite_app.signing.sign import check_pdf

    check_pdf(pdf, label="Le document à émettre")
    renderer = PdfFourni((kind or "").strip(), title, pdf, params, snapshot)
    return emettre(
        db, renderer, None, identity=identity, password=password, recipient=recipient, replaces=replaces, reason=reason, digest=data_hash
    )


def _signer(db: Database, identity: str, password: str | None, reason: str) -> Signer:
    """Check the identity and its password now (before any transaction); sign later, in the register's transaction."""
    from qualite_app.rapports.identites import identity_spec
    from qualite_app.signing.identities import needs_password, open_signer
    from qualite_app.signing.sign import Appearance, sign_pdf

    spec, signataire, fonction = identity_spec(db, identity)
    if (password is None or password == "") and needs_password(spec):
        raise UserError(
            "Saisissez le code PIN de la carte." if spec.kind == "pkcs11" else f"Saisissez le mot de passe de l'identité « {identity} »."
        )

    def sign(pdf: bytes, lieu: str) -> tuple[bytes, str]:
        with open_signer(spec, password) as opened:
            name = signataire or opened.info.subject_cn
            return sign_pdf(pdf, opened.signer, Appearance(name, fonction, reason or DEFAULT_REASON, lieu)), name

    return sign


def signer_pdf(db: Database, pdf: bytes, identity: str, password: str | None, reason: str = DEFAULT_REASON) -> bytes:
    """Sign any PDF with a known identity, without recording it in the register (``qualite sign``)."""
    from qualite_app.signing.sign import check_pdf

    check_pdf(pdf)
    return _signer(db, identity, password, reason)(pdf, entete(db).nom)[0]


# --- reading the register ---------------------------------------------------------------------------------


def _row(r: RapportEmis, pdf: bytes) -> RapportEmisRow:
    return RapportEmisRow(
        id=r.id, kind=r.type_rapport, title=r.titre, reference=r.reference, params=dict(r.parametres or {}),
        data_hash=r.empreinte_donnees, snapshot=r.instantane, pdf=pdf, sha256=r.sha256, emis_le=r.emis_le,
        emis_par=r.emis_par, signataire=r.signataire, signe_le=r.signe_le, identite=r.identite,
        destinataire=r.destinataire, remplace_id=r.remplace_id,
    )  # fmt: skip


def get(db: Database, rapport_id: int) -> RapportEmisRow:
    with db.session() as s:
        r = s.get(RapportEmis, rapport_id)
        if r is None:
            raise UserError(f"Le rapport n° {rapport_id} n'existe pas dans le registre.")
        pdf = s.scalar(select(Blob.contenu).where(Blob.id == r.pdf_blob_id)) or b""
        return _row(r, pdf)


def dernier(db: Database, kind: str) -> RapportEmisRow | None:
    """The latest issued report of a kind (None when none was issued yet)."""
    with db.session() as s:
        rid = s.scalar(
            select(RapportEmis.id).where(RapportEmis.type_rapport == kind).order_by(RapportEmis.emis_le.desc(), RapportEmis.id.desc())
        )
    return get(db, rid) if rid is not None else None


def _filters(kind: str | None, texte: str | None, signe: bool | None) -> list[Any]:
    where: list[Any] = []
    if kind:
        where.append(RapportEmis.type_rapport == kind)
    if texte and texte.strip():
        like = f"%{texte.strip().lower()}%"
        where.append(
            or_(
                func.lower(RapportEmis.titre).like(like),
                func.lower(RapportEmis.reference).like(like),
                func.lower(func.coalesce(RapportEmis.signataire, "")).like(like),
                func.lower(RapportEmis.destinataire).like(like),
            )
        )
    if signe is True:
        where.append(RapportEmis.signataire.is_not(None))
    elif signe is False:
        where.append(RapportEmis.signataire.is_(None))
    return where


def lister(
    db: Database,
    *,
    kind: str | None = None,
    texte: str | None = None,
    signe: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[RapportListeRow]:
    """The register, newest first, filtered and paged in SQL."""
    q = (
        select(
            RapportEmis.id, RapportEmis.type_rapport, RapportEmis.titre, RapportEmis.reference, RapportEmis.emis_le,
            RapportEmis.signataire, RapportEmis.signe_le, RapportEmis.destinataire, RapportEmis.remplace_id,
            RapportEmis.sha256, Blob.taille,
        )  # fmt: skip
        .join(Blob, Blob.id == RapportEmis.pdf_blob_id)
        .where(*_filters(kind, texte, signe))
        .order_by(RapportEmis.emis_le.desc(), RapportEmis.id.desc())
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    with db.session() as s:
        return [
            RapportListeRow(r[0], r[1], kind_label(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
            for r in s.execute(q)
        ]


def compter(db: Database, *, kind: str | None = None, texte: str | None = None, signe: bool | None = None) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(RapportEmis.id)).where(*_filters(kind, texte, signe))) or 0


def kinds_in_register(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        kinds = s.scalars(select(RapportEmis.type_rapport).distinct().order_by(RapportEmis.type_rapport)).all()
    return [(k, kind_label(k)) for k in kinds]


def exporter(db: Database, rapport_id: int, target: Path) -> Path:
    r = get(db, rapport_id)
    try:
        target.write_bytes(r.pdf)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire « {target} » : {exc.strerror or exc}") from exc
    return target
