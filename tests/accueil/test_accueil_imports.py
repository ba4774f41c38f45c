"""The home page asks each area only what it needs: the areas' service packages import their concerns on
first use (PEP 562), so « Aujourd'hui » does not pull in every area's whole code before it is filled."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PAQUETS = ("paqss", "crise", "evenements", "indicateurs")


@pytest.mark.parametrize("area", PAQUETS)
def test_every_public_name_is_the_submodules_own(area: str) -> None:
    """Each name of the package resolves to the very object of its submodule (functions named as their
    submodule included: never the module itself)."""
    pkg = importlib.import_module(f"qualite_app.{area}.services")
    assert pkg.__all__, area
    for name in pkg.__all__:
        value = getattr(pkg, name)
        assert not isinstance(value, type(pkg)), f"{area}.services.{name} est un module"
    for name, (module, attr) in pkg._OU.items():
        assert getattr(pkg, name) is getattr(importlib.import_module(module), attr), name
    with pytest.raises(AttributeError, match="n_existe_pas"):
        pkg.n_existe_pas  # noqa: B018


SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from qualite_app.storage.database import Database
from qualite_app.accueil import services as accueil
db = Database.open(Path(sys.argv[1]))
alertes = accueil.attention(db, date.today())
print(json.dumps({"n": len(alertes), "domaines": sorted({a.domaine for a in alertes}),
                  "modules": sorted(m for m in sys.modules if m.startswith("qualite_app."))}))
"""


def test_attention_imports_only_what_it_asks(demo_file: Path, tmp_path: Path) -> None:
    env = dict(
        os.environ, QUALITE_DATA_DIR=str(tmp_path / "donnees"), QUALITE_CONFIG_DIR=str(tmp_path / "config")
    )
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(demo_file)], env=env, capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    seen = json.loads(proc.stdout.splitlines()[-1])
    assert seen["n"] > 0 and {"paqss", "evenements", "indicateurs"} <= set(seen["domaines"])
    modules = set(seen["modules"])
    # what the home page needs is there…
    assert {"qualite_app.paqss.services.liste", "qualite_app.evenements.services.eigs"} <= modules
    # …and not the areas' other concerns (one action's editor, the crisis log, cause analyses)
    for unused in ("qualite_app.paqss.services.actions", "qualite_app.crise.services.main_courante",
                   "qualite_app.evenements.services.analyses", "qualite_app.evenements.services.saisie"):  # fmt: skip
        assert unused not in modules, unused


def test_crisis_due_dates_are_the_plans_own_checks(demo_db) -> None:  # type: ignore[no-untyped-def]
    """The home page's one-query crisis share says exactly what each plan's checks say of its review and
    yearly exercise (the roles' checks left to the plan's page)."""
    from datetime import date, timedelta

    from qualite_app.crise import services as crise

    en_vigueur = [p for p in crise.plans(demo_db) if p.en_vigueur]
    assert en_vigueur
    for today in (date.today(), date.today() + timedelta(days=800)):
        got = crise.echeances_plans(demo_db, today=today)
        assert [g.plan_id for g in got] == [p.id for p in en_vigueur]  # the same order (by name, in SQL)
        for g in got:
            want = [
                a
                for a in crise.alertes(demo_db, g.plan_id, today=today)
                if a.sujet in ("Révision", "Exercice")
            ]
            assert list(g.alertes) == want
            assert g.prochaine_revision == next(p.prochaine_revision for p in en_vigueur if p.id == g.plan_id)
    assert any(g.alertes for g in crise.echeances_plans(demo_db, today=date.today() + timedelta(days=800)))
