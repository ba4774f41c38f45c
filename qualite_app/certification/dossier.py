"""The certification dossier: gather a campaign, export it as a ZIP (index.pdf issued and signed through the
register, evidence in a tidy tree, manifest.json, SHA256SUMS, criteres.csv), verify a dossier later.

The ZIP is written to a temporary file next to the target and renamed at the very end: a cancel or an
error leaves nothing. Evidence is streamed from the base to the ZIP in 1 MiB chunks (SQLite's incremental
blob reading), hashed on the way: memory stays flat whatever the dossier's size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qualite_app.certification import campagnes, rules, scores
from qualite_app.certification.dossier_data import (
    ChapitreIndex,
    CritereIndex,
    DossierData,
    ElementIndex,
    ObjectifIndex,
    PreuveIndex,
)
from qualite_app.certification.models import CertifCampagne, CertifNoeud, CertifPreuve, CertifPreuveCritere
from qualite_app.errors import UserError
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob

CHUNK = 1024 * 1024
FORMAT = "qualite-dossier-certification/1"


@dataclass(frozen=True)
class _Fichier:
    chemin: str
    blob_id: int
    sha256: str
    taille: int
    preuve_id: int
    titre: str
    date_preuve: date | None
    valide_jusqu_au: date | None
    criteres: list[str]


def _dir(n: CertifNoeud | None, fallback: str) -> str:
    if n is None:
        return fallback
    return rules.safe_name(f"{n.ref} {n.titre}".strip(), 40)


def gather(db: Database, campagne_id: int, *, le: date | None = None) -> tuple[DossierData, list[_Fichier]]:
    """The index's data and the plan of the evidence files (each stored once, under its first criterion)."""
    from qualite_app.etablissement import identite

    le = le or date.today()
    syn = scores.synthese(db, campagne_id, le=le)
    rows = campagnes.grille(db, campagne_id)
    with db.session() as s:
        c = s.get(CertifCampagne, campagne_id)
        assert c is not None
        nodes = {
            n.id: n
            for n in s.scalars(select(CertifNoeud).where(CertifNoeud.referentiel_id == c.referentiel_id))
        }
        version = c.referentiel.version
        links = s.execute(select(CertifPreuveCritere.preuve_id, CertifPreuveCritere.noeud_id)).all()
        ev = {
            p.id: p
            for p in s.scalars(
                select(CertifPreuve).where(CertifPreuve.id.in_({p for p, n in links if n in nodes}))
            )
        }
        blobs = {
            b.id: (b.nom, b.sha256, b.taille)
            for b in s.scalars(select(Blob).where(Blob.id.in_([p.blob_id for p in ev.values() if p.blob_id])))
        }
    e = identite.get(db)

    def crit_of(nid: int) -> CertifNoeud | None:
        n = nodes.get(nid)
        while n is not None and n.type not in ("critere", "exigence"):
            n = nodes.get(n.parent_id) if n.parent_id else None
        return n or nodes.get(nid)

    def chain(n: CertifNoeud) -> list[CertifNoeud]:
        out = []
        p = nodes.get(n.parent_id) if n.parent_id else None
        while p is not None:
            out.append(p)
            p = nodes.get(p.parent_id) if p.parent_id else None
        return out[::-1]

    served: dict[int, list[CertifNoeud]] = {}
    for pid, nid in links:
        if (
            pid in ev
            and nid in nodes
            and (cr := crit_of(nid)) is not None
            and cr not in served.setdefault(pid, [])
        ):
            served[pid].append(cr)
    fichiers: list[_Fichier] = []
    by_preuve: dict[int, _Fichier] = {}
    used: set[str] = set()
    for pid in sorted(served, key=lambda p: (min(x.ordre for x in served[p]), p)):
        p, crits = ev[pid], sorted(served[pid], key=lambda x: x.ordre)
        if p.blob_id is None or p.blob_id not in blobs:
            continue
        nom, sha, taille = blobs[p.blob_id]
        anc = chain(crits[0])
        parts = ["preuves", *[_dir(a, "_") for a in anc], _dir(crits[0], "_")]
        name = rules.safe_name(nom, 80)
        path = "/".join([*parts, name])
        if path.lower() in used:
            path = "/".join([*parts, rules.safe_name(f"{pid}-{nom}", 80)])
        used.add(path.lower())
        f = _Fichier(
            path,
            p.blob_id,
            sha,
            taille,
            pid,
            p.titre,
            p.date_preuve,
            p.valide_jusqu_au,
            [x.ref for x in crits],
        )
        fichiers.append(f)
        by_preuve[pid] = f
    preuves_of: dict[int, list[PreuveIndex]] = {}
    for pid, crits in served.items():
        p = ev[pid]
        fi = by_preuve.get(pid)
        lien = f"{p.item_type} n° {p.item_id}" if p.item_type else ""
        pi = PreuveIndex(p.titre, p.date_preuve, p.valide_jusqu_au, fi.sha256 if fi else "", fi.chemin if fi else "",
                         rules.expiree(p.valide_jusqu_au, le), lien)  # fmt: skip
        for cr in crits:
            preuves_of.setdefault(cr.id, []).append(pi)
    elements: dict[int, list[ElementIndex]] = {}
    for r in rows:
        if r.critere_id is None:
            continue
        rep = rules.REPONSES.get(r.valeur or "", "Non évalué")
        comment = r.commentaire or (f"Non applicable : {r.motif_na}" if r.motif_na else "")
        elements.setdefault(r.critere_id, []).append(
            ElementIndex(r.ref, r.titre, rep, comment or "", r.evaluateur, r.date)
        )
    crit_cov = {x.id: x for x in syn.criteres}
    chapitres = []
    for ch in syn.chapitres:
        ci = ChapitreIndex(ch.ref, ch.titre, ch.satisfaction)
        for ob in [o for o in syn.objectifs if nodes[o.id].parent_id == ch.id]:
            oi = ObjectifIndex(ob.ref, ob.titre, ob.satisfaction)
            for cid in sorted(
                (x for x in crit_cov if nodes[x].parent_id == ob.id), key=lambda x: nodes[x].ordre
            ):
                cc = crit_cov[cid]
                oi.criteres.append(CritereIndex(cc.ref, cc.titre, rules.NIVEAUX.get(cc.niveau or "", "—"), cc.satisfaction,
                                                cc.imperatif_non_atteint, elements.get(cid, []), preuves_of.get(cid, [])))  # fmt: skip
            ci.objectifs.append(oi)
        if not ci.objectifs:  # a library without objectives: criteria straight under the chapter
            oi = ObjectifIndex(ch.ref, ch.titre, ch.satisfaction)
            for cid in sorted(
                (x for x in crit_cov if nodes[x].parent_id == ch.id), key=lambda x: nodes[x].ordre
            ):
                cc = crit_cov[cid]
                oi.criteres.append(CritereIndex(cc.ref, cc.titre, rules.NIVEAUX.get(cc.niveau or "", "—"), cc.satisfaction,
                                                cc.imperatif_non_atteint, elements.get(cid, []), preuves_of.get(cid, [])))  # fmt: skip
            ci.objectifs.append(oi)
        chapitres.append(ci)
    data = DossierData(
        e.raison_sociale if e else "", syn.campagne, campagne_id, syn.referentiel, version, le, syn.date_visite, syn.global_pct,
        syn.projection.libelle, syn.projection.motifs, syn.evalues, syn.a_evaluer, chapitres, syn.a_faire,
        {f.chemin: f.sha256 for f in fichiers},
        [(f"{c.ref} {c.titre}", {rules.REPONSES.get(k, k): v for k, v in c.par_reponse.items()} | {"Non évalué": c.a_evaluer - c.evalues}) for c in syn.chapitres],
        [(o.ref, {rules.REPONSES.get(k, k): v for k, v in o.par_reponse.items()} | {"Non évalué": o.a_evaluer - o.evalues}) for o in syn.objectifs],
    )  # fmt: skip
    data.seuils = syn.seuils.as_dict()
    row = campagnes.campagne(db, campagne_id)
    data.perimetre = " ; ".join(x for x in (row.sites, row.secteurs) if x)
    data.seances = [(rules.METHODES.get(x.methode, x.methode), x.date, x.service, x.equipe, x.reponses)
                    for x in campagnes.sessions(db, campagne_id)]  # fmt: skip
    return data, fichiers


def _stream_blob(db: Database, blob_id: int):  # type: ignore[no-untyped-def]
    """Yield a blob's bytes in chunks: SQLite's incremental reading when available, else the whole value."""
    if db.engine.dialect.name == "sqlite":
        raw = db.engine.raw_connection()
        try:
            con = raw.driver_connection
            if hasattr(con, "blobopen"):
                with con.blobopen("blob", "contenu", blob_id, readonly=True) as b:  # type: ignore[union-attr]
                    while chunk := b.read(CHUNK):
                        yield chunk
                return
        finally:
            raw.close()
    with db.session() as s:
        data = s.scalar(select(Blob.contenu).where(Blob.id == blob_id)) or b""
    for i in range(0, len(data), CHUNK):
        yield data[i : i + CHUNK]


@dataclass(frozen=True)
class ExportResult:
    chemin: Path
    fichiers: int
    octets: int
    reference: str
    signe: bool
    index_sha256: str


def exporter(
    db: Database, campagne_id: int, out: Path, *, identity: str | None = None, password: str | None = None,
    progress: Any = None, le: date | None = None, compression: int = zipfile.ZIP_STORED,
) -> ExportResult:  # fmt: skip
    """Write the dossier ZIP. ``progress``: an object with ``step(done, total, text)`` that raises to cancel."""
    from qualite_app.certification.report import INDEX_DOSSIER
    from qualite_app.rapports import services as rapports

    out = Path(out)
    if out.exists() and out.is_dir():
        raise UserError(f"« {out} » est un dossier : donnez un nom de fichier .zip.")
    data, fichiers = gather(db, campagne_id, le=le)
    total = len(fichiers) + 1
    tmp = out.with_name(f".{out.name}.partiel")
    sums: list[tuple[str, str]] = []
    manifest: list[dict[str, Any]] = []
    written = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression, allowZip64=True) as zf:
            for i, f in enumerate(fichiers):
                if progress is not None:
                    progress.step(i, total, f"Preuve {i + 1} / {len(fichiers)} : {f.titre[:60]}")
                h = hashlib.sha256()
                zi = zipfile.ZipInfo(f.chemin, date_time=_zip_time(f.date_preuve))
                zi.compress_type = compression
                with zf.open(zi, "w", force_zip64=f.taille > 0x7FFFFFFF) as w:
                    for chunk in _stream_blob(db, f.blob_id):
                        h.update(chunk)
                        w.write(chunk)
                if h.hexdigest() != f.sha256:
                    raise UserError(
                        f"La preuve « {f.titre} » ne correspond plus à son empreinte dans la base : export interrompu."
                    )
                written += f.taille
                sums.append((f.sha256, f.chemin))
                manifest.append({"chemin": f.chemin, "sha256": f.sha256, "taille": f.taille, "preuve_id": f.preuve_id,
                                 "titre": f.titre, "date_preuve": _iso(f.date_preuve), "valide_jusqu_au": _iso(f.valide_jusqu_au),
                                 "criteres": f.criteres})  # fmt: skip
            if progress is not None:
                progress.step(len(fichiers), total, "Index signé et inscrit au registre…")
            row = rapports.emettre(db, INDEX_DOSSIER, data, identity=identity, password=password)
            extra = {"index.pdf": row.pdf, "criteres.csv": _csv(data)}
            head = {"format": FORMAT, "etablissement": data.etablissement, "campagne": data.campagne, "referentiel": data.referentiel,
                    "version": data.version, "situation_au": data.le.isoformat(), "genere_le": datetime.now().isoformat(timespec="seconds"),
                    "index": {"chemin": "index.pdf", "reference": row.reference, "sha256": row.sha256, "signe": row.signe}}  # fmt: skip
            for name, content in extra.items():
                zf.writestr(name, content)
                sums.append((hashlib.sha256(content).hexdigest(), name))
            mf = json.dumps({**head, "fichiers": manifest}, ensure_ascii=False, indent=1).encode("utf-8")
            zf.writestr("manifest.json", mf)
            sums.append((hashlib.sha256(mf).hexdigest(), "manifest.json"))
            zf.writestr(
                "SHA256SUMS",
                "".join(f"{h}  {p}\n" for h, p in sorted(sums, key=lambda x: x[1])).encode("utf-8"),
            )
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress.step(total, total, "Dossier écrit.")
    return ExportResult(out, len(fichiers), written, row.reference, row.signe, row.sha256)


def _zip_time(d: date | None) -> tuple[int, int, int, int, int, int]:
    d = d if d is not None and d.year >= 1980 else date(1980, 1, 1)
    return (d.year, d.month, d.day, 12, 0, 0)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _csv(data: DossierData) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Chapitre", "Objectif", "Critère", "Intitulé", "Niveau", "Satisfaction (%)", "Impératif non atteint",
                "Éléments évalués", "Éléments", "Preuves"])  # fmt: skip
    for ch in data.chapitres:
        for o in ch.objectifs:
            for c in o.criteres:
                done = sum(1 for e in c.elements if e.reponse != "Non évalué")
                sat = "" if c.satisfaction is None else f"{c.satisfaction:.1f}".replace(".", ",")
                w.writerow([ch.ref, o.ref, c.ref, c.titre, c.niveau, sat, "oui" if c.imperatif_non_atteint else "non", done,
                            len(c.elements), len(c.preuves)])  # fmt: skip
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
