"""The demo establishment tells the truth: its messages count what the base holds, and its indicator
series end at the last complete period before the day it is created (issue 8, point 25)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualite_app import cli, demo
from qualite_app.etablissement.models import Personne, Service
from qualite_app.indicateurs import services as svc
from qualite_app.indicateurs.models import Indicateur, IndicateurMesure, TableauDeBord
from qualite_app.paqss import services as paqss
from qualite_app.paqss.models import PaqssAction, PaqssAxe
from qualite_app.rules import periodes
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Lien


def _count(db: Database, column: object, *where: object) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(column)).where(*where)) or 0)  # type: ignore[call-overload]


def _numbers(pattern: str, text: str) -> tuple[int, ...]:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return tuple(int(g) for g in m.groups())


def test_demo_messages_state_what_the_database_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "demo.sqlite"
    assert cli.main(["demo", "--db", str(base)]) == 0
    out = capsys.readouterr().out
    with Database.open(base) as db:
        assert _numbers(r"Établissement, (\d+) services, (\d+) personnes", out) == (
            _count(db, Service.id),
            _count(db, Personne.id),
        )
        assert _numbers(r"(\d+) indicateurs suivis, (\d+) résultats, (\d+) tableaux de bord", out) == (
            _count(db, Indicateur.id, Indicateur.suivi.is_(True)),
            _count(db, IndicateurMesure.id),
            _count(db, TableauDeBord.id),
        )
        axes, actions = _numbers(r"PAQSS : (\d+) axes, (\d+) actions", out)
        assert (axes, actions) == (_count(db, PaqssAxe.id), _count(db, PaqssAction.id))
        born_elsewhere = _count(db, Lien.cible_id.distinct(), Lien.nature == paqss.NATURE_ORIGINE, Lien.cible_type == "paqss_action")
        # the unmet impératifs', the event analyses', the risk map's and the crisis RETEX's actions
        assert born_elsewhere >= 17
        # 81 in the programme's objectives + the falls programme of the indicator chain + those born elsewhere
        assert actions == 82 + born_elsewhere
        (liens,) = _numbers(r"(\d+) action\(s\) PAQSS reliée\(s\)", out)
        assert liens == _count(db, Lien.id, Lien.cible_type == "indicateur")


def _last_period(db: Database, code: str) -> str:
    with db.session() as s:
        ind = s.scalar(select(Indicateur.id).where(Indicateur.code == code))
        return max(
            s.scalars(
                select(IndicateurMesure.periode).where(
                    IndicateurMesure.indicateur_id == ind, IndicateurMesure.service_id.is_(None)
                )
            ),
            key=lambda c: periodes.from_code(c).debut,
        )


@pytest.mark.parametrize(
    ("today", "month", "quarter", "year"),
    [
        (date(2026, 12, 1), "2026-11", "2026-T3", "2025"),
        (date(2026, 1, 15), "2025-12", "2025-T4", "2025"),
        (date(2026, 4, 1), "2026-03", "2026-T1", "2025"),
        (date(2027, 3, 31), "2027-02", "2026-T4", "2026"),
    ],
)
def test_demo_series_end_at_the_last_complete_period(
    db: Database, today: date, month: str, quarter: str, year: str
) -> None:
    demo.load_demo(db, today=today)
    assert _last_period(db, "CHUTES") == month  # monthly
    assert _last_period(db, "DELAI-PLAINTE") == quarter  # quarterly
    assert _last_period(db, "VAG") == year  # yearly (national campaign)
    # the stories of the charts move with the series: the falls drop 17 months before the end
    chutes = svc.serie(db, svc.indicateur_id(db, "CHUTES"))
    assert chutes.periodes[-1].code == month
    drop = chutes.periodes[-18].libelle
    assert chutes.lecture().startswith(f"18 points en dessous de la moyenne depuis {drop} : amélioration")
    # and the falls programme of the PAQSS starts the month before the drop
    with db.session() as s:
        action = s.scalar(select(PaqssAction).where(PaqssAction.reference.like("PAQSS-%-CHUTES")))
        assert action is not None
        assert (
            action.date_debut is not None and action.date_debut.strftime("%Y-%m") == chutes.periodes[-19].code
        )
        assert action.realisee_le is not None and action.realisee_le < today
