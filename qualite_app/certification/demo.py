"""The demo's certification: the HAS 2025 référentiel, last year's campaign and this year's (about 70 %
answered, two impératifs unmet, turned into PAQSS actions), 150 small fictional evidence files (PDFs and
images, some expired, some expiring before the visit), evidence that points to PAQSS actions and
indicators, two evaluation sessions. Dates are relative to the day the demo is loaded."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.certification import rules
from qualite_app.certification.models import (
    CertifCampagne,
    CertifNoeud,
    CertifPreuve,
    CertifPreuveCritere,
    CertifPreuveVersion,
    CertifReferentiel,
    CertifReponse,
    CertifSession,
)
from qualite_app.etablissement.models import Personne

HAS_URN = "urn:qualite:referentiel:has:es:2025"
#: the two impératifs the demo leaves unmet
NON_ATTEINTS = ("2.2-06", "3.1-05")
EVIDENCE = [
    "Procédure", "Compte rendu de CDU", "Audit", "Charte", "Rapport d'EPP", "Enquête de satisfaction",
    "Plan de formation", "Compte rendu de CREX", "Affiche", "Protocole", "Grille patient traceur", "Tableau de bord",
]  # fmt: skip
COMMENTS = {
    rules.CONFORME: ["Vérifié en patient traceur interne.", "Pratique constatée dans trois unités.", "Traçabilité complète."],
    rules.PARTIEL: ["Appliqué en médecine, pas encore en SMR.", "Traçabilité incomplète (2 dossiers sur 5).", "Procédure à actualiser."],
    rules.NON_CONFORME: ["Non retrouvé lors du traceur ciblé.", "Aucun exercice réalisé cette année."],
}  # fmt: skip


def _pdf(title: str) -> bytes:
    """A one-page PDF saying ``title`` (Latin-1 only), made by hand: no ReportLab at demo time."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = (
        b"BT /F1 14 Tf 60 760 Td ("
        + text
        + b") Tj 0 -24 Td /F1 10 Tf (Document fictif de demonstration) Tj ET"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % x for x in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _png(seed: int, w: int = 48, h: int = 32) -> bytes:
    """A small coloured PNG (a fictional photo of a poster), different for every seed."""
    r, g, b = (seed * 53) % 256, (seed * 97) % 256, (seed * 151) % 256
    rows = b"".join(b"\x00" + bytes((r, (g + y * 4) % 256, b)) * w for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _referentiel(s: Session) -> CertifReferentiel | None:
    from qualite_app.certification.referentiels import import_in, read_document
    from qualite_app.paths import resources_dir

    ref = s.scalar(select(CertifReferentiel).where(CertifReferentiel.urn == HAS_URN))
    if ref is not None:
        return ref
    content = (resources_dir() / "referentiels" / "has_es_2025.yaml").read_bytes()
    doc, fmt = read_document(content)
    res = import_in(s, doc, fmt, hashlib.sha256(content).hexdigest())
    return s.get(CertifReferentiel, res.referentiel_id)


def _answers(s: Session, c: CertifCampagne, elements: list[CertifNoeud], crit: dict[int, CertifNoeud], share: float,
             rng: random.Random, people: list[int], today: date, unmet: tuple[str, ...]) -> None:  # fmt: skip
    rows = []
    for e in elements:
        cr = crit[e.id]
        forced = cr.ref in unmet and e.ref.endswith("EE01")
        if not forced and rng.random() > share:
            continue
        x = rng.random()
        if forced:
            v = rules.NON_CONFORME
        elif cr.niveau == rules.IMPERATIF:
            v = rules.CONFORME if x < 0.85 else rules.PARTIEL
        else:
            v = (
                rules.CONFORME
                if x < 0.72
                else rules.PARTIEL
                if x < 0.9
                else rules.NON_CONFORME
                if x < 0.96
                else rules.NA
            )
        rows.append(CertifReponse(
            campagne_id=c.id, noeud_id=e.id, valeur=v, motif_na="Activité absente de l'établissement" if v == rules.NA else None,
            commentaire=rng.choice(COMMENTS[v]) if v in COMMENTS and rng.random() < 0.6 else None,
            evaluateur_id=rng.choice(people) if people else None, date=today - timedelta(days=rng.randint(3, 80)),
            methode=e.methodes[0] if e.methodes else None,
        ))  # fmt: skip
    s.add_all(rows)


def demo_step(s: Session, today: date) -> Callable[[Session], str] | None:
    if s.scalar(select(CertifCampagne.id).limit(1)) is not None:
        return None
    ref = _referentiel(s)
    if ref is None:
        return None
    rng = random.Random(2025)
    nodes = list(
        s.scalars(select(CertifNoeud).where(CertifNoeud.referentiel_id == ref.id).order_by(CertifNoeud.ordre))
    )
    by_id = {n.id: n for n in nodes}
    elements = [n for n in nodes if n.evaluable]
    crit = {e.id: by_id[e.parent_id] for e in elements if e.parent_id in by_id}
    criteres = [n for n in nodes if n.type == "critere"]
    people = list(s.scalars(select(Personne.id).order_by(Personne.id).limit(8)))
    visite = today + timedelta(days=120)
    old = CertifCampagne(nom=f"Autoévaluation {today.year - 1}", referentiel_id=ref.id, version_referentiel=ref.version,
                         debut=today - timedelta(days=400), fin=today - timedelta(days=300), sites="Site principal")  # fmt: skip
    cur = CertifCampagne(nom=f"Autoévaluation {today.year}", referentiel_id=ref.id, version_referentiel=ref.version,
                         debut=today - timedelta(days=90), fin=visite - timedelta(days=14), date_visite=visite,
                         sites="Site principal, site de gériatrie", secteurs="MCO, SMR, psychiatrie")  # fmt: skip
    s.add_all([old, cur])
    s.flush()
    _answers(s, old, elements, crit, 0.45, rng, people, today - timedelta(days=300), ())
    _answers(s, cur, elements, crit, 0.70, rng, people, today, NON_ATTEINTS)
    for methode, days, equipe, service in (
        (
            "patient_traceur",
            40,
            "Dr Hélène Brévanne, cadre de santé, représentante des usagers",
            "Médecine polyvalente",
        ),
        ("audit_systeme", 25, "Directeur qualité, coordonnateur de la gestion des risques", "Direction"),
    ):
        s.add(
            CertifSession(
                campagne_id=cur.id,
                methode=methode,
                date=today - timedelta(days=days),
                equipe=equipe,
                service=service,
            )
        )
    s.flush()
    for x in s.scalars(select(CertifSession).where(CertifSession.campagne_id == cur.id)):
        # the answers each session produced: a dozen of the campaign's answers given by its method
        q = select(CertifReponse).where(
            CertifReponse.campagne_id == cur.id, CertifReponse.methode == x.methode
        )
        for r in s.scalars(q.order_by(CertifReponse.noeud_id).limit(12)):
            r.session_id, r.date = x.id, x.date
    _evidence(s, criteres, rng, people, today, visite)
    _paqss(s, cur, by_id, criteres, today)
    return _summary


def _evidence(
    s: Session, criteres: list[CertifNoeud], rng: random.Random, people: list[int], today: date, visite: date
) -> None:
    from qualite_app.socle import blobs

    for i in range(150):
        c = criteres[(i * 7) % len(criteres)]
        kind = EVIDENCE[i % len(EVIDENCE)]
        titre = f"{kind} — {c.ref} {c.titre}"[:200]
        image = kind in ("Affiche", "Tableau de bord") or i % 9 == 0
        ext = "png" if image else "pdf"
        content = _png(i) if image else _pdf(f"{kind} - critere {c.ref} - n {i + 1}")
        nom = f"{kind.lower().replace(' ', '_').replace('’', '')}_{c.ref}_{i + 1:03d}.{ext}"
        dp = today - timedelta(days=rng.randint(30, 900))
        if i % 10 == 0:
            fin = today - timedelta(days=rng.randint(5, 60))  # expired
        elif i % 10 == 1:
            fin = visite - timedelta(days=rng.randint(5, 40))  # expires before the visit
        else:
            fin = dp + timedelta(days=rng.choice((730, 1095, 1460)))
            fin = max(fin, visite + timedelta(days=30))
        blob = blobs.put(s, content, nom, "image/png" if image else "application/pdf")
        p = CertifPreuve(titre=titre, date_preuve=dp, valide_jusqu_au=fin, proprietaire_id=people[i % len(people)] if people else None,
                         confidentialite="restreint" if i % 17 == 0 else "interne", blob_id=blob.id, version=1)  # fmt: skip
        s.add(p)
        s.flush()
        s.add(CertifPreuveVersion(preuve_id=p.id, version=1, blob_id=blob.id, nom=nom))
        served = {c.id} | ({criteres[(i * 7 + 31) % len(criteres)].id} if i % 6 == 0 else set())
        s.add_all([CertifPreuveCritere(preuve_id=p.id, noeud_id=n) for n in served])


def _paqss(
    s: Session, cur: CertifCampagne, by_id: dict[int, CertifNoeud], criteres: list[CertifNoeud], today: date
) -> None:
    """The unmet impératifs become PAQSS actions; evidence that points to actions and indicators."""
    from qualite_app.errors import UserError
    from qualite_app.indicateurs import demo as indicateurs_demo
    from qualite_app.paqss import services as paqss

    by_ref = {c.ref: c for c in criteres}
    for ref in NON_ATTEINTS:
        c = by_ref[ref]
        try:
            a = paqss.action_depuis(s, "certif_noeud", c.id, f"{ref} : {c.titre}", "certification", priorite=1,
                                    source_detail=f"Impératif non atteint — {cur.nom}", echeance=cur.date_visite, today=today)  # fmt: skip
        except UserError:
            return  # no PAQSS programme in this base
        p = CertifPreuve(titre=f"Plan d'action PAQSS {a.reference}", date_preuve=today, item_type="paqss_action", item_id=a.id,
                         confidentialite="interne")  # fmt: skip
        s.add(p)
        s.flush()
        s.add(CertifPreuveCritere(preuve_id=p.id, noeud_id=c.id))
    for code, ref in (("CHUTES", "2.4-06"), ("IDENTITO", "2.2-01")):
        ids = indicateurs_demo.ids_by_code(s, [code])
        if code in ids and ref in by_ref:
            p = CertifPreuve(titre=f"Indicateur {code} suivi en carte de contrôle", date_preuve=today - timedelta(days=10),
                             item_type="indicateur", item_id=ids[code], confidentialite="interne")  # fmt: skip
            s.add(p)
            s.flush()
            s.add(CertifPreuveCritere(preuve_id=p.id, noeud_id=by_ref[ref].id))


def _summary(s: Session) -> str:
    campaigns = s.scalar(select(func.count()).select_from(CertifCampagne)) or 0
    answers = s.scalar(select(func.count()).select_from(CertifReponse)) or 0
    evidence = s.scalar(select(func.count()).select_from(CertifPreuve)) or 0
    return f"certification : {campaigns} campagne(s), {answers} réponse(s), {evidence} preuve(s)"
