"""The director's chain: event → analysis → PAQSS action → indicator, shown from each end; the monthly
counts written as indicator results (the indicators area's SPC series watches them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from qualite_app.evenements import services as evenements
from qualite_app.indicateurs import services as indicateurs
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


def test_monthly_counts_feed_the_indicators(db: Database, declarer: Callable[..., int]) -> None:
    for day in (3, 9, 21):
        declarer(survenu_le=datetime(2026, 4, day, 10, 0), declare_le=date(2026, 4, day))
    e = declarer(survenu_le=datetime(2026, 5, 2, 10, 0), declare_le=date(2026, 5, 2), gravite="5")
    evenements.classer_eigs(db, e, today=TODAY)
    assert evenements.publier_indicateurs(db, date(2026, 3, 1), date(2026, 5, 31)) == {
        "EI-DECL": 3,
        "EIGS": 3,
    }
    ei = indicateurs.indicateur_id(db, "EI-DECL")
    got = {m.periode: m.valeur for m in indicateurs.list_mesures(db, ei)}
    assert got == {"2026-03": 0.0, "2026-04": 3.0, "2026-05": 1.0}
    eigs = {m.periode: m.valeur for m in indicateurs.list_mesures(db, indicateurs.indicateur_id(db, "EIGS"))}
    assert eigs == {"2026-03": 0.0, "2026-04": 0.0, "2026-05": 1.0}
    serie = indicateurs.serie(db, ei)  # the SPC series of the indicators area
    assert serie.valeurs[-3:] == [0.0, 3.0, 1.0] and serie.spc is not None
    # running it again rewrites the same months
    declarer(survenu_le=datetime(2026, 5, 20, 10, 0), declare_le=date(2026, 5, 20))
    evenements.publier_indicateurs(db, date(2026, 3, 1), date(2026, 5, 31))
    assert {m.periode: m.valeur for m in indicateurs.list_mesures(db, ei)}["2026-05"] == 2.0


def test_chain_from_each_end(db: Database, declarer: Callable[..., int]) -> None:
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Culture de sécurité", "A1"), "Analyser", "A1.1")
    e = declarer()
    an = evenements.enregistrer_analyse(
        db,
        evenements.AnalyseData(
            "alarm", date(2026, 6, 5), [e], facteurs=[evenements.FacteurData("equipe", "Relève")]
        ),
        today=TODAY,
    )
    aid = evenements.decider_action(db, an, "Sécuriser la relève de nuit", today=TODAY)
    evenements.publier_indicateurs(db, date(2026, 1, 1), date(2026, 6, 30))
    ei = indicateurs.indicateur_id(db, "EI-DECL")
    paqss.link_indicator(db, aid, ei)
    # from the event: its analysis and the action
    assert [a.reference for a in evenements.list_analyses(db, e)] == ["AN-2026-001"]
    assert [a.id for a in evenements.actions_de_l_evenement(db, e)] == [aid]
    # from the action: the analysis it was born from and the indicator that follows it
    kinds = {x.type: x.libelle for x in paqss.links(db, aid)}
    assert kinds["Analyse des causes"] == "AN-2026-001" and "Indicateur" in kinds
    # from the indicator: the action (annotated on its control chart)
    assert [t for _r, t, _d in paqss.actions_for_indicator(db, ei)] == ["Sécuriser la relève de nuit"]
    assert indicateurs.serie(db, ei).valeurs[-1] == 1.0
