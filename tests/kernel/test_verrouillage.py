"""Optimistic locking (issue 13) on every area's forms: two people (two ``Database`` objects on the same base)
open the same item; the first saves; the second's save is refused with ``ConflitEdition`` listing the first's
change, nothing written; ``ecraser=True`` (the user's explicit choice) applies his changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from qualite_app.errors import ConflitEdition
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue


@dataclass
class Cas:
    """One kind of item: how to find one in the demo, load it into a form's data, change it, save it."""

    trouver: Callable[[Database], int]
    charger: Callable[[Database, int], Any]
    enregistrer: Callable[..., Any]
    #: (their change, what the conflict must show of it), then my change and how to read it back
    leur: Callable[[Any], None]
    vu: str
    mien: Callable[[Any], None]
    lu: Callable[[Any], Any]
    attendu: Any


def _personne() -> Cas:
    from qualite_app.etablissement import annuaire

    def mien(d: Any) -> None:
        d.fonction = "Cadre de santé"

    def leur(d: Any) -> None:
        d.tel_fixe = "01 23 45 67 89"

    return Cas(
        trouver=lambda db: annuaire.list_personnes(db)[0].id,
        charger=annuaire.get_personne,
        enregistrer=annuaire.save_personne,
        leur=leur, vu="Téléphone fixe", mien=mien, lu=lambda d: d.fonction, attendu="Cadre de santé",
    )  # fmt: skip


def _indicateur() -> Cas:
    from qualite_app.indicateurs import services as ind

    def mien(d: Any) -> None:
        d.libelle = "Taux de réhospitalisation à 30 jours (revu en COPIL)"

    def leur(d: Any) -> None:
        d.unite = "‰"

    return Cas(trouver=lambda db: ind.list_indicateurs(db)[0].id, charger=ind.get_indicateur,
               enregistrer=ind.save_indicateur, leur=leur, vu="Unité", mien=mien, lu=lambda d: d.libelle,
               attendu="Taux de réhospitalisation à 30 jours (revu en COPIL)")  # fmt: skip


def _evenement() -> Cas:
    from qualite_app.evenements import services as ev

    def mien(d: Any) -> None:
        d.lieu = "Couloir du 3e étage"

    def leur(d: Any) -> None:
        d.mesures_immediates = "Patient réinstallé, surveillance renforcée"

    return Cas(trouver=lambda db: ev.list_evenements(db)[0].id, charger=ev.get_evenement,
               enregistrer=ev.enregistrer_evenement, leur=leur, vu="Patient réinstallé", mien=mien,
               lu=lambda d: d.lieu, attendu="Couloir du 3e étage")  # fmt: skip


def _risque() -> Cas:
    from qualite_app.risques import services as rq

    def mien(d: Any) -> None:
        d.barrieres = "Double contrôle infirmier"

    def leur(d: Any) -> None:
        d.cause = "Interruptions de tâches pendant la préparation"

    return Cas(trouver=lambda db: rq.list_risques(db)[0].id, charger=rq.get_risque, enregistrer=rq.enregistrer_risque,
               leur=leur, vu="Interruptions de tâches", mien=mien, lu=lambda d: d.barrieres,
               attendu="Double contrôle infirmier")  # fmt: skip


def _plan_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    def mien(d: Any) -> None:
        d.diffusion = "Cellule de crise uniquement"

    def leur(d: Any) -> None:
        d.cycle_revision_mois = 24

    return Cas(trouver=crise.plan_en_vigueur, charger=crise.plan_data,  # type: ignore[arg-type]
               enregistrer=lambda db, d, **kw: crise.save_plan(db, d, crise.plan_en_vigueur(db), **kw),
               leur=leur, vu="Cycle de révision (mois) : 12 → 24", mien=mien, lu=lambda d: d.diffusion,
               attendu="Cellule de crise uniquement")  # fmt: skip


def _fiche_reflexe() -> Cas:
    """A fiche réflexe: its tasks are parts saved with it; a colleague's task changes are a change of the fiche."""
    from qualite_app.crise import services as crise

    vue: dict[str, int] = {}

    def trouver(db: Database) -> int:
        vue["plan"] = crise.plan_en_vigueur(db) or 0
        vue["fiche"] = crise.contenu(db, vue["plan"]).fiches[0].id
        return vue["fiche"]

    def mien(d: Any) -> None:
        d.lieu = "Salle de crise, bâtiment B"

    def leur(d: Any) -> None:
        d.taches.append(crise.TacheData("immediat", "Prévenir l'ARS (point focal régional)"))

    return Cas(trouver=trouver, charger=crise.get_fiche,
               enregistrer=lambda db, d, **kw: crise.save_fiche(db, vue["plan"], d, vue["fiche"], **kw),
               leur=leur, vu="Prévenir l'ARS", mien=mien, lu=lambda d: d.lieu, attendu="Salle de crise, bâtiment B")  # fmt: skip


def _contact_de_crise() -> Cas:
    """A contact of the crisis directory: its form is filled from the plan's contents, its version read with them."""
    from qualite_app.crise import services as crise

    vue: dict[str, int] = {}

    def trouver(db: Database) -> int:
        vue["plan"] = crise.plan_en_vigueur(db) or 0
        vue["contact"] = crise.contenu(db, vue["plan"]).contacts[0].id
        return vue["contact"]

    def charger(db: Database, cid: int) -> Any:
        plan = crise.contenu(db, vue["plan"])
        c = next(x for x in plan.contacts if x.id == cid)
        return crise.ContactData(c.fonction, c.categorie, c.nom, c.organisme, c.tel, c.tel_secours, c.email,
                                 roles=",".join(c.roles), notes=c.notes, **plan.edition(c))  # fmt: skip

    def mien(d: Any) -> None:
        d.organisme = "CHU de référence"

    def leur(d: Any) -> None:
        d.tel_secours = "01 98 76 54 32"

    return Cas(trouver=trouver, charger=charger,
               enregistrer=lambda db, d, **kw: crise.save_contact(db, vue["plan"], d, vue["contact"], **kw),
               leur=leur, vu="01 98 76 54 32", mien=mien, lu=lambda d: d.organisme, attendu="CHU de référence")  # fmt: skip


def _campagne() -> Cas:
    """A campaign (name, dates, scope): saved with keyword values and the version its dialog opened."""
    from qualite_app.certification import campagnes
    from qualite_app.socle import versions

    @dataclass
    class Form:
        nom: str
        debut: Any
        fin: Any
        date_visite: Any
        sites: str
        secteurs: str
        version_ligne: int | None
        charge_le: Any

    def charger(db: Database, cid: int) -> Form:
        c = campagnes.campagne(db, cid)
        return Form(c.nom, c.debut, c.fin, c.date_visite, c.sites, c.secteurs,
                    **versions.edition(db, "certif_campagne", cid))  # fmt: skip

    vue: dict[str, int] = {}

    def trouver(db: Database) -> int:
        vue["id"] = campagnes.campagnes(db)[0].id
        return vue["id"]

    def mien(f: Form) -> None:
        f.sites = "Site principal et EHPAD"

    def leur(f: Form) -> None:
        f.secteurs = "MCO, SSR, psychiatrie"

    return Cas(trouver=trouver, charger=charger,
               enregistrer=lambda db, f, **kw: campagnes.modifier_campagne(db, vue["id"], **vars(f), **kw),
               leur=leur, vu="MCO, SSR, psychiatrie", mien=mien, lu=lambda f: f.sites, attendu="Site principal et EHPAD")  # fmt: skip


@dataclass
class _Reponse:
    """An answer as a form opened it from the grid's row (with its version there), and the element it is about."""

    rep: Any
    noeud_id: int

    @property
    def version_ligne(self) -> int | None:
        return self.rep.version_ligne  # type: ignore[no-any-return]


def _reponse_de_certification() -> Cas:
    from dataclasses import replace

    from qualite_app.certification import campagnes

    def campagne(db: Database) -> int:
        return campagnes.campagnes(db)[0].id

    def charger(db: Database, nid: int) -> _Reponse:
        r = next(r for r in campagnes.grille(db, campagne(db)) if r.noeud_id == nid)
        return _Reponse(campagnes.Reponse(r.valeur or "conforme", commentaire=r.commentaire, motif_na=r.motif_na,
                                          version_ligne=r.version_ligne, charge_le=r.charge_le), nid)  # fmt: skip

    def enregistrer(db: Database, x: _Reponse, **kw: Any) -> int:
        return campagnes.repondre(db, campagne(db), x.noeud_id, x.rep, **kw)

    def mien(x: _Reponse) -> None:
        x.rep = replace(x.rep, commentaire="Vu en visite de service le 12/11")

    def leur(x: _Reponse) -> None:
        x.rep = replace(x.rep, valeur="non_conforme", commentaire="Écart constaté : pas de traçabilité")

    return Cas(trouver=lambda db: next(r.noeud_id for r in campagnes.grille(db, campagne(db)) if r.valeur),
               charger=charger, enregistrer=enregistrer, leur=leur, vu="Écart constaté", mien=mien,
               lu=lambda x: x.rep.commentaire, attendu="Vu en visite de service le 12/11")  # fmt: skip


@dataclass
class _Champs:
    """A form's fields (the keyword values its service takes) and the version it opened: the forms that save
    through keyword arguments (a tree's rename, a crisis level, a scenario…) rather than a data class."""

    valeurs: dict[str, Any]
    version_ligne: int | None
    charge_le: Any


def _par_champs(
    lire: Callable[[Database, int], tuple[dict[str, Any], dict[str, Any]]],
    ecrire: Callable[..., Any],
    trouver: Callable[[Database], int],
    leur: tuple[str, Any],
    vu: str,
    mien: tuple[str, Any],
) -> Cas:
    """A ``Cas`` for a form of keyword fields: ``lire`` gives (fields, edition) as the form read them,
    ``ecrire(db, ident, **fields, version_ligne=, charge_le=, ecraser=)`` saves."""
    vue: dict[str, int] = {}

    def find(db: Database) -> int:
        vue["id"] = trouver(db)
        return vue["id"]

    def charger(db: Database, ident: int) -> _Champs:
        valeurs, ed = lire(db, ident)
        return _Champs(dict(valeurs), ed["version_ligne"], ed["charge_le"])

    def enregistrer(db: Database, f: _Champs, **kw: Any) -> Any:
        return ecrire(db, vue["id"], **f.valeurs, version_ligne=f.version_ligne, charge_le=f.charge_le, **kw)

    return Cas(trouver=find, charger=charger, enregistrer=enregistrer,
               leur=lambda f: f.valeurs.__setitem__(*leur), vu=vu,
               mien=lambda f: f.valeurs.__setitem__(*mien), lu=lambda f: f.valeurs[mien[0]], attendu=mien[1])  # fmt: skip


def _programme_paqss() -> Cas:
    from qualite_app.paqss import services as paqss

    def lire(db: Database, pid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        p = next(p for p in paqss.tree(db) if p.id == pid)
        return {"nom": p.nom}, p.edition()

    return _par_champs(lire, paqss.rename_programme, lambda db: paqss.tree(db)[0].id,
                       ("nom", "PAQSS 2026–2029 (révisé)"), "PAQSS 2026–2029 (révisé)",
                       ("nom", "Programme qualité 2026–2030"))  # fmt: skip


def _axe_paqss() -> Cas:
    from qualite_app.paqss import services as paqss

    def lire(db: Database, aid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        a = next(a for p in paqss.tree(db) for a in p.axes if a.id == aid)
        return {"titre": a.titre, "code": a.code}, a.edition()

    return _par_champs(lire, lambda db, i, **kw: paqss.save_axe(db, 0, id=i, **kw),
                       lambda db: paqss.tree(db)[0].axes[0].id, ("code", "AX1"), "AX1",
                       ("titre", "Culture de sécurité et déclaration"))  # fmt: skip


def _objectif_paqss() -> Cas:
    from qualite_app.paqss import services as paqss

    def lire(db: Database, oid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        o = next(o for p in paqss.tree(db) for a in p.axes for o in a.objectifs if o.id == oid)
        return {"titre": o.titre, "code": o.code}, o.edition()

    return _par_champs(lire, lambda db, i, **kw: paqss.save_objectif(db, 0, id=i, **kw),
                       lambda db: paqss.tree(db)[0].axes[0].objectifs[0].id, ("code", "OB1"), "OB1",
                       ("titre", "Déclarer et analyser les EI"))  # fmt: skip


def _du_plan(liste: str, champs: tuple[str, ...]) -> Callable[[Database, int], tuple[dict[str, Any], dict[str, Any]]]:
    """How a form of the crisis plan's page reads one of its items (a level, a scenario…): from the plan's
    contents, with the version read with them."""
    from qualite_app.crise import services as crise

    def lire(db: Database, ident: int) -> tuple[dict[str, Any], dict[str, Any]]:
        plan = crise.contenu(db, crise.plan_en_vigueur(db) or 0)
        x = next(x for x in getattr(plan, liste) if x.id == ident)
        return {k: getattr(x, k) for k in champs}, plan.edition(x)

    return lire


def _premier(liste: str) -> Callable[[Database], int]:
    from qualite_app.crise import services as crise

    return lambda db: getattr(crise.contenu(db, crise.plan_en_vigueur(db) or 0), liste)[0].id  # type: ignore[no-any-return]


def _niveau_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    return _par_champs(_du_plan("niveaux", ("nom", "declenchement", "levee")), crise.save_niveau, _premier("niveaux"),
                       ("levee", "Levée décidée par le directeur de garde"), "Levée décidée par le directeur",
                       ("nom", "Niveau 1 — Tension hospitalière"))  # fmt: skip


def _scenario_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    def ecrire(db: Database, ident: int, **kw: Any) -> int:
        return crise.save_scenario(db, crise.plan_en_vigueur(db) or 0, scenario_id=ident, **kw)

    return _par_champs(_du_plan("scenarios", ("code", "nom", "famille", "description", "couleur")), ecrire,
                       _premier("scenarios"), ("description", "Victimes en nombre, tri à l'entrée"),
                       "tri à l'entrée", ("nom", "Afflux massif de victimes somatiques"))  # fmt: skip


def _message_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    def ecrire(db: Database, ident: int, **kw: Any) -> int:
        return crise.save_message(db, crise.plan_en_vigueur(db) or 0, message_id=ident, **kw)

    return _par_champs(_du_plan("messages", ("titre", "texte", "destinataire", "canal")), ecrire, _premier("messages"),
                       ("canal", "SMS et messagerie"), "SMS et messagerie",
                       ("titre", "Alerte au personnel — plan déclenché"))  # fmt: skip


def _ressource_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    def charger(db: Database, rid: int) -> Any:
        plan = crise.contenu(db, crise.plan_en_vigueur(db) or 0)
        r = next(x for x in plan.ressources if x.id == rid)
        return crise.RessourceData(r.libelle, r.type_ressource, None, r.quantite, r.unite, r.localisation, r.notes,
                                   **plan.edition(r))  # fmt: skip

    def mien(d: Any) -> None:
        d.localisation = "Bâtiment B, 2e étage"

    def leur(d: Any) -> None:
        d.quantite = 11

    return Cas(trouver=_premier("ressources"), charger=charger,
               enregistrer=lambda db, d, **kw: crise.save_ressource(db, crise.plan_en_vigueur(db) or 0, d,
                                                                   _premier("ressources")(db), **kw),
               leur=leur, vu="→ 11", mien=mien, lu=lambda d: d.localisation, attendu="Bâtiment B, 2e étage")  # fmt: skip


def _exercice_de_crise() -> Cas:
    from qualite_app.crise import services as crise

    vue: dict[str, int] = {}

    def trouver(db: Database) -> int:
        vue["id"] = crise.exercices(db, crise.plan_en_vigueur(db) or 0)[0].id
        return vue["id"]

    def mien(d: Any) -> None:
        d.participants = "Cellule de crise, urgences, SAMU"

    def leur(d: Any) -> None:
        d.retex = "RETEX complété : ligne dédiée commandée"

    return Cas(trouver=trouver, charger=crise.exercice_data,
               enregistrer=lambda db, d, **kw: crise.save_exercice(db, crise.plan_en_vigueur(db) or 0, d, vue["id"], **kw),
               leur=leur, vu="ligne dédiée commandée", mien=mien, lu=lambda d: d.participants,
               attendu="Cellule de crise, urgences, SAMU")  # fmt: skip


def _constat_de_retex() -> Cas:
    from qualite_app.crise import services as crise

    def exercice(db: Database) -> Any:
        return crise.exercices(db, crise.plan_en_vigueur(db) or 0)[0]

    def lire(db: Database, cid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        e = exercice(db)
        c = next(c for c in e.constats if c.id == cid)
        return {"texte": c.texte, "point_fort": c.point_fort}, {"version_ligne": c.version_ligne, "charge_le": e.charge_le}

    return _par_champs(lire, crise.modifier_constat, lambda db: exercice(db).constats[1].id,
                       ("point_fort", True), "Point fort", ("texte", "Plan de rappel : 14 numéros erronés"))  # fmt: skip


def _role_de_crise() -> Cas:
    """A role of the crisis cell: its dialog is opened from the plan's tree, with the version read with it."""
    from qualite_app.crise import services as crise

    def charger(db: Database, rid: int) -> Any:
        plan = crise.contenu(db, crise.plan_en_vigueur(db) or 0)
        r = next(x for x in plan.roles if x.id == rid)
        return crise.RoleData(r.code, r.libelle, r.mission, r.rend_compte_a, r.lieu,
                              r.titulaire.id if r.titulaire else None, [d.id for d in r.suppleants], **plan.edition(r))  # fmt: skip

    def mien(d: Any) -> None:
        d.libelle = "Directeur de crise (DPI)"

    def leur(d: Any) -> None:
        d.mission = "Décider, arbitrer, rendre compte à l'ARS"

    return Cas(trouver=_premier("roles"), charger=charger,
               enregistrer=lambda db, d, **kw: crise.save_role(db, crise.plan_en_vigueur(db) or 0, d,
                                                              _premier("roles")(db), **kw),
               leur=leur, vu="rendre compte à l'ARS", mien=mien, lu=lambda d: d.libelle,
               attendu="Directeur de crise (DPI)")  # fmt: skip


def _pole() -> Cas:
    from qualite_app.etablissement import identite

    def lire(db: Database, pid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        p = next(p for p in identite.list_poles(db) if p.id == pid)
        return {"nom": p.nom, "code": p.code}, p.edition()

    return _par_champs(lire, lambda db, i, **kw: identite.save_pole(db, pole_id=i, **kw),
                       lambda db: identite.list_poles(db)[0].id, ("code", "PMC"), "PMC", ("nom", "Pôle médecine et gériatrie"))  # fmt: skip


def _service() -> Cas:
    from qualite_app.etablissement import identite

    def lire(db: Database, sid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        x = next(x for x in identite.list_services(db) if x.id == sid)
        return {"nom": x.nom, "pole_id": x.pole_id, "code": x.code, "secteur": x.secteur}, x.edition()

    return _par_champs(lire, lambda db, i, **kw: identite.save_service(db, service_id=i, **kw),
                       lambda db: identite.list_services(db)[0].id, ("code", "SRV9"), "SRV9", ("secteur", "SMR"))  # fmt: skip


def _seuils_des_risques() -> Cas:
    """The risk map's cut-offs: ``rules.Seuils`` stays pure, its version travels beside it."""
    from qualite_app.risques import services as rq

    def lire(db: Database, _ident: int) -> tuple[dict[str, Any], dict[str, Any]]:
        s, ed = rq.seuils_ouverts(db)
        return {"tolerable": s.tolerable, "inacceptable": s.inacceptable, "avec_maitrise": s.avec_maitrise}, ed

    def ecrire(db: Database, _ident: int, *, version_ligne: Any, charge_le: Any, ecraser: bool = False, **v: Any) -> int:
        from qualite_app.risques import rules

        return rq.enregistrer_seuils(db, rules.Seuils(**v), version_ligne=version_ligne, charge_le=charge_le, ecraser=ecraser)

    # no row in the demo (the defaults): the colleague creates it, the conflict says so
    return _par_champs(lire, ecrire, lambda db: 1, ("inacceptable", 15), "création", ("tolerable", 6))


def _tableau_de_bord() -> Cas:
    """A dashboard, saved again under its name from the list's version."""
    from qualite_app.indicateurs import services as ind

    def lire(db: Database, tid: int) -> tuple[dict[str, Any], dict[str, Any]]:
        t = next(t for t in ind.list_tableaux(db) if t.id == tid)
        return {"nom": t.nom, "filtres": t.filtres}, t.edition()

    return _par_champs(lire, lambda db, _i, **kw: ind.save_tableau(db, **kw), lambda db: ind.list_tableaux(db)[0].id,
                       ("filtres", ind.Filtres(secteur="PSY")), "PSY", ("filtres", ind.Filtres(secteur="SMR")))  # fmt: skip


def test_a_dashboard_created_meanwhile_under_the_same_name_is_not_replaced_unseen(demo_db: Database) -> None:
    """Version 0: the list had no dashboard of that name; a colleague's created since is not overwritten."""
    from qualite_app.indicateurs import services as ind

    lu = ind.list_tableaux(demo_db)[0].charge_le
    with collegue(demo_db) as other:
        ind.save_tableau(other, "Hygiène", ind.Filtres(secteur="MCO"))
    with pytest.raises(ConflitEdition, match="Julien ARSAC"):
        ind.save_tableau(demo_db, "hygiène", ind.Filtres(secteur="SMR"), version_ligne=0, charge_le=lu)
    assert ind.get_tableau(demo_db, "Hygiène").filtres.secteur == "MCO"


CAS: dict[str, Callable[[], Cas]] = {
    "personne": _personne,
    "indicateur": _indicateur,
    "evenement": _evenement,
    "risque": _risque,
    "plan de crise": _plan_de_crise,
    "fiche réflexe": _fiche_reflexe,
    "contact de crise": _contact_de_crise,
    "campagne de certification": _campagne,
    "réponse de certification": _reponse_de_certification,
    "programme PAQSS": _programme_paqss,
    "axe PAQSS": _axe_paqss,
    "objectif PAQSS": _objectif_paqss,
    "rôle de crise": _role_de_crise,
    "niveau de crise": _niveau_de_crise,
    "scénario de crise": _scenario_de_crise,
    "ressource de crise": _ressource_de_crise,
    "message de crise": _message_de_crise,
    "exercice de crise": _exercice_de_crise,
    "constat de RETEX": _constat_de_retex,
    "pôle": _pole,
    "service": _service,
    "seuils des risques": _seuils_des_risques,
    "tableau de bord": _tableau_de_bord,
}


@pytest.mark.parametrize("nom", list(CAS))
def test_second_save_is_refused_with_the_first_change_then_forced(demo_db: Database, nom: str) -> None:
    cas = CAS[nom]()
    ident = cas.trouver(demo_db)
    with collegue(demo_db) as other:
        mine = cas.charger(demo_db, ident)
        theirs = cas.charger(other, ident)
        assert mine.version_ligne is not None and mine.version_ligne == theirs.version_ligne
        cas.leur(theirs)
        cas.enregistrer(other, theirs)
        cas.mien(mine)
        with pytest.raises(ConflitEdition) as e:
            cas.enregistrer(demo_db, mine)
        assert any("Julien ARSAC" in c and cas.vu in c for c in e.value.changements), e.value.changements
        assert "Julien ARSAC" in e.value.message and "Rien n'a été enregistré" in e.value.message
        assert cas.lu(cas.charger(demo_db, ident)) != cas.attendu  # nothing of mine written
        cas.enregistrer(demo_db, mine, ecraser=True)
        assert cas.lu(cas.charger(other, ident)) == cas.attendu
        again = cas.charger(other, ident)  # a fresh form saves without conflict
        assert again.version_ligne > theirs.version_ligne
        cas.enregistrer(other, again)


def test_reapplying_puts_only_my_changed_fields_over_the_current_item() -> None:
    """« Réappliquer » in the forms that merge: my fields over theirs, their other fields kept, an empty field
    the same whether None or "", the current version carried (the save is checked again)."""
    from qualite_app.etablissement.annuaire import PersonneData
    from qualite_app.socle import versions

    ouverte = PersonneData(nom="BRÉVANNE", fonction=None, tel_fixe=None, version_ligne=3)
    mienne = PersonneData(nom="BRÉVANNE", fonction="Directrice des soins", tel_fixe="", version_ligne=3)
    actuelle = PersonneData(
        nom="BRÉVANNE-MARTIN", fonction="Cadre", tel_fixe="01 23 45 67 89", version_ligne=4
    )
    out = versions.reappliquer(ouverte, mienne, actuelle)
    assert (out.nom, out.fonction, out.tel_fixe, out.version_ligne) == (
        "BRÉVANNE-MARTIN",
        "Directrice des soins",
        "01 23 45 67 89",
        4,
    )
