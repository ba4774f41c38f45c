"""Pocket action cards: one A6 card per role — mission, first-hour tasks, the numbers that role needs —
four per A4 sheet with cut marks. Pure: plan data → PDF bytes."""

from __future__ import annotations

import io
from datetime import datetime, time

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from qualite_app.crise import donnees as v
from qualite_app.crise.mise_en_page import p, styles
from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind

CARD_W, CARD_H = A4[0] / 2, A4[1] / 2  # A6
PAD = 7 * mm
#: how many numbers a card carries
NUMEROS = 5
CASE = "\u2610"


def numeros_du_role(plan: v.PlanV, code: str) -> list[v.ContactV]:
    """The contacts tagged with the role, then the cell and the authorities, up to ``NUMEROS``, with a
    number — never the holder's own."""
    role = next((r for r in plan.roles if r.code == code), None)
    own = role.titulaire.id if role is not None and role.titulaire is not None else None
    usable = [c for c in plan.contacts if c.tel and (own is None or c.personne_id != own)]
    tagged = [c for c in usable if code in c.roles]
    others = [c for c in usable if c not in tagged and c.categorie in ("cellule", "autorite")]
    return (tagged + others)[:NUMEROS]


def _card(plan: v.PlanV, role: v.RoleV) -> list[Flowable]:
    ss = styles()
    small = ss["CPetit"]
    out: list[Flowable] = []
    band = Table([[Paragraph(st.esc(role.libelle), ss["CEnTete"])]], colWidths=[CARD_W - 2 * PAD])
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), st.NAVY),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    out += [band, Spacer(1, 1.5 * mm)]
    if role.mission:
        out.append(Paragraph(f"<b>Mission.</b> {st.esc(role.mission)}", ss["CCellule"]))
    titulaire = role.titulaire.nom if role.titulaire else "non désigné"
    out.append(Paragraph(f"Titulaire : {st.esc(titulaire)} · Lieu : {st.esc(role.lieu or '—')}", small))
    out.append(Paragraph("<b>Première heure</b>", ss["CCelluleGras"]))
    tasks = [
        t
        for f in plan.fiches
        if f.role_id == role.id and not f.scenarios
        for t in f.taches
        if t.phase == "immediat"
    ]
    out += [Paragraph(f"{CASE} {st.esc(t.texte)}", ss["CCellule"]) for t in tasks[:7]]
    nums = numeros_du_role(plan, role.code)
    if nums:
        out.append(Spacer(1, 1.5 * mm))
        rows = [
            [Paragraph(st.esc(c.fonction), ss["CCellule"]), Paragraph(st.esc(c.tel), ss["CCelluleGras"])]
            for c in nums
        ]
        t = Table(rows, colWidths=[(CARD_W - 2 * PAD) * 0.62, (CARD_W - 2 * PAD) * 0.38])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, st.GRID), ("BACKGROUND", (0, 0), (-1, -1), st.LIGHT),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))  # fmt: skip
        out.append(t)
    return out


def _cut_marks(c: rl_canvas.Canvas) -> None:
    w, h = A4
    c.saveState()
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.4)
    for x in (w / 2,):
        c.line(x, 0, x, 5 * mm)
        c.line(x, h - 5 * mm, x, h)
        c.line(x, h / 2 - 3 * mm, x, h / 2 + 3 * mm)
    for y in (h / 2,):
        c.line(0, y, 5 * mm, y)
        c.line(w - 5 * mm, y, w, y)
        c.line(w / 2 - 3 * mm, y, w / 2 + 3 * mm, y)
    c.setDash(1, 3)
    c.setStrokeColor(colors.HexColor("#B0B8C4"))
    c.line(w / 2, 5 * mm, w / 2, h - 5 * mm)
    c.line(5 * mm, h / 2, w - 5 * mm, h / 2)
    c.restoreState()


def _bordereau(c: rl_canvas.Canvas, data: v.CartesData, header: ReportHeader, roles: list[v.RoleV]) -> None:
    """The last sheet: what was printed, for whom, under which reference (and room for the signature block)."""
    ss = styles()
    story: list[Flowable] = [
        p(header.letterhead.etablissement, "CEtab"), p(header.letterhead.address_line, "CPetit"), Spacer(1, 8 * mm),
        p("Bordereau des cartes réflexes", "CH3"), p(f"{data.plan.nom} — version {data.plan.version}"),
        p(f"Référence : {header.reference or '—'} · imprimé le {data.today:%d/%m/%Y} · Diffusion restreinte", "CPetit"),
        Spacer(1, 4 * mm), p(f"{len(roles)} carte(s), quatre par feuille A4, à découper selon les traits de coupe :"),
    ]  # fmt: skip
    story += [Paragraph(f"{CASE} {st.esc(r.libelle)} ({st.esc(r.code)})", ss["CCellule"]) for r in roles]
    Frame(18 * mm, 50 * mm, A4[0] - 36 * mm, A4[1] - 70 * mm).addFromList(story, c)
    c.showPage()


def _title(data: v.CartesData) -> str:
    return f"Cartes réflexes — {data.plan.nom} (v{data.plan.version})"


def build(data: v.CartesData, header: ReportHeader | None = None) -> bytes:
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12))
    )
    st.register_fonts()
    roles = [r for r in data.plan.roles if not data.roles or r.code in data.roles]
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=st.FONT)
    c.setTitle(_title(data))
    c.setAuthor(header.author or header.letterhead.etablissement)
    c.setCreator("Qualité & Risques")
    pages = max(1, (len(roles) + 3) // 4)
    for page in range(pages):
        _cut_marks(c)
        for slot, role in enumerate(roles[page * 4 : page * 4 + 4]):
            x0 = (slot % 2) * CARD_W
            y0 = A4[1] / 2 if slot < 2 else 0
            Frame(x0 + PAD, y0 + PAD + 6 * mm, CARD_W - 2 * PAD, CARD_H - 2 * PAD - 6 * mm, showBoundary=0,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0).addFromList(_card(data.plan, role), c)  # fmt: skip
            c.setFont(st.FONT, 6.5)
            c.setFillColor(st.GREY)
            c.drawString(x0 + PAD, y0 + PAD + 3 * mm, header.letterhead.etablissement[:70])
            c.drawString(x0 + PAD, y0 + PAD, f"{data.plan.nom} v{data.plan.version}"[:60])
            c.drawRightString(x0 + CARD_W - PAD, y0 + PAD + 3 * mm, header.reference)
            c.setFillColor(st.BAD)
            c.drawRightString(x0 + CARD_W - PAD, y0 + PAD, "Diffusion restreinte")
            c.setFillColor(st.GREY)
        if not roles:
            c.setFont(st.FONT, 12)
            c.drawString(
                20 * mm, A4[1] - 30 * mm, f"{header.letterhead.etablissement} — aucun rôle à imprimer."
            )
        c.showPage()
    _bordereau(c, data, header, roles)
    c.save()
    return buf.getvalue()


CARTES: ReportKind[v.CartesData] = ReportKind(
    "cartes_crise", "Cartes réflexes", "CRF",
    title_of=_title,
    build_with=build,
    snapshot_of=v.snapshot,
    params_of=lambda d: {"plan_id": d.plan.id, "version": d.plan.version, "roles": list(d.roles)},
)  # fmt: skip
