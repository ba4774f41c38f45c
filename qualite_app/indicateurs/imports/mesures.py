"""Importing results in long format (code, period, service, numerator, denominator, value…): propose a
mapping of the columns, preview every row, then commit all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.etablissement.annuaire import services_index
from qualite_app.exchange import pipeline
from qualite_app.exchange.colonnes import Colonnes
from qualite_app.exchange.tableur import Table, read_table
from qualite_app.indicateurs import services as ind_svc
from qualite_app.indicateurs.models import Indicateur, IndicateurMesure
from qualite_app.indicateurs.services import MesureData
from qualite_app.rules import periodes
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database

# --- long format ---------------------------------------------------------------------------------------
#: field → (French label, header synonyms compared folded, without spaces or punctuation)
CHAMPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": ("Code indicateur", ("code", "code indicateur", "indicateur", "ind")),
    "periode": ("Période", ("periode", "period", "mois", "date", "annee", "trimestre")),
    "service": ("Service", ("service", "unite", "uf", "secteur")),
    "numerateur": ("Numérateur", ("numerateur", "num", "nombre", "evenements")),
    "denominateur": ("Dénominateur", ("denominateur", "den", "denom", "effectif", "base")),
    "valeur": ("Valeur", ("valeur", "resultat", "taux", "score", "value")),
    "classe": ("Classe", ("classe", "class")),
    "statut": ("Statut", ("statut", "status", "etat")),
    "commentaire": ("Commentaire", ("commentaire", "commentaires", "remarque", "note")),
}
OBLIGATOIRES = ("code", "periode")
COLONNES = Colonnes(CHAMPS)


def cle_entete(text: object) -> str:
    """A code or header compared without spaces or punctuation (HAS codes: « ESATIS48H » = « e-Satis 48 h »)."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text or "")))


def propose_mapping(headers: list[str]) -> dict[str, str | None]:
    """Field → header, guessed by the shared column matcher (the user can change it)."""
    guess = COLONNES.guess_mapping(headers)
    by_field = {f: headers[i] for i, f in guess.items()}
    return {f: by_field.get(f) for f in CHAMPS}


@dataclass(frozen=True)
class LigneApercu:
    ligne: int  # row number in the file (header = 1)
    code: str
    periode: str
    service: str
    numerateur: float | None
    denominateur: float | None
    valeur: float | None
    classe: str | None
    statut: str | None
    action: str  # "création" / "mise à jour"


@dataclass
class Apercu:
    fichier: str
    lignes: list[LigneApercu] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    #: what the import will read again, by the same code (``commit``)
    table: Table | None = field(default=None, repr=False)
    mapping: dict[str, str | None] = field(default_factory=dict, repr=False)

    @property
    def creations(self) -> int:
        return sum(1 for x in self.lignes if x.action == "création")

    @property
    def mises_a_jour(self) -> int:
        return sum(1 for x in self.lignes if x.action == "mise à jour")

    def resume(self) -> str:
        if self.erreurs:
            return (
                f"{len(self.erreurs)} erreur(s) : rien ne sera importé tant qu'elles ne sont pas corrigées."
            )
        return f"{len(self.lignes)} résultat(s) : {self.creations} nouveau(x), {self.mises_a_jour} mise(s) à jour."


_ETABLISSEMENT = {"", "etablissement", "etab", "global", "tous", "total", "ensemble"}


def preview_mesures(db: Database, table: Table, mapping: dict[str, str | None]) -> Apercu:
    """Check every row against the indicators and services of the base and write them, in a transaction that
    is rolled back (``pipeline.essai``): the preview runs the import's own code; nothing is written."""
    return pipeline.essai(db, lambda s: _appliquer(s, table, mapping))


def _appliquer(s: Session, table: Table, mapping: dict[str, str | None]) -> Apercu:
    """The import itself, in the caller's transaction: every row checked, the results written when no row
    is refused (the preview rolls this back; ``commit`` runs it in a unit of work)."""
    ap = Apercu(table.name, table=table, mapping=dict(mapping))
    for f in OBLIGATOIRES:
        if not mapping.get(f):
            ap.erreurs.append(f"Choisissez la colonne « {CHAMPS[f][0]} ».")
    if not any(mapping.get(f) for f in ("valeur", "numerateur", "classe", "statut")):
        ap.erreurs.append(
            "Choisissez au moins une colonne de résultat (valeur, numérateur/dénominateur, classe ou statut)."
        )
    if ap.erreurs:
        return ap
    cols = {f: table.column(h) for f, h in mapping.items() if h}
    inds = {i.code.upper(): (i.id, i.type, i.echelle, i.unite) for i in s.scalars(select(Indicateur))}
    existing = {
        (iid, per, sid)
        for iid, per, sid in s.execute(
            select(IndicateurMesure.indicateur_id, IndicateurMesure.periode, IndicateurMesure.service_id)
        )
    }
    services = services_index(s, cle_entete)
    donnees: list[tuple[int, MesureData]] = []
    seen: dict[tuple[int, str, int | None], int] = {}

    def cell(row: list[Any], f: str) -> Any:
        k = cols.get(f)
        return row[k] if k is not None else None

    for k, row in enumerate(table.rows):
        n = table.line(k)
        where = f"Ligne {n}"
        code = str(cell(row, "code") or "").strip().upper()
        if not code:
            ap.erreurs.append(f"{where}, colonne « {mapping['code']} » : code d'indicateur vide.")
            continue
        if code not in inds:
            ap.erreurs.append(
                f"{where}, colonne « {mapping['code']} » : aucun indicateur de code « {code} »."
            )
            continue
        iid, typ, echelle, unite = inds[code]
        raw_service = cell(row, "service")
        sid: int | None = None
        if cle_entete(raw_service) not in _ETABLISSEMENT:
            sid = services.get(cle_entete(raw_service))
            if sid is None:
                ap.erreurs.append(
                    f"{where}, colonne « {mapping['service']} » : service « {raw_service} » inconnu."
                )
                continue
        values: dict[str, float | None] = {}
        bad = False
        for f in ("numerateur", "denominateur", "valeur"):
            raw = cell(row, f)
            if isinstance(raw, str) and raw.strip().upper() in ind_svc.STATUTS and f == "valeur":
                values[f] = None
                continue
            try:
                values[f] = ind_svc.parse_nombre(raw, CHAMPS[f][0])
            except ValueError as exc:
                ap.erreurs.append(f"{where}, colonne « {mapping[f]} » : {exc}")
                bad = True
                continue
            err = ind_svc.erreur_nombre(f, values[f], typ, echelle, unite)
            if err:
                ap.erreurs.append(f"{where}, colonne « {mapping[f]} » : {err}")
                bad = True
        if bad:
            continue
        statut = str(cell(row, "statut") or "").strip() or None
        raw_val = cell(row, "valeur")
        if statut is None and isinstance(raw_val, str) and raw_val.strip().upper() in ind_svc.STATUTS:
            statut = raw_val.strip().upper()
        m = MesureData(
            periode=str(cell(row, "periode"))
            if not hasattr(cell(row, "periode"), "year")
            else cell(row, "periode"),
            valeur=values.get("valeur"),
            numerateur=values.get("numerateur"),
            denominateur=values.get("denominateur"),
            classe=str(cell(row, "classe") or "").strip() or None,
            statut=statut,
            commentaire=str(cell(row, "commentaire") or "").strip() or None,
            source=table.name,
            service_id=sid,
        )
        try:
            clean = ind_svc.clean_mesure(m, typ, echelle, where, unite=unite)
        except UserError as exc:
            ap.erreurs.append(exc.message)
            continue
        key = (iid, clean.periode, sid)
        if key in seen:
            ap.erreurs.append(f"{where} : même indicateur, période et service que la ligne {seen[key]}.")
            continue
        seen[key] = n
        donnees.append((iid, clean))
        ap.lignes.append(
            LigneApercu(
                n,
                code,
                periodes.from_code(clean.periode).libelle,
                str(raw_service or "Établissement"),
                clean.numerateur,
                clean.denominateur,
                clean.valeur,
                clean.classe,
                clean.statut,
                "mise à jour" if key in existing else "création",
            )  # fmt: skip
        )
    if not ap.lignes and not ap.erreurs:
        ap.erreurs.append("Le fichier ne contient aucune ligne de résultat.")
    if not ap.erreurs:
        by_ind: dict[int, list[MesureData]] = {}
        for iid, m in donnees:
            by_ind.setdefault(iid, []).append(m)
        for iid, rows in by_ind.items():
            ind = s.get(Indicateur, iid)
            if ind is None:  # pragma: no cover - read in this very transaction
                raise UserError("Un indicateur a été supprimé pendant l'import : rien n'a été importé.")
            ind_svc.upsert_mesures(s, ind, rows)
    return ap


def commit(db: Database, ap: Apercu) -> int:
    """Import what was previewed, by the preview's own code, in one transaction; refused when the preview
    (or the base, changed since) has errors: then nothing is written."""
    if ap.erreurs or ap.table is None:
        raise UserError("Import refusé : " + ap.resume() + "\n" + "\n".join(ap.erreurs[:10]))
    table = ap.table
    with db.unit_of_work() as s:
        again = _appliquer(s, table, ap.mapping)
        if again.erreurs:
            raise UserError("Import refusé : " + again.resume() + "\n" + "\n".join(again.erreurs[:10]))
        return len(again.lignes)


def import_mesures(db: Database, path: Path | str, *, dry_run: bool = False) -> Apercu:
    table = read_table(path)
    ap = preview_mesures(db, table, propose_mapping(table.headers))
    if not dry_run:
        commit(db, ap)
    return ap
