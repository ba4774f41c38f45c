"""*Bilan du PAQSS*: gather the data (``paqss.bilan_data``), preview it, issue it through the register.

The builder (``paqss.report``, Renderer ``BILAN``) draws the data; the register (``rapports.emettre``) adds
the letterhead and the reference, signs and records it. The snapshot of the last issued bilan gives
« the changes since the previous report ».
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from qualite_app.errors import UserError
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss.bilan_data import ActionBilan, AxeBilan, BilanData, Changement
from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif, PaqssProgramme
from qualite_app.storage.database import Database

KIND = "paqss"


def _pilotes(pilote: str, copilote: str, autres: list[str]) -> str:
    """« Pilote / Copilote + autre copilote, autre copilote »: the tandem first, then the extra co-pilots."""
    tandem = " / ".join(x for x in (pilote, copilote) if x)
    return " + ".join(x for x in (tandem, ", ".join(autres)) if x)


def _previous(db: Database) -> tuple[dict[str, Any] | None, datetime | None]:
    from qualite_app.rapports import services as rapports

    row = rapports.dernier(db, KIND)
    return (row.snapshot, row.emis_le) if row is not None else (None, None)


def gather(db: Database, programme_id: int, *, today: date | None = None, precedent: dict[str, Any] | None = None,
           precedent_le: datetime | None = None) -> BilanData:  # fmt: skip
    today = today or date.today()
    from qualite_app.etablissement import identite as etablissement

    with db.session() as s:
        prog = s.get(PaqssProgramme, programme_id)
        if prog is None:
            raise UserError("Ce programme n'existe plus.")
        e = etablissement.get(db)
        rows = paqss.list_actions(db, paqss.ActionFilter(programme_id=programme_id), tri="axe", today=today)
        axes_order = [
            (aid, f"{code} – {titre}" if code else titre)
            for aid, code, titre in s.execute(
                select(PaqssAxe.id, PaqssAxe.code, PaqssAxe.titre)
                .where(PaqssAxe.programme_id == programme_id)
                .order_by(PaqssAxe.ordre, PaqssAxe.id)
            )
        ]
        month = (
            func.strftime("%Y-%m", PaqssAction.realisee_le)
            if db.engine.dialect.name == "sqlite"
            else func.to_char(PaqssAction.realisee_le, "YYYY-MM")
        )
        per_month = s.execute(
            select(month, func.count())
            .join(PaqssObjectif, PaqssAction.objectif_id == PaqssObjectif.id)
            .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
            .where(
                PaqssAxe.programme_id == programme_id,
                PaqssAction.statut == rules.REALISEE,
                PaqssAction.realisee_le.is_not(None),
            )
            .group_by(month)
            .order_by(month)
        ).all()
        periode = " – ".join(d.strftime("%d/%m/%Y") for d in (prog.debut, prog.fin) if d)
        data = BilanData(
            etablissement=e.raison_sociale if e else "",
            programme=prog.nom,
            periode=periode,
            adopte_le=prog.adopte_le,
            avis_cme_le=prog.avis_cme_le,
            cdu_informee_le=prog.cdu_informee_le,
            today=today,
            summary=paqss.summary(db, programme_id, today=today),
            axes=[],
            retards=[],
            realisees_par_mois=[],
            programme_id=programme_id,
        )
    by_axe: dict[int, AxeBilan] = {
        aid: AxeBilan(label, dict.fromkeys(rules.STATUTS, 0)) for aid, label in axes_order
    }
    extras = paqss.extra_copilot_names(db)
    for r in rows:
        ab = ActionBilan(
            r.reference, r.titre, _pilotes(r.pilote, r.copilote, extras.get(r.id, [])), r.echeance_effective, r.statut, r.avancement,
            rules.jours_de_retard(r.echeance, r.echeance_revisee, r.statut, today),
        )  # fmt: skip
        axe = by_axe[r.axe_id]
        axe.actions.append(ab)
        axe.par_statut[r.statut] += 1
        if ab.retard:
            data.retards.append((ab, axe.titre))
    data.axes = list(by_axe.values())
    data.retards.sort(key=lambda x: (-x[0].retard, x[0].reference))
    cumul = 0
    for m, n in per_month:
        cumul += n
        data.realisees_par_mois.append((m, cumul))
    if precedent is not None:
        data.precedent_le = precedent_le
        _diff(data, precedent)
    return data


def _diff(data: BilanData, old: dict[str, Any]) -> None:
    for axe in data.axes:
        for a in axe.actions:
            before = old.get(a.reference)
            if before is None:
                data.nouvelles.append(f"{a.reference} — {a.titre}")
                continue
            if before.get("statut") != a.statut:
                data.changements.append(
                    Changement(
                        a.reference,
                        a.titre,
                        "Statut",
                        rules.statut_label(before.get("statut") or ""),
                        rules.statut_label(a.statut),
                    )
                )
            if before.get("avancement") != a.avancement:
                data.changements.append(
                    Changement(
                        a.reference,
                        a.titre,
                        "Avancement",
                        f"{before.get('avancement')} %",
                        f"{a.avancement} %",
                    )
                )
            ech = a.echeance.isoformat() if a.echeance else None
            if before.get("echeance") != ech:
                fmt = lambda iso: date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"  # noqa: E731
                data.changements.append(
                    Changement(a.reference, a.titre, "Échéance", fmt(before.get("echeance")), fmt(ech))
                )


def bilan_pdf(
    db: Database, programme_id: int, *, today: date | None = None, with_previous: bool = True
) -> tuple[bytes, str, dict[str, Any]]:
    """(PDF bytes, data hash, snapshot) of the bilan as it would be issued (letterhead, next reference); nothing is written."""
    from qualite_app.paqss.report import BILAN
    from qualite_app.rapports import services as rapports

    prev, prev_le = _previous(db) if with_previous else (None, None)
    data = gather(db, programme_id, today=today, precedent=prev, precedent_le=prev_le)
    snap = BILAN.snapshot(data)
    return rapports.apercu(db, BILAN, data, issued_at=datetime.combine(data.today, time(12))), rapports.data_hash(snap), snap


def emettre_bilan(
    db: Database,
    programme_id: int,
    *,
    identity: str | None = None,
    password: str | None = None,
    recipient: str | None = None,
    today: date | None = None,
) -> Any:
    """Build, sign (when an identity is given) and record the bilan in the register of issued reports."""
    from qualite_app.paqss.report import BILAN
    from qualite_app.rapports import services as rapports

    prev, prev_le = _previous(db)
    data = gather(db, programme_id, today=today, precedent=prev, precedent_le=prev_le)
    return rapports.emettre(db, BILAN, data, identity=identity, password=password, recipient=recipient)
