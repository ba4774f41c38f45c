"""PAQSS exports: every field of the (filtered) actions with names resolved, written as xlsx or csv
(``paqss.ecriture``) or as an iCalendar of deadlines and milestones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import ecriture, rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssActionCopilote,
    PaqssActionService,
    PaqssAxe,
    PaqssJalon,
    PaqssObjectif,
)
from qualite_app.storage.database import Database

#: how several names share one cell (extra co-pilots, extra services); read back by the import
LIST_SEPARATOR = "; "


def _label(code: str, titre: str) -> str:
    return f"{code} – {titre}" if code else titre


def records(
    db: Database, f: paqss.ActionFilter | None = None, *, today: date | None = None
) -> list[dict[str, Any]]:
    """Every field of the (filtered) actions, in list order, names resolved: what the exports write."""
    rows = paqss.list_actions(db, f, tri="axe", today=today)
    order = {r.id: i for i, r in enumerate(rows)}
    out: list[dict[str, Any]] = [{}] * len(rows)
    with db.session() as s:
        names = {
            pid: f"{p} {n}".strip()
            for pid, p, n in s.execute(select(Personne.id, Personne.prenom, Personne.nom))
        }
        srv = dict(s.execute(select(Service.id, Service.nom)).all())
        struct = {
            oid: (_label(ac, at), _label(oc, ot))
            for oid, ac, at, oc, ot in s.execute(
                select(
                    PaqssObjectif.id, PaqssAxe.code, PaqssAxe.titre, PaqssObjectif.code, PaqssObjectif.titre
                ).join(PaqssAxe)
            )
        }
        ids = list(order)
        for chunk in range(0, len(ids), 900):
            part = ids[chunk : chunk + 900]
            cops: dict[int, list[str]] = {}
            for aid, pid in s.execute(
                select(PaqssActionCopilote.action_id, PaqssActionCopilote.personne_id).where(
                    PaqssActionCopilote.action_id.in_(part)
                )
            ):
                cops.setdefault(aid, []).append(names.get(pid, ""))
            srvs: dict[int, list[str]] = {}
            for aid, sid in s.execute(
                select(PaqssActionService.action_id, PaqssActionService.service_id).where(
                    PaqssActionService.action_id.in_(part)
                )
            ):
                srvs.setdefault(aid, []).append(srv.get(sid, ""))
            for a in s.scalars(select(PaqssAction).where(PaqssAction.id.in_(part))):
                rec = {n: getattr(a, n) for n in paqss.ACTION_FIELDS}
                rec["axe"], rec["objectif"] = struct.get(a.objectif_id, ("", ""))
                rec["pilote"] = names.get(a.pilote_id) if a.pilote_id else None
                rec["copilote"] = names.get(a.copilote_id) if a.copilote_id else None
                rec["service"] = srv.get(a.service_id) if a.service_id else None
                rec["autres_copilotes"] = (
                    LIST_SEPARATOR.join(sorted(cops.get(a.id, []), key=str.casefold)) or None
                )
                rec["autres_services"] = (
                    LIST_SEPARATOR.join(sorted(srvs.get(a.id, []), key=str.casefold)) or None
                )
                rec["id"] = a.id
                out[order[a.id]] = rec
    return out


def export(
    db: Database,
    fmt: str,
    out: Path,
    f: paqss.ActionFilter | None = None,
    *,
    par_axe: bool = False,
    today: date | None = None,
) -> int:
    """Write the (filtered) actions as xlsx, csv or ics; return the number of actions (or events)."""
    out = Path(out)
    fmt = fmt.lower().lstrip(".")
    if fmt == "ics":
        return export_ics(db, out, f, today=today)
    recs = records(db, f, today=today)
    try:
        if fmt == "xlsx":
            ecriture.write_xlsx(recs, out, par_axe=par_axe)
        elif fmt == "csv":
            ecriture.write_csv(recs, out)
        else:
            raise UserError(f"Format d'export inconnu : « {fmt} » (xlsx, csv ou ics).")
    except PermissionError as exc:
        raise UserError(
            f"Impossible d'écrire « {out} » : le fichier est peut-être ouvert dans un tableur."
        ) from exc
    return len(recs)


def deadlines(db: Database, f: paqss.ActionFilter | None = None, *, today: date | None = None) -> list[Any]:
    """One deadline per action with a due date and per open milestone with a date."""
    from qualite_app.exchange.ical import Deadline

    rows = paqss.list_actions(db, f, tri="echeance", today=today)
    out = []
    by_id = {r.id: r for r in rows}
    for r in rows:
        due = r.echeance_effective
        if due is None:
            continue
        who = " / ".join(x for x in (r.pilote, r.copilote) if x) or "pilote non désigné"
        revised = f" (échéance initiale {r.echeance:%d/%m/%Y})" if r.echeance_revisee and r.echeance else ""
        out.append(
            Deadline(
                uid=f"{r.reference}@paqss.qualite-app",
                jour=due,
                resume=f"Échéance {r.reference} : {r.titre}",
                description=f"Pilote(s) : {who}\nStatut : {rules.statut_label(r.statut)} — {r.avancement} %{revised}\nAxe : {r.axe}",
            )
        )
    with db.session() as s:
        ids = list(by_id)
        for chunk in range(0, len(ids), 900):
            q = select(PaqssJalon.id, PaqssJalon.action_id, PaqssJalon.libelle, PaqssJalon.echeance).where(
                PaqssJalon.action_id.in_(ids[chunk : chunk + 900]),
                PaqssJalon.fait.is_(False),
                PaqssJalon.echeance.is_not(None),
            )
            for jid, aid, lib, d in s.execute(q.order_by(PaqssJalon.echeance)):
                r = by_id[aid]
                out.append(
                    Deadline(
                        uid=f"{r.reference}-jalon-{jid}@paqss.qualite-app",
                        jour=d or date.min,  # the query excludes milestones without a date
                        resume=f"Jalon {r.reference} : {lib}",
                        description=f"Action : {r.titre}\nPilote(s) : {' / '.join(x for x in (r.pilote, r.copilote) if x)}",
                        categorie="PAQSS — jalon",
                    )
                )
    return out


def export_ics(
    db: Database, out: Path, f: paqss.ActionFilter | None = None, *, today: date | None = None
) -> int:
    from qualite_app.exchange.ical import write_ics

    items = deadlines(db, f, today=today)
    write_ics(items, Path(out))
    return len(items)
