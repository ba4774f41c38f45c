"""Importing events exported from a declaration tool (xlsx/csv) through the one import pipeline: read →
find the header → map the columns (synonyms, ``--map``) → convert every cell → check every row with the
declaration's own validation → preview (the import's code, rolled back) → commit all or nothing.

Idempotent by reference: a reference already in the base updates that event (the journal keeps the old
values), an unchanged row is left alone. Without a reference column an event already present (same
occurrence time, type and facts) is not imported twice. New events are inserted in bulk and journaled
by ``journal_bulk_insert``: 10,000 rows import in the time of a couple of spreadsheet reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.annuaire import services_index
from qualite_app.etablissement.models import Service
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements.models import Evenement
from qualite_app.evenements.services import saisie
from qualite_app.exchange import colonnes as col
from qualite_app.exchange import pipeline
from qualite_app.exchange.pipeline import Refus
from qualite_app.exchange.tableur import Table, read_rows
from qualite_app.rules import formats
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database

#: field → (French label, header synonyms)
CHAMPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "reference": ("Référence", ("reference", "ref", "n°", "numero", "identifiant", "id", "numero de fiche", "n° fiche")),
    "survenu_le": ("Date de survenue", ("date de survenue", "survenu le", "date de l'evenement", "date evenement", "date", "date et heure")),
    "heure": ("Heure", ("heure", "heure de survenue")),
    "declare_le": ("Date de déclaration", ("date de declaration", "declare le", "date declaration", "date de signalement")),
    "service": ("Service", ("service", "unite", "uf", "unite fonctionnelle", "secteur")),
    "lieu": ("Lieu précis", ("lieu", "lieu precis", "localisation", "endroit")),
    "type_code": ("Type", ("type", "type d'evenement", "categorie", "nature", "famille")),
    "sous_type_code": ("Sous-type", ("sous-type", "sous type", "sous categorie", "sous-categorie")),
    "faits": ("Description des faits", ("description", "faits", "description des faits", "resume", "circonstances")),
    "mesures_immediates": ("Mesures immédiates", ("mesures immediates", "actions immediates", "mesures prises")),
    "consequences": ("Conséquences", ("consequences", "consequence", "impact")),
    "gravite": ("Gravité", ("gravite", "niveau de gravite", "severite", "gravite constatee")),
    "informe": ("Patient informé / divulgation", ("patient informe", "information du patient", "divulgation", "informe")),
    "declarant_role": ("Fonction du déclarant", ("fonction du declarant", "declarant", "profession", "qualite du declarant")),
    "statut": ("Statut", ("statut", "etat", "etape")),
}  # fmt: skip
COLONNES = col.Colonnes(CHAMPS)
OBLIGATOIRES = ("survenu_le", "type_code", "faits")
_TIME_RE = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})?")
_OUI = {"oui", "o", "vrai", "true", "1", "x", "yes", "faite", "fait"}
_NON = {"non", "n", "faux", "false", "0", "no", "non faite"}


def _heure(raw: Any) -> time | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.time()
    if isinstance(raw, time):
        return raw
    if isinstance(raw, float) and 0 <= raw < 1:  # a spreadsheet time (fraction of a day)
        minutes = round(raw * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    m = _TIME_RE.search(str(raw))
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise ValueError(f"« {raw} » n'est pas une heure (attendu : hh:mm).")
    return time(int(m.group(1)), int(m.group(2) or 0))


def _datetime(raw: Any, order: str | None) -> datetime | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    text = str(raw).strip()
    day, _, rest = text.replace("T", " ").partition(" ")
    d = formats.parse_date(day if rest else text, order)
    if d is None:
        return None
    return datetime.combine(d, _heure(rest) or time()) if rest else datetime.combine(d, time())


def _oui_non(raw: Any, _order: str | None = None) -> bool | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return raw
    k = fold(str(raw))
    if k in _OUI:
        return True
    if k in _NON:
        return False
    raise ValueError(f"« {raw} » : écrivez oui ou non.")


CONVERTERS: dict[str, pipeline.Converter] = {
    "survenu_le": _datetime,
    "declare_le": lambda raw, order: formats.parse_date(raw, order),
    "heure": lambda raw, _o: _heure(raw),
    "informe": _oui_non,
    "reference": lambda raw, _o: formats.cell_text(
        int(raw) if isinstance(raw, float) and raw.is_integer() else raw
    ),
}


@dataclass(frozen=True)
class LigneApercu:
    ligne: int
    reference: str
    survenu_le: datetime
    type_libelle: str
    gravite: str
    action: str  # « création », « mise à jour », « inchangé »


@dataclass
class Apercu:
    fichier: str
    lignes: list[LigneApercu] = field(default_factory=list)
    refus: list[Refus] = field(default_factory=list)
    table: Table | None = field(default=None, repr=False)
    mapping: dict[int, str] = field(default_factory=dict, repr=False)

    def compte(self, action: str) -> int:
        return sum(1 for x in self.lignes if x.action == action)

    def resume(self) -> str:
        return (f"{len(self.lignes)} ligne(s) valide(s) : {self.compte('création')} création(s), "
                f"{self.compte('mise à jour')} mise(s) à jour, {self.compte('inchangé')} inchangée(s) ; "
                f"{len({r.ligne for r in self.refus})} ligne(s) refusée(s).")  # fmt: skip


def lire(
    path: Path | str, *, sheet: str | None = None, pairs: Iterable[tuple[str, str]] = ()
) -> tuple[Table, dict[int, str]]:
    """The file's table (header found under any title rows) and the mapping: guessed, corrected by ``pairs``."""
    pairs = list(pairs)
    f = read_rows(path, sheet=sheet)
    head = col.locate_header(
        [c for _n, c in f.rows], COLONNES, known=[c for c, _ in pairs], title_field="faits", sheet=f.name
    )
    width = len(head.headers)
    body = [
        (n, list(c) + [None] * (width - len(c)))
        for n, c in f.rows[head.debut :]
        if not all(col.blank(x) for x in c)
    ]
    table = Table(head.headers, [c for _n, c in body], f.name, [n for n, _c in body])
    mapping = COLONNES.explicit_mapping(head.headers, COLONNES.guess_mapping(head.headers), pairs)
    missing = [CHAMPS[k][0] for k in OBLIGATOIRES if k not in mapping.values()]
    if missing:
        raise UserError(
            f"« {f.name} » : colonne(s) introuvable(s) : {', '.join(missing)}. Colonnes du fichier : "
            + ", ".join(h for h in head.headers if h) + ". Indiquez-les avec --map \"Colonne=champ\"."
        )  # fmt: skip
    return table, mapping


class _Codes:
    """Codes given as code or label, compared folded: « Médication », « medication » → "medication".
    The folded forms are computed once per import, each distinct cell text once."""

    def __init__(self, choices: dict[str, str]) -> None:
        self.by_key = {fold(k): k for k in choices} | {fold(v): k for k, v in choices.items()}
        self.seen: dict[str, str] = {}

    def __call__(self, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in self.seen:
            self.seen[value] = self.by_key.get(fold(value), "")
        return self.seen[value]


def _appliquer(s: Session, table: Table, mapping: dict[int, str], ignorer: bool, today: date) -> Apercu:
    ap = Apercu(table.name, table=table, mapping=mapping)
    typed, ap.refus = pipeline.convert_rows(
        zip(table.lines or range(2, len(table.rows) + 2), table.rows, strict=False), table.headers, mapping, CONVERTERS,
        date_fields=("survenu_le", "declare_le"), label=COLONNES.label,
    )  # fmt: skip
    country = saisie.pays(s)
    types = catalogue.types(country)
    type_labels = {t.code: t.libelle for t in types}
    ech = catalogue.echelle(country)
    services = services_index(s)
    existing = dict(s.execute(select(Evenement.reference, Evenement.id)).all())
    natural: set[tuple[Any, str, str]] = set()
    if "reference" not in mapping.values():  # no reference: an event already present is known by its content
        q = select(Evenement.survenu_le, Evenement.type_code, Evenement.faits)
        natural = {(sv, tc, fold(fa)) for sv, tc, fa in s.execute(q)}
    type_code = _Codes(type_labels)
    statut_code = _Codes(rules.STATUTS)
    sub_codes = {t.code: _Codes(t.sous_types) for t in types}
    service_of: dict[str, int | None] = {}
    header = lambda f: COLONNES.header_of(mapping, table.headers, f)  # noqa: E731
    news: list[tuple[int, saisie.EvenementData]] = []
    updates: list[tuple[int, int, saisie.EvenementData]] = []
    seen: dict[str, int] = {}
    for row in typed:
        n, v = row.ligne, row.values
        bad: list[Refus] = []
        if v.get("heure") and v.get("survenu_le"):
            v["survenu_le"] = datetime.combine(v["survenu_le"].date(), v["heure"])
        tcode = type_code(v.get("type_code"))
        if tcode == "":
            bad.append(
                Refus(
                    n,
                    header("type_code"),
                    v["type_code"],
                    "type inconnu (types : " + ", ".join(type_labels.values()) + ").",
                )
            )
        sub = None
        if tcode and v.get("sous_type_code"):
            sub = sub_codes[tcode](v["sous_type_code"])
            if sub == "":
                bad.append(
                    Refus(
                        n,
                        header("sous_type_code"),
                        v["sous_type_code"],
                        f"sous-type inconnu pour « {type_labels[tcode]} ».",
                    )
                )
        sid = None
        if v.get("service"):
            if v["service"] not in service_of:
                service_of[v["service"]] = services.get(fold(v["service"]))
            sid = service_of[v["service"]]
            if sid is None:
                bad.append(
                    Refus(
                        n, header("service"), v["service"], "service absent de l'annuaire de l'établissement."
                    )
                )
        grav = v.get("gravite")
        if grav is not None:
            niveau = ech.niveau(grav) or next(
                (x for x in ech.niveaux if fold(x.libelle).endswith(fold(grav))), None
            )
            if niveau is None:
                bad.append(
                    Refus(
                        n, header("gravite"), grav, f"pas sur l'échelle {ech.nom} ({', '.join(ech.codes())})."
                    )
                )
            grav = niveau.code if niveau else None
        statut = statut_code(v.get("statut")) if v.get("statut") else rules.DECLARE
        if statut == "":
            bad.append(
                Refus(
                    n,
                    header("statut"),
                    v["statut"],
                    "statut inconnu (" + ", ".join(rules.STATUTS.values()) + ").",
                )
            )
        ref = v.get("reference")
        if ref and ref in seen:
            bad.append(Refus(n, header("reference"), ref, f"même référence que la ligne {seen[ref]}."))
        if bad:
            ap.refus.extend(bad)
            continue
        data = saisie.EvenementData(
            survenu_le=v.get("survenu_le"), declare_le=v.get("declare_le") or (v["survenu_le"].date() if v.get("survenu_le") else None),
            service_id=sid, lieu=v.get("lieu"), type_code=tcode or "", sous_type_code=sub, faits=v.get("faits") or "",
            mesures_immediates=v.get("mesures_immediates"), consequences=v.get("consequences"), gravite=grav,
            informe=v.get("informe"), declarant_role=v.get("declarant_role"), statut=statut or rules.DECLARE,
            reference=ref, source_import=table.name[:200],
        )  # fmt: skip
        try:
            clean = saisie.validate(data, country, today)
        except ValidationError as exc:
            ap.refus.extend(
                Refus(n, header(k) if k in CHAMPS else k, str(getattr(data, k, "") or ""), m)
                for k, m in exc.errors.items()
            )
            continue
        if ref:
            seen[ref] = n
        if ref and ref in existing:
            updates.append((n, existing[ref], clean))
        elif not ref and (clean.survenu_le, clean.type_code, fold(clean.faits)) in natural:
            ap.lignes.append(
                LigneApercu(
                    n,
                    "",
                    clean.survenu_le or datetime.min,
                    type_labels[clean.type_code],
                    clean.gravite or "",
                    "inchangé",
                )
            )  # type: ignore[arg-type]
            continue
        else:
            news.append((n, clean))
    ap.refus.sort(key=lambda r: r.ligne)
    if ap.refus and not ignorer:
        return ap
    _write_updates(s, updates, country, ap, type_labels)
    _write_news(s, news, country, ap, type_labels)
    ap.lignes.sort(key=lambda x: x.ligne)
    return ap


def _write_updates(s: Session, updates: list[tuple[int, int, saisie.EvenementData]], country: str, ap: Apercu,
                   labels: dict[str, str]) -> None:  # fmt: skip
    ids = [eid for _n, eid, _d in updates]
    for k in range(0, len(ids), 500):  # load them by 500 (one query each), not one SELECT per row
        s.scalars(select(Evenement).where(Evenement.id.in_(ids[k : k + 500]))).all()
    for n, eid, data in updates:
        ev = s.get(Evenement, eid)
        assert ev is not None
        data.id, data.reference = eid, ev.reference
        if data.statut == rules.DECLARE:
            data.statut = ev.statut  # a tool that knows no status does not reopen an analysed event
        before = {k: getattr(ev, k) for k in _COMPARED}
        ev.statut = data.statut  # an import sets the status it reads (no workflow check)
        saisie.apply(s, data, ev.echelle)
        after = {k: getattr(ev, k) for k in _COMPARED}
        ap.lignes.append(LigneApercu(n, ev.reference, ev.survenu_le, labels.get(ev.type_code, ev.type_code), ev.gravite or "",
                                     "inchangé" if before == after else "mise à jour"))  # fmt: skip


_COMPARED = ("survenu_le", "declare_le", "service_id", "lieu", "type_code", "sous_type_code", "faits", "mesures_immediates",
             "consequences", "gravite", "informe", "declarant_role", "statut")  # fmt: skip


def _write_news(
    s: Session, news: list[tuple[int, saisie.EvenementData]], country: str, ap: Apercu, labels: dict[str, str]
) -> None:
    if not news:
        return
    from qualite_app.storage.base import utcnow
    from qualite_app.storage.journal_core import journal_bulk_insert

    ech = catalogue.echelle(country)
    now = utcnow()
    counters: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    names = {i: nom for i, nom in s.execute(select(Service.id, Service.nom))}
    for _n, d in news:
        assert d.declare_le is not None
        ref = d.reference
        if not ref:
            year = d.declare_le.year
            if year not in counters:
                last = saisie.next_reference(s, year)
                counters[year] = int(last.rsplit("-", 1)[1]) - 1
            counters[year] += 1
            ref = rules.reference(saisie.PREFIXE, year, counters[year])
        row = {k: getattr(d, k) for k in _COMPARED} | {
            "reference": ref, "echelle": country, "gravite_rang": ech.rang(d.gravite), "eigs": False,
            "source_import": d.source_import, "cree_le": now, "modifie_le": now,
        }  # fmt: skip
        d.reference = ref
        row["cle_recherche"] = saisie.search_key(d, names.get(d.service_id) if d.service_id else None)
        rows.append(row)
    before = s.scalar(select(func.max(Evenement.id))) or 0
    _fast_insert(s, rows)
    ids = dict(s.execute(select(Evenement.reference, Evenement.id).where(Evenement.id > before)).all())
    journal_bulk_insert(
        s, Evenement, rows, [ids[r["reference"]] for r in rows], label=lambda v: str(v["reference"])
    )
    for (n, d), r in zip(news, rows, strict=True):
        ap.lignes.append(
            LigneApercu(
                n,
                r["reference"],
                d.survenu_le or datetime.min,
                labels.get(d.type_code, d.type_code),
                d.gravite or "",
                "création",
            )
        )  # type: ignore[arg-type]


def _fast_insert(s: Session, rows: list[dict[str, Any]]) -> None:
    """executemany straight to the driver (10,000 rows: SQLAlchemy's per-row parameter handling would cost
    more than the database); each column's bind processor (dates…) is still applied."""
    conn = s.connection()
    dialect = conn.dialect
    table: Any = Evenement.__table__
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    procs = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in keys]
    values = [tuple(v if v is None or p is None else p(v) for v, p in zip((r[k] for k in keys), procs, strict=True))
              for r in rows]  # fmt: skip
    if compiled.positional:
        order = [keys.index(k) for k in compiled.positiontup or []]
        params: list[Any] = (
            values if order == list(range(len(keys))) else [tuple(v[i] for i in order) for v in values]
        )
    else:
        params = [dict(zip(keys, v, strict=True)) for v in values]
    conn.exec_driver_sql(str(compiled), params)
    from qualite_app.storage.audit import touched

    touched(s).add(Evenement.__tablename__)  # the ChangeSet names the table (the pages redraw)


def apercu(db: Database, path: Path | str, *, sheet: str | None = None, pairs: Iterable[tuple[str, str]] = (),
           today: date | None = None) -> Apercu:  # fmt: skip
    """The preview: the import's own code in a transaction that is rolled back; nothing is written."""
    table, mapping = lire(path, sheet=sheet, pairs=pairs)
    return pipeline.essai(db, lambda s: _appliquer(s, table, mapping, True, today or date.today()))


def importer(db: Database, path: Path | str, *, sheet: str | None = None, pairs: Iterable[tuple[str, str]] = (),
             ignorer_erreurs: bool = False, today: date | None = None) -> Apercu:  # fmt: skip
    """Import all or nothing (one transaction); with ``ignorer_erreurs`` only the valid rows."""
    table, mapping = lire(path, sheet=sheet, pairs=pairs)
    with db.unit_of_work() as s:
        ap = _appliquer(s, table, mapping, ignorer_erreurs, today or date.today())
        if ap.refus and not ignorer_erreurs:
            raise ImportRefuse(ap)
    return ap


class ImportRefuse(UserError):
    """A refused file: nothing was written; ``apercu`` holds every refusal (the command line lists them)."""

    def __init__(self, apercu: Apercu) -> None:
        super().__init__(pipeline.refusal_message(apercu.refus))
        self.apercu = apercu
