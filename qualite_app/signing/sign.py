"""PAdES signatures: a visible block on the last page, appended as an incremental update.

The original bytes are never rewritten: the signed file starts with exactly the bytes it was given.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qualite_app.errors import UserError

#: the visible block: bottom right of the last page, inside the body frame of the house style
#: (the builders end with ``reports.templates.signature_slot()`` so that this place is free).
BOX_MM = (107.0, 22.0, 192.0, 46.0)
MM = 72 / 25.4


@dataclass(frozen=True)
class Appearance:
    signataire: str
    fonction: str = ""
    raison: str = "Approbation"
    lieu: str = ""
    visible: bool = True


def check_pdf(pdf: bytes, *, label: str = "Ce fichier") -> None:
    """A file that is not a PDF, or an encrypted PDF, is refused with a French message."""
    head = pdf[:1024]
    if b"%PDF-" not in head:
        raise UserError(f"{label} n'est pas un document PDF.")
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise UserError(f"{label} est un PDF endommagé : il ne peut pas être lu.") from exc
    if reader.encrypted:
        raise UserError(f"{label} est un PDF chiffré (protégé par mot de passe) : il ne peut pas être signé ni enregistré.")


def _free_field_name(reader: Any) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        used = {name for name, *_ in enumerate_sig_fields(reader, filled_status=None)}
    except Exception:  # noqa: BLE001 - no form at all
        used = set()
    n = 1
    while f"Signature{n}" in used:
        n += 1
    return f"Signature{n}"


def _reserved_size(signer: Any) -> int | None:
    """Room for the CMS container (hex digits), from the certificates it will carry.

    pyHanko would otherwise build a whole dry-run signature to measure it; the container is the
    certificates plus a few hundred bytes of attributes and signature value, so twice that with a
    generous margin is always enough (a signature that would not fit falls back to pyHanko's estimate).
    """
    try:
        certs = [signer.signing_cert, *list(signer.cert_registry)]
        der = sum(len(c.dump()) for c in certs if c is not None)
    except Exception:  # noqa: BLE001 - unknown signer kind: let pyHanko measure
        return None
    return 2 * (der + 4096) + 2048


def stamp_lines(app: Appearance, when: datetime) -> list[str]:
    lines = [app.signataire]
    if app.fonction:
        lines.append(app.fonction)
    lines.append(f"le {when:%d/%m/%Y à %H:%M:%S}")
    lines.append(f"Motif : {app.raison}")
    return lines


def stamp_pdf(app: Appearance, when: datetime) -> bytes:
    """The visible block, drawn by ReportLab with the embedded house font (one page the size of the box)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from qualite_app.reports import styles as st

    st.register_fonts()
    x1, y1, x2, y2 = BOX_MM  # two fonts only (bold + condensed): each embedded font costs time and bytes
    w, h = (x2 - x1) * mm, (y2 - y1) * mm
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=1, initialFontName=st.FONT_BOLD, pageCompression=1)
    c.setFillColor(st.LIGHT)
    c.setStrokeColor(st.TEAL)
    c.setLineWidth(0.8)
    c.rect(0.4, 0.4, w - 0.8, h - 0.8, stroke=1, fill=1)
    c.setFillColor(st.TEAL)
    c.rect(0.4, 0.4, 2.2 * mm, h - 0.8, stroke=0, fill=1)
    x = 5 * mm
    y = h - 5.2 * mm
    c.setFont(st.FONT_BOLD, 6.5)
    c.drawString(x, y, "SIGNÉ ÉLECTRONIQUEMENT (PAdES)")
    lines = stamp_lines(app, when)
    for k, line in enumerate(lines):
        y -= 4.4 * mm if k == 0 else 3.6 * mm
        bold = k == 0
        c.setFillColor(st.NAVY if bold else st.GREY)
        font, size = (st.FONT_BOLD, 9) if bold else (st.FONT_CONDENSED, 7.5)
        c.setFont(font, size)
        text = line
        while c.stringWidth(text, font, size) > w - x - 2 * mm and len(text) > 4:
            text = text[:-2] + "…"
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def sign_pdf(pdf: bytes, signer: Any, app: Appearance, *, when: datetime | None = None, _estimate: bool = False) -> bytes:
    """Sign ``pdf`` (PAdES baseline B, SHA-256) with an open pyHanko signer; returns the signed bytes."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    if b"%PDF-" not in pdf[:1024]:
        raise UserError("Ce fichier n'est pas un document PDF.")
    try:
        # one parse serves every check and the incremental writer
        w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise UserError("Ce fichier est un PDF endommagé : il ne peut pas être lu.") from exc
    if w.prev.encrypted:
        raise UserError("Ce PDF est chiffré (protégé par mot de passe) : il ne peut pas être signé.")
    when = (when or datetime.now().astimezone()).replace(microsecond=0)
    name = _free_field_name(w.prev)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=app.raison or None,
        location=app.lieu or None,
        name=app.signataire or None,
    )
    style = None
    spec = None
    if app.visible:
        x1, y1, x2, y2 = (round(v * MM) for v in BOX_MM)
        spec = fields.SigFieldSpec(sig_field_name=name, on_page=-1, box=(x1, y1, x2, y2))
        style = stamp.StaticStampStyle(background=_PdfBytesPage(stamp_pdf(app, when)), border_width=0)
    reserved = None if _estimate else _reserved_size(signer)
    try:
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        out = pdf_signer.sign_pdf(w, bytes_reserved=reserved)
    except SigningError as exc:
        if reserved is not None and "larger than expected" in str(exc):  # never expected; pyHanko's own estimate then
            return sign_pdf(pdf, signer, app, when=when, _estimate=True)
        raise UserError(f"La signature a échoué : le document n'a pas pu être signé ({type(exc).__name__}).") from exc
    except PdfError as exc:
        raise UserError(f"La signature a échoué : le document n'a pas pu être signé ({type(exc).__name__}).") from exc
    data: bytes = out.getvalue()
    assert data.startswith(pdf), "incremental update expected"
    return data


def sign_bare(pdf: bytes, signer: Any, bytes_reserved: int | None = None) -> bytes:
    """pyHanko's own signing, invisible and without any of our checks: the benchmark's baseline."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES)
    return bytes(signers.PdfSigner(meta, signer=signer).sign_pdf(w, bytes_reserved=bytes_reserved).getvalue())


class _PdfBytesPage:
    """pyHanko's ``ImportedPdfPage`` reads a file name; this one imports page 1 of PDF bytes."""

    def __new__(cls, data: bytes) -> Any:  # type: ignore[misc]
        import binascii
        import uuid

        from pyhanko.pdf_utils.content import ImportedPdfPage
        from pyhanko.pdf_utils.layout import BoxConstraints
        from pyhanko.pdf_utils.reader import PdfFileReader

        class BytesPage(ImportedPdfPage):
            def render(self) -> bytes:
                w = self._ensure_writer
                xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
                name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
                self.resources.xobject[name.decode("ascii")] = xobj
                x1, y1, x2, y2 = xobj.get_object()["/BBox"]
                self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
                return name + b" Do"

        return BytesPage("<mémoire>")
