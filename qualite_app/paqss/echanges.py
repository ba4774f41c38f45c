"""PAQSS import through the one pipeline (``exchange.pipeline``): read, map, convert, then match people and
structure; the preview runs the commit's own code in a rolled-back transaction (``pipeline.essai``), then the
commit writes all or nothing, idempotent by reference. The exports are in ``paqss.exports`` (re-exported here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qualite_app.errors import UserError
from qualite_app.exchange import pipeline
from qualite_app.exchange.pipeline import refusal_message
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss import xlsx as xl
from qualite_app.paqss.correspondances import (
    People,
    find_service,
    fold_cached,
    new_person,
    pilots,
    services_index,
    split_code,
    split_list,
    split_pair,
)
from qualite_app.paqss.exports import LIST_SEPARATOR, deadlines, export, export_ics, records
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssActionCopilote,
    PaqssActionService,
    PaqssAxe,
    PaqssObjectif,
    PaqssProgramme,
)
from qualite_app.rules.text import fold
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database

_ACTION_TABLE: Any = PaqssAction.__table__
MOTIF_IMPORT = "Motif non précisé dans le fichier importé."


@dataclass(frozen=True)
class PreviewRow:
    ligne: int
    reference: str
    titre: str
    axe: str
    objectif: str
    pilote: str
    echeance: date | None
    operation: str  # « création » or « mise à jour »


@dataclass
class ImportPreview:
    path: Path
    sheet: str
    sheets: list[str]
    headers: list[str]
    mapping: dict[int, str]
    lignes: list[PreviewRow] = field(default_factory=list)
    refus: list[xl.Refus] = field(default_factory=list)
    personnes_inconnues: list[str] = field(default_factory=list)
    services_inconnus: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    rows: list[xl.ParsedRow] = field(default_factory=list)  # read and typed, before matching
    programme_id: int | None = None
    today: date | None = None

    @property
    def creations(self) -> int:
        return sum(1 for r in self.lignes if r.operation == "création")

    @property
    def mises_a_jour(self) -> int:
        return sum(1 for r in self.lignes if r.operation == "mise à jour")

    def lines(self) -> list[str]:
        """The preview as text (command line)."""
        out = [
            f"Feuille « {self.sheet} » : {len(self.lignes)} ligne(s) acceptée(s) ({self.creations} création(s), {self.mises_a_jour} mise(s) à jour), {len({r.ligne for r in self.refus})} refusée(s)."
        ]
        for r in self.lignes:
            out.append(f"  + ligne {r.ligne} : {r.operation} {r.reference} — {r.titre}")
        for f in self.refus:
            out.append(f"  ✗ ligne {f.ligne}, colonne « {f.colonne} », valeur « {f.valeur} » : {f.motif}")
        if self.personnes_inconnues:
            out.append(
                "  Personnes absentes de l'annuaire (créées si vous confirmez) : "
                + ", ".join(self.personnes_inconnues)
            )
        if self.services_inconnus:
            out.append("  Services inconnus (ignorés) : " + ", ".join(self.services_inconnus))
        out += [f"  ! {w}" for w in self.avertissements]
        return out


@dataclass(frozen=True)
class ImportResult:
    creees: int
    mises_a_jour: int
    personnes_creees: int
    programme_id: int


def read_headers(path: Path, sheet: str | None = None) -> xl.Table:
    return xl.read_table(Path(path), sheet)


def preview_import(
    db: Database,
    path: Path,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    *,
    colonnes: list[tuple[str, str]] | None = None,
    programme_id: int | None = None,
    today: date | None = None,
) -> ImportPreview:
    """Read and check everything, then run the commit's own code in a transaction that is rolled back:
    the preview and the import cannot disagree. ``colonnes``: explicit (column header, field) pairs."""
    p = _read(path, sheet, mapping, colonnes, programme_id, today)
    if p.rows:
        _fill(p, pipeline.essai(db, lambda s: _apply_preview(s, p, creer_personnes=True)))
    return p


def import_file(
    db: Database,
    path: Path,
    sheet: str | None = None,
    *,
    colonnes: list[tuple[str, str]] | None = None,
    programme_id: int | None = None,
    ignorer_erreurs: bool = False,
    creer_personnes: bool = True,
    today: date | None = None,
) -> tuple[ImportPreview, ImportResult | None]:
    """Preview and import in ONE pass (the command line without ``--dry-run``): the same code as
    ``preview_import`` then ``commit_import``, run once in a unit of work that is rolled back when a row is
    refused (unless ``ignorer_erreurs``). Returns the preview, and the result when something was written."""
    p = _read(path, sheet, None, colonnes, programme_id, today)
    if not p.rows or (p.refus and not ignorer_erreurs):
        return p, None

    class _Refuse(Exception):
        pass

    result: ImportResult | None = None
    try:
        with db.unit_of_work() as s:
            plan = _apply_preview(s, p, creer_personnes=creer_personnes)
            _fill(p, plan)
            if (p.refus and not ignorer_erreurs) or not plan.lignes:
                raise _Refuse
            result = ImportResult(plan.creees, plan.mises_a_jour, plan.personnes_creees, plan.programme_id)
    except _Refuse:
        return p, None
    return p, result


def _read(
    path: Path, sheet: str | None, mapping: dict[int, str] | None, colonnes: list[tuple[str, str]] | None,
    programme_id: int | None, today: date | None,
) -> ImportPreview:  # fmt: skip
    known = [c for c, _f in colonnes or []]
    table = xl.read_table(Path(path), sheet, known=known)
    if mapping is None:
        mapping = xl.guess_mapping(table.headers)
        if colonnes:
            mapping = xl.explicit_mapping(table.headers, mapping, colonnes)
    xl.check_mapping(table, mapping, Path(path).name)
    ok, refus = xl.parse_rows(table, mapping)
    p = ImportPreview(Path(path), table.sheet, table.sheets, table.headers, mapping, refus=refus)
    p.avertissements += xl.formula_warnings(table, mapping)
    p.rows = ok
    p.programme_id, p.today = programme_id, today
    return p


def _apply_preview(s: Session, p: ImportPreview, *, creer_personnes: bool) -> _Plan:
    return _apply_rows(
        s, p.headers, p.mapping, p.rows, creer_personnes=creer_personnes, programme_id=p.programme_id,
        today=p.today or date.today(),
    )  # fmt: skip


def _fill(p: ImportPreview, plan: _Plan) -> None:
    p.lignes = plan.lignes
    p.refus = sorted([*p.refus, *plan.refus], key=lambda r: r.ligne)
    p.personnes_inconnues = list(plan.personnes_inconnues)
    p.services_inconnus = list(plan.services_inconnus)
    p.avertissements += plan.avertissements


def commit_import(
    db: Database,
    preview: ImportPreview,
    *,
    ignorer_erreurs: bool = False,
    creer_personnes: bool = True,
    programme_id: int | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write the accepted rows in ONE transaction, by the very code the preview ran; any failure leaves
    the database untouched. A file with a refused row imports nothing, unless ``ignorer_erreurs`` (an
    explicit choice: only the valid rows are imported)."""
    if preview.refus and not ignorer_erreurs:
        raise UserError(refusal_message(preview.refus))
    if not preview.rows:
        raise UserError("Aucune ligne ne peut être importée : corrigez le fichier d'après l'aperçu.")
    with db.unit_of_work() as s:
        plan = _apply_rows(
            s,
            preview.headers,
            preview.mapping,
            preview.rows,
            creer_personnes=creer_personnes,
            programme_id=programme_id if programme_id is not None else preview.programme_id,
            today=today or preview.today or date.today(),
            progress=progress,
        )
        if plan.refus and not ignorer_erreurs:  # the base changed since the preview: still all or nothing
            raise UserError(refusal_message(plan.refus))
        if not plan.lignes:
            raise UserError("Aucune ligne ne peut être importée : corrigez le fichier d'après l'aperçu.")
        return ImportResult(plan.creees, plan.mises_a_jour, plan.personnes_creees, plan.programme_id)


@dataclass
class _Plan:
    """What applying the rows did (commit) or would do (preview, rolled back)."""

    programme_id: int
    lignes: list[PreviewRow] = field(default_factory=list)
    refus: list[xl.Refus] = field(default_factory=list)
    personnes_inconnues: dict[str, None] = field(default_factory=dict)
    services_inconnus: dict[str, None] = field(default_factory=dict)
    avertissements: list[str] = field(default_factory=list)
    creees: int = 0
    mises_a_jour: int = 0
    personnes_creees: int = 0


def _apply_rows(
    s: Session,
    headers: list[str],
    mapping: dict[int, str],
    rows: list[xl.ParsedRow],
    *,
    creer_personnes: bool,
    programme_id: int | None,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> _Plan:
    """THE import: match, create or update every row in session ``s``; the preview runs it then rolls back."""
    prog = s.get(PaqssProgramme, programme_id) if programme_id else None
    if prog is None:
        pid = s.scalar(
            select(PaqssProgramme.id).order_by(PaqssProgramme.debut.desc(), PaqssProgramme.id.desc())
        )
        prog = s.get(PaqssProgramme, pid) if pid else None
    if prog is None:
        prog = PaqssProgramme(
            nom=f"PAQSS {today.year}", debut=date(today.year, 1, 1), fin=date(today.year, 12, 31)
        )
        s.add(prog)
        s.flush()
    axes = {fold(a.titre): a for a in s.scalars(select(PaqssAxe).where(PaqssAxe.programme_id == prog.id))}
    objectifs = {
        (o.axe_id, fold(o.titre)): o
        for o in s.scalars(select(PaqssObjectif).join(PaqssAxe).where(PaqssAxe.programme_id == prog.id))
    }
    mapped = set(mapping.values())
    q = select(PaqssAction)
    if mapped & {"autres_copilotes", "autres_services"}:
        q = q.options(selectinload(PaqssAction.autres_copilotes), selectinload(PaqssAction.autres_services))
    by_ref: dict[str, Any] = {a.reference: a for a in s.scalars(q)}
    # rows without a reference are matched by title: only then is the title index needed
    need_titles = any(not r.values.get("reference") for r in rows)
    by_title: dict[tuple[int, str], Any] = (
        {(a.objectif_id, fold(a.titre)): a for a in by_ref.values()} if need_titles else {}
    )
    people = People(s)
    services = services_index(s)
    created_people = 0
    year = max(prog.debut.year if prog.debut else today.year, today.year)
    next_n = int(rules.prochaine_reference(year, by_ref).rsplit("-", 1)[1])
    creees = maj = 0
    pending: list[dict[str, Any]] = []
    teams: dict[str, tuple[list[int], list[int]]] = {}  # new actions: reference -> extra co-pilots, services
    total = len(rows)
    plan = _Plan(programme_id=prog.id)
    touched: dict[str, int] = {}  # reference of every action the file touches -> its line

    def column(f: str, default: str) -> str:
        return next((headers[j] for j, g in mapping.items() if g == f and headers[j]), default)

    source_of = {name: name for name in paqss.ACTION_FIELDS} | {
        "pilote_id": "pilote", "copilote_id": "copilote" if "copilote" in mapped else "pilote", "service_id": "service",
        "objectif_id": "objectif" if "objectif" in mapped else "axe", "motif_statut": "statut", "realisee_le": "statut",
    }  # fmt: skip
    for i, row in enumerate(rows):
        v = row.values
        ref = v.get("reference") or ""
        if ref and ref in touched:
            plan.refus.append(
                xl.Refus(row.ligne, column("reference", "Référence"), ref,
                         f"Référence déjà présente ligne {touched[ref]} du même fichier.")
            )  # fmt: skip
            continue
        axe = _axe(s, prog, axes, v.get("axe") or "Actions importées")
        obj = _objectif(s, axe, objectifs, v.get("objectif") or "Objectif général")
        a = by_ref.get(ref) if ref else by_title.get((obj.id, fold(v["titre"])))
        if a is not None:
            key = a["reference"] if isinstance(a, dict) else a.reference
            if key in touched:  # one action, two rows: which one is right is the user's call, never ours
                plan.refus.append(
                    xl.Refus(row.ligne, column("titre", "Action"), v["titre"],
                             f"Même action que la ligne {touched[key]} du même fichier (même intitulé, même axe, même objectif, "
                             "sans référence) : donnez une référence à chaque ligne pour créer deux actions, ou supprimez le doublon.")
                )  # fmt: skip
                continue
        ids: list[int | None] = []
        extra_names = split_list(v.get("autres_copilotes"))
        for name in [*pilots(v), *extra_names]:
            pid = people.find(name)
            if pid is None and name:
                plan.personnes_inconnues[name] = None
            if pid is None and name and creer_personnes:
                person = new_person(s, name)
                s.flush()
                people._add(person.id, person.prenom, person.nom)
                pid = person.id
                created_people += 1
            ids.append(pid)
        ids, extra_ids = ids[: len(ids) - len(extra_names)], ids[len(ids) - len(extra_names) :]
        for srv_name in [v.get("service"), *split_list(v.get("autres_services"))]:
            if srv_name and find_service(services, srv_name) is None:
                plan.services_inconnus[srv_name] = None
        statut = v.get("statut") or rules.A_LANCER
        motif = v.get("motif_statut") or (MOTIF_IMPORT if statut in rules.AVEC_MOTIF else None)
        decision = rules.check_status(
            statut, avancement=v.get("avancement") or 0, motif=motif, jalons_ouverts=0, confirme=True, today=today,
            realisee_le=v.get("realisee_le") or (a.realisee_le if a is not None else None),
        )  # fmt: skip
        new = {
            "objectif_id": obj.id,
            "titre": v["titre"],
            "description": v.get("description"),
            "source": v.get("source") or "autre",
            "source_detail": v.get("source_detail"),
            "priorite": v.get("priorite") or 2,
            "pilote_id": ids[0] if ids else None,
            "copilote_id": ids[1] if len(ids) > 1 and ids[1] != ids[0] else None,
            "service_id": find_service(services, v["service"]) if v.get("service") else None,
            "date_debut": v.get("date_debut"),
            "echeance": v.get("echeance"),
            "echeance_revisee": v.get("echeance_revisee"),
            "statut": decision.statut,
            "motif_statut": motif,
            "avancement": decision.avancement,
            "resultat_attendu": v.get("resultat_attendu"),
            "indicateur": v.get("indicateur"),
            "indicateur_initial": v.get("indicateur_initial"),
            "indicateur_cible": v.get("indicateur_cible"),
            "validation_cme_le": v.get("validation_cme_le"),
            "realisee_le": decision.realisee_le,
        }
        tandem = {new["pilote_id"], new["copilote_id"]}
        team = (
            sorted({p for p in extra_ids if p is not None and p not in tandem}),
            sorted(
                {x for x in (find_service(services, n) for n in split_list(v.get("autres_services")))
                 if x is not None and x != new["service_id"]}
            ),
        )  # fmt: skip
        if statut in rules.AVEC_MOTIF and not v.get("motif_statut"):
            plan.avertissements.append(
                f"Ligne {row.ligne} : statut « {rules.statut_label(statut)} » sans motif ; « {MOTIF_IMPORT} » sera enregistré."
            )
        names = pilots(v)
        line = PreviewRow(row.ligne, ref, v.get("titre") or "", v.get("axe") or "", v.get("objectif") or "",
                          " / ".join(n for n in names if n), v.get("echeance"), "création" if a is None else "mise à jour")  # fmt: skip
        if a is None:
            if not ref:
                ref = f"PAQSS-{year}-{next_n:03d}"
                next_n += 1
            # new actions are inserted together at the end (Core, one statement) and journaled alike
            values = {"reference": ref, **new, "cle_recherche": _search_key(new, ref)}
            pending.append(values)
            touched[ref] = row.ligne
            plan.lignes.append(replace(line, reference=ref))
            teams[ref] = team
            by_ref[ref] = values
            if need_titles:
                by_title[(obj.id, fold(values["titre"]))] = values
            creees += 1
            if progress is not None and i % 200 == 0:
                progress(i, total)
            continue
        else:
            maj += 1
            touched[a.reference] = row.ligne
            plan.lignes.append(replace(line, reference=a.reference))
            for name, value in new.items():
                if source_of[name] not in mapped:
                    continue  # a column absent from the file never erases what the database knows
                if getattr(a, name) != value:
                    setattr(a, name, value)
            if "autres_copilotes" in mapped or "autres_services" in mapped:
                cops = (
                    team[0] if "autres_copilotes" in mapped else [c.personne_id for c in a.autres_copilotes]
                )
                srvs = team[1] if "autres_services" in mapped else [x.service_id for x in a.autres_services]
                if paqss.sync_team(
                    s,
                    a,
                    [p for p in cops if p not in (a.pilote_id, a.copilote_id)],
                    [x for x in srvs if x != a.service_id],
                ):  # the team changed, the action's row perhaps not: its version moves all the same (a form
                    # opened on it is told, not written over it: paqss/services/directe.py)
                    a.version = a.version + 1
        key = paqss.search_key(a)
        if a.cle_recherche != key:
            a.cle_recherche = key
        if need_titles:
            by_title[(obj.id, fold(a.titre))] = a
        if progress is not None and i % 200 == 0:
            progress(i, total)
    if pending:
        from sqlalchemy import insert

        from qualite_app.storage.journal_core import journal_bulk_insert

        s.flush()
        conn = s.connection()
        now = utcnow()
        conn.execute(insert(_ACTION_TABLE), [r | {"cree_le": now, "modifie_le": now} for r in pending])
        refs = [r["reference"] for r in pending]
        id_of: dict[str, int] = {}
        for chunk in range(0, len(refs), 900):
            id_of.update(
                (r, i)
                for r, i in conn.execute(
                    select(PaqssAction.reference, PaqssAction.id).where(
                        PaqssAction.reference.in_(refs[chunk : chunk + 900])
                    )
                )
            )
        journal_bulk_insert(
            s,
            PaqssAction,
            pending,
            [id_of[r] for r in refs],
            label=lambda v: f"{v['reference']} — {v['titre']}",
        )
        for r in refs:
            cops, srvs = teams.get(r, ([], []))
            s.add_all(PaqssActionCopilote(action_id=id_of[r], personne_id=pid) for pid in cops)
            s.add_all(PaqssActionService(action_id=id_of[r], service_id=sid) for sid in srvs)
        s.flush()
    plan.creees, plan.mises_a_jour, plan.personnes_creees = creees, maj, created_people
    return plan


def _search_key(values: dict[str, Any], reference: str) -> str:
    from types import SimpleNamespace

    return paqss.search_key(
        SimpleNamespace(
            reference=reference,
            **{k: values.get(k) for k in ("titre", "description", "source_detail", "indicateur", "source")},
        )
    )


def _axe(s: Session, prog: PaqssProgramme, axes: dict[str, PaqssAxe], label: str) -> PaqssAxe:
    code, titre = split_code(label)
    a = axes.get(fold_cached(titre))
    if a is None:
        a = PaqssAxe(programme_id=prog.id, code=code, titre=titre, ordre=len(axes) + 1)
        s.add(a)
        s.flush()
        axes[fold_cached(titre)] = a
    return a


def _objectif(
    s: Session, axe: PaqssAxe, objectifs: dict[tuple[int, str], PaqssObjectif], label: str
) -> PaqssObjectif:
    code, titre = split_code(label)
    o = objectifs.get((axe.id, fold_cached(titre)))
    if o is None:
        n = sum(1 for k in objectifs if k[0] == axe.id)
        o = PaqssObjectif(axe_id=axe.id, code=code, titre=titre, ordre=n + 1)
        s.add(o)
        s.flush()
        objectifs[(axe.id, fold_cached(titre))] = o
    return o


__all__ = [
    "LIST_SEPARATOR", "ImportPreview", "ImportResult", "People", "PreviewRow", "commit_import", "deadlines", "export",
    "export_ics", "import_file", "preview_import", "read_headers", "records", "refusal_message", "split_code", "split_list", "split_pair",
]  # fmt: skip
