"""CDU quarterly summary: gather the counts of a quarter (``cdu_data``), preview it, issue it through the
register (``rapports.emettre``: reference, letterhead, signature, one transaction)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from qualite_app.errors import UserError
from qualite_app.evenements import rules
from qualite_app.evenements.cdu_data import ActionCdu, CduData
from qualite_app.evenements.services import analyses, eigs, stats
from qualite_app.evenements.services.saisie import pays_etablissement
from qualite_app.rules import periodes
from qualite_app.storage.database import Database


def trimestre(code: str) -> periodes.Periode:
    try:
        p = periodes.parse(code)
    except ValueError as exc:
        raise UserError(f"--trimestre : {exc}") from None
    if p.nature != "trimestre":
        raise UserError(f"« {code} » n'est pas un trimestre (écrivez par exemple 2026-T2).")
    return p


def gather(db: Database, code: str, *, today: date | None = None) -> CduData:
    from qualite_app.etablissement import identite
    from qualite_app.evenements import catalogue

    today = today or date.today()
    p = trimestre(code)
    debut, fin = p.debut, p.suivante().debut - timedelta(days=1)
    st = stats.statistiques(db, debut, fin)
    e = identite.get(db)
    prev = p.debut - timedelta(days=1)
    prev_total = stats.statistiques(
        db, periodes.parse(f"{prev.year}-T{(prev.month - 1) // 3 + 1}").debut, prev
    ).total
    data = CduData(
        etablissement=e.raison_sociale if e else "", trimestre=p.code, libelle=p.libelle, debut=debut, fin=fin,
        today=today, total=st.total, eigs=st.eigs, par_mois=st.par_mois, par_type=st.par_type,
        par_gravite=st.par_gravite, echelle=catalogue.echelle(pays_etablissement(db)).nom, total_precedent=prev_total,
    )  # fmt: skip
    rows = [a for a in analyses.list_analyses(db) if debut <= a.le <= fin]
    data.analyses = [
        (a.reference, rules.methode_label(a.methode), f"{a.le:%d/%m/%Y}", len(a.evenements)) for a in rows
    ]
    data.analyses_par_methode = sorted(Counter(rules.methode_label(a.methode) for a in rows).items())
    for a in rows:
        for act in analyses.actions_de_l_analyse(db, a.id):
            data.actions.append(ActionCdu(act.reference, act.titre, f"{a.reference} ({rules.methode_label(a.methode)})",
                                          act.statut_libelle, act.avancement, act.echeance))  # fmt: skip
    data.eigs_echeances = [
        (x.reference, x.partie, f"{x.echeance:%d/%m/%Y}", rules.ETATS[x.etat])
        for x in eigs.echeances(db, today=today)
    ]
    return data


def cdu_pdf(db: Database, code: str, *, today: date | None = None) -> bytes:
    """The summary as it would be issued (letterhead, next reference); nothing is written."""
    from qualite_app.evenements.report import CDU
    from qualite_app.rapports import services as rapports

    data = gather(db, code, today=today)
    return rapports.apercu(db, CDU, data, issued_at=datetime.combine(data.today, time(12)))


def emettre_cdu(db: Database, code: str, *, identity: str | None = None, password: str | None = None,
                recipient: str | None = "Commission des usagers (CDU)", today: date | None = None) -> Any:  # fmt: skip
    from qualite_app.evenements.report import CDU
    from qualite_app.rapports import services as rapports

    data = gather(db, code, today=today)
    return rapports.emettre(db, CDU, data, identity=identity, password=password, recipient=recipient)
