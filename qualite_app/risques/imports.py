"""Importing an existing risk-map workbook through the one import pipeline (header under titles, columns
by synonyms or ``--map``, every cell converted, refusals naming line and column, all or nothing),
idempotent by reference: a known reference updates its risk (the journal keeps the old values)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne
from qualite_app.exchange import colonnes as col
from qualite_app.exchange import pipeline
from qualite_app.exchange.pipeline import Refus
from qualite_app.exchange.tableur import read_rows
from qualite_app.risques.models import Risque
from qualite_app.risques.services import RisqueData, apply, validate
from qualite_app.rules import formats
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database

CHAMPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "reference": ("Référence", ("reference", "ref", "n°", "numero", "id", "code risque")),
    "processus": ("Processus", ("processus", "process", "activite principale", "domaine")),
    "activite": ("Activité", ("activite", "etape", "sous-processus")),
    "danger": ("Danger", ("danger", "risque", "evenement redoute", "intitule du risque", "libelle")),
    "cause": ("Cause", ("cause", "causes")),
    "consequence": ("Conséquence", ("consequence", "consequences", "effet")),
    "gravite": ("Gravité brute", ("gravite", "g", "gravite brute", "severite")),
    "frequence": ("Fréquence brute", ("frequence", "f", "frequence brute", "probabilite", "vraisemblance")),
    "maitrise": ("Maîtrise brute", ("maitrise", "m", "niveau de maitrise")),
    "gravite_residuelle": ("Gravité résiduelle", ("gravite residuelle", "g residuelle", "g resid")),
    "frequence_residuelle": ("Fréquence résiduelle", ("frequence residuelle", "f residuelle", "f resid")),
    "maitrise_residuelle": ("Maîtrise résiduelle", ("maitrise residuelle",)),
    "proprietaire": ("Propriétaire", ("proprietaire", "pilote", "responsable", "proprietaire du risque")),
    "barrieres": ("Barrières existantes", ("barrieres", "barriere", "mesures existantes", "moyens de maitrise")),
    "revue_le": ("Prochaine revue", ("revue", "prochaine revue", "date de revue", "revue le")),
}  # fmt: skip
COLONNES = col.Colonnes(CHAMPS)
NOTES = (
    "gravite",
    "frequence",
    "maitrise",
    "gravite_residuelle",
    "frequence_residuelle",
    "maitrise_residuelle",
)


def _note(raw: Any, _order: str | None = None) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = formats.parse_nombre(raw, "La note")
    if value is None or not float(value).is_integer():
        raise ValueError(f"« {raw} » n'est pas une note entière.")
    return int(value)


CONVERTERS: dict[str, pipeline.Converter] = {
    **{f: _note for f in NOTES},
    "revue_le": lambda raw, order: formats.parse_date(raw, order),
    "reference": lambda raw, _o: formats.cell_text(
        int(raw) if isinstance(raw, float) and raw.is_integer() else raw
    ),
}


@dataclass
class Apercu:
    fichier: str
    creations: list[str] = field(default_factory=list)
    mises_a_jour: list[str] = field(default_factory=list)
    refus: list[Refus] = field(default_factory=list)

    @property
    def lignes(self) -> list[str]:
        return self.creations + self.mises_a_jour

    def resume(self) -> str:
        return (f"{len(self.creations)} risque(s) créé(s), {len(self.mises_a_jour)} mis à jour ; "
                f"{len({r.ligne for r in self.refus})} ligne(s) refusée(s).")  # fmt: skip


def _people(s: Session) -> dict[str, int]:
    out: dict[str, int] = {}
    for pid, prenom, nom in s.execute(select(Personne.id, Personne.prenom, Personne.nom)):
        out[fold(f"{prenom} {nom}")] = pid
        out[fold(f"{nom} {prenom}")] = pid
        out.setdefault(fold(nom), pid)
    return out


def _appliquer(
    s: Session, path: Path | str, sheet: str | None, pairs: list[tuple[str, str]], ignorer: bool
) -> Apercu:
    f = read_rows(path, sheet=sheet)
    head = col.locate_header(
        [c for _n, c in f.rows], COLONNES, known=[c for c, _ in pairs], title_field="danger", sheet=f.name
    )
    mapping = COLONNES.explicit_mapping(head.headers, COLONNES.guess_mapping(head.headers), pairs)
    missing = [
        CHAMPS[k][0] for k in ("processus", "danger", "gravite", "frequence") if k not in mapping.values()
    ]
    if missing:
        raise UserError(f"« {f.name} » : colonne(s) introuvable(s) : {', '.join(missing)}. Colonnes du fichier : "
                        + ", ".join(h for h in head.headers if h) + ". Indiquez-les avec --map \"Colonne=champ\".")  # fmt: skip
    width = len(head.headers)
    body = [
        (n, list(c) + [None] * (width - len(c)))
        for n, c in f.rows[head.debut :]
        if not all(col.blank(x) for x in c)
    ]
    typed, refus = pipeline.convert_rows(
        body, head.headers, mapping, CONVERTERS, date_fields=("revue_le",), label=COLONNES.label
    )
    ap = Apercu(f.name, refus=refus)
    people = _people(s)
    existing = dict(s.execute(select(Risque.reference, Risque.id)).all())
    header = lambda k: COLONNES.header_of(mapping, head.headers, k)  # noqa: E731
    ready: list[tuple[RisqueData, bool]] = []
    for row in typed:
        v = row.values
        owner = None
        if v.get("proprietaire"):
            owner = people.get(fold(v["proprietaire"]))
            if owner is None:
                ap.refus.append(
                    Refus(
                        row.ligne,
                        header("proprietaire"),
                        v["proprietaire"],
                        "personne absente de l'annuaire.",
                    )
                )
                continue
        given: dict[str, Any] = {k.name: v.get(k.name) for k in fields(RisqueData) if k.name in CHAMPS}
        data = RisqueData(**given, proprietaire_id=owner)
        try:
            clean = validate(data)
        except ValidationError as exc:
            ap.refus.extend(
                Refus(row.ligne, header(k), str(getattr(data, k, "") or ""), m.split(" : ", 1)[-1])
                for k, m in exc.errors.items()
            )
            continue
        known = clean.reference in existing if clean.reference else False
        if known:
            clean.id = existing[clean.reference]  # type: ignore[index]
        ready.append((clean, known))
    ap.refus.sort(key=lambda r: r.ligne)
    if ap.refus and not ignorer:
        return ap
    for clean, known in ready:
        r = apply(s, clean)
        s.flush()
        (ap.mises_a_jour if known else ap.creations).append(r.reference)
    return ap


def apercu(
    db: Database, path: Path | str, *, sheet: str | None = None, pairs: Iterable[tuple[str, str]] = ()
) -> Apercu:
    return pipeline.essai(db, lambda s: _appliquer(s, path, sheet, list(pairs), True))


def importer(db: Database, path: Path | str, *, sheet: str | None = None, pairs: Iterable[tuple[str, str]] = (),
             ignorer_erreurs: bool = False) -> Apercu:  # fmt: skip
    with db.unit_of_work() as s:
        ap = _appliquer(s, path, sheet, list(pairs), ignorer_erreurs)
        if ap.refus and not ignorer_erreurs:
            raise UserError(pipeline.refusal_message(ap.refus))
    return ap
