"""Crisis-plan templates shipped as data (``resources/crise/*.yaml``): read, validated, listed.

A template is a versioned YAML file identified by its URN: levels, scenarios, cell roles, fiches réflexes
with their timed tasks ([who, text] per phase), directory placeholders and message templates. The director
starts a plan from one (``services.nouveau_plan_depuis_modele``), never from a blank page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from qualite_app import paths
from qualite_app.crise import rules
from qualite_app.errors import UserError


@dataclass(frozen=True)
class TacheModele:
    phase: str
    qui: str
    texte: str


@dataclass(frozen=True)
class FicheModele:
    role: str
    titre: str
    scenarios: tuple[str, ...] = ()
    mission: str = ""
    lieu: str = ""
    documents: str = ""
    taches: tuple[TacheModele, ...] = ()


@dataclass(frozen=True)
class Modele:
    cle: str  # file stem
    urn: str
    version: str
    nom: str
    type_plan: str
    cycle_revision_mois: int
    niveaux: tuple[dict[str, str], ...]
    scenarios: tuple[dict[str, str], ...]
    roles: tuple[dict[str, str], ...]
    fiches: tuple[FicheModele, ...]
    contacts: tuple[dict[str, str], ...] = field(default=())
    messages: tuple[dict[str, str], ...] = field(default=())


def _dir() -> Path:
    return paths.resources_dir() / "crise"


def _req(d: dict[str, Any], key: str, where: str) -> str:
    v = d.get(key)
    if v is None or str(v).strip() == "":
        raise UserError(f"Modèle de plan {where} : le champ « {key} » est obligatoire.")
    return str(v).strip()


def parse(data: dict[str, Any], cle: str) -> Modele:
    """Validate a template read from YAML; every error names the file and the item."""
    where = f"« {cle} »"
    if not isinstance(data, dict):
        raise UserError(f"Modèle de plan {where} : le fichier n'est pas un dictionnaire YAML.")
    type_plan = _req(data, "type_plan", where)
    if type_plan not in rules.TYPES_PLAN:
        raise UserError(f"Modèle de plan {where} : type de plan inconnu « {type_plan} ».")
    roles = tuple({k: str(v) for k, v in r.items()} for r in data.get("roles") or [])
    scen = tuple({k: str(v) for k, v in r.items()} for r in data.get("scenarios") or [])
    codes_roles = {_req(r, "code", f"{where}, rôle") for r in roles}
    codes_scen = {_req(s, "code", f"{where}, scénario") for s in scen}
    fiches = []
    for i, f in enumerate(data.get("fiches") or [], start=1):
        w = f"{where}, fiche n° {i}"
        role = _req(f, "role", w)
        if role not in codes_roles:
            raise UserError(f"Modèle de plan {w} : rôle « {role} » absent de la liste des rôles.")
        for sc in f.get("scenarios") or []:
            if sc not in codes_scen:
                raise UserError(f"Modèle de plan {w} : scénario « {sc} » absent de la liste des scénarios.")
        taches = []
        for phase, items in (f.get("taches") or {}).items():
            if phase not in rules.PHASES:
                raise UserError(
                    f"Modèle de plan {w} : phase inconnue « {phase} » (phases : {', '.join(rules.PHASES)})."
                )
            for item in items or []:
                qui, texte = item if isinstance(item, list) and len(item) == 2 else ("", item)
                taches.append(TacheModele(phase, str(qui or ""), str(texte)))
        fiches.append(
            FicheModele(role, _req(f, "titre", w), tuple(f.get("scenarios") or ()), str(f.get("mission") or ""),
                        str(f.get("lieu") or ""), str(f.get("documents") or ""), tuple(taches))
        )  # fmt: skip
    return Modele(
        cle=cle, urn=_req(data, "urn", where), version=str(data.get("version") or "1"), nom=_req(data, "nom", where),
        type_plan=type_plan, cycle_revision_mois=int(data.get("cycle_revision_mois") or rules.CYCLE_REVISION_MOIS),
        niveaux=tuple({k: str(v) for k, v in n.items()} for n in data.get("niveaux") or []), scenarios=scen, roles=roles,
        fiches=tuple(fiches), contacts=tuple({k: str(v) for k, v in c.items()} for c in data.get("contacts") or []),
        messages=tuple({k: str(v) for k, v in m.items()} for m in data.get("messages") or []),
    )  # fmt: skip


@cache
def modeles() -> dict[str, Modele]:
    """Every template shipped in ``resources/crise``, by key (file stem)."""

    out: dict[str, Modele] = {}
    for p in sorted(_dir().glob("*.yaml")):
        out[p.stem] = parse(paths.load_yaml(p), p.stem)
    return out


def modele(cle: str) -> Modele:
    all_ = modeles()
    if cle not in all_:
        raise UserError(f"Modèle de plan « {cle} » inconnu (modèles : {', '.join(all_) or 'aucun'}).")
    return all_[cle]
