import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement import annuaire
from qualite_app.etablissement import identite as etablissement
from qualite_app.etablissement.annuaire import PersonneData
from qualite_app.etablissement.identite import EtablissementData
from qualite_app.socle import journal


def test_search_is_accent_and_case_insensitive(demo_db):
    rows = annuaire.list_personnes(demo_db, "helene brevanne")
    assert [r.nom for r in rows] == ["BRÉVANNE"]
    assert "Président·e de CME" in rows[0].roles
    by_role = annuaire.list_personnes(demo_db, "usagers")
    assert {r.nom for r in by_role} == {"GAUDRELLE", "OLLIVRON"}


def test_sort_in_sql(demo_db):
    asc = [r.nom for r in annuaire.list_personnes(demo_db, tri="nom")]
    desc = [r.nom for r in annuaire.list_personnes(demo_db, tri="nom", decroissant=True)]
    assert asc == sorted(asc) and desc[0] == asc[-1]


def test_invalid_fields_are_all_reported_and_nothing_written(demo_db):
    before = annuaire.count(demo_db)
    with pytest.raises(ValidationError) as err:
        annuaire.save_personne(demo_db, PersonneData(nom="", email="pas-un-courriel", tel_mobile="06 12"))
    assert set(err.value.errors) == {"nom", "email", "tel_mobile"}
    assert annuaire.count(demo_db) == before


def test_edit_is_journaled_with_old_and_new_values(demo_db):
    pid = annuaire.list_personnes(demo_db, "arsac")[0].id
    data = annuaire.get_personne(demo_db, pid)
    old = data.tel_mobile
    data.tel_mobile = "0639981234"
    data.roles = [*data.roles, "Référent·e SSE (situations sanitaires exceptionnelles)"]
    annuaire.save_personne(demo_db, data)
    lines = journal.list_entries(demo_db, entite_table="personne", entite_id=pid)
    change = next(x for x in lines if x.champ == "Téléphone mobile")
    assert (change.ancienne_valeur, change.nouvelle_valeur) == (old, "06 39 98 12 34")
    assert change.utilisateur == "Camille Testeur (testeur)"
    assert change.action == "modification"
    roles = journal.list_entries(demo_db, entite_type="Rôle", texte="SSE")
    assert roles and roles[0].action == "création"


def test_service_change_journaled_by_name(demo_db):
    pid = annuaire.list_personnes(demo_db, "arsac")[0].id
    data = annuaire.get_personne(demo_db, pid)
    urg = next(s for s in etablissement.list_services(demo_db) if s.code == "URG")
    data.service_id = urg.id
    annuaire.save_personne(demo_db, data)
    line = next(x for x in journal.list_entries(demo_db, entite_id=pid, entite_table="personne") if x.champ == "Service")
    assert (line.ancienne_valeur, line.nouvelle_valeur) == ("Direction qualité et gestion des risques", "Urgences adultes")


def test_delete_person_journaled(demo_db):
    pid = annuaire.list_personnes(demo_db, "ollivron")[0].id
    annuaire.delete_personne(demo_db, pid)
    assert annuaire.list_personnes(demo_db, "ollivron") == []
    assert journal.list_entries(demo_db, entite_id=pid, entite_table="personne")[0].action == "suppression"
    with pytest.raises(UserError):
        annuaire.delete_personne(demo_db, pid)


def test_journal_cannot_be_edited_even_in_sql(demo_db):
    """Append-only on both engines: triggers on SQLite (0001/0006), a trigger function on PostgreSQL (0009)."""
    for sql in ("UPDATE journal_audit SET nouvelle_valeur = 'falsifié'", "DELETE FROM journal_audit"):
        with demo_db.engine.begin() as conn, pytest.raises(DBAPIError, match="Le journal ne peut pas être"):
            conn.exec_driver_sql(sql)
    if demo_db.engine.dialect.name == "postgresql":
        with demo_db.engine.begin() as conn, pytest.raises(DBAPIError, match="Le journal ne peut pas être supprimé"):
            conn.exec_driver_sql("TRUNCATE journal_audit")
    else:  # another program than ours (the sqlite3 module, the sqlite3 shell) meets the same triggers
        raw = sqlite3.connect(demo_db.path)
        with pytest.raises(sqlite3.DatabaseError):
            raw.execute("DELETE FROM journal_audit")
        raw.close()
    assert journal.list_entries(demo_db)[0].action


def test_etablissement_validation_and_quebec(db):
    with pytest.raises(ValidationError) as err:
        etablissement.save(db, EtablissementData(raison_sociale="CH", finess_ej="12345"))
    assert "finess_ej" in err.value.errors
    assert etablissement.get(db) is None
    saved = etablissement.save(db, EtablissementData(raison_sociale="CIUSSS fictif", pays="QC", code_etablissement="11045-2"))
    assert saved.code_etablissement == "11045-2"
    assert etablissement.get(db).pays == "QC"


def test_services_and_poles(demo_db):
    pole_id = etablissement.save_pole(demo_db, "Pôle Addictologie")
    sid = etablissement.save_service(demo_db, "ELSA", pole_id, "ELSA", "MCO")
    with pytest.raises(UserError, match="existe déjà"):
        etablissement.save_service(demo_db, "elsa", pole_id)
    with pytest.raises(UserError, match="contient encore"):
        etablissement.delete_pole(demo_db, pole_id)
    etablissement.delete_service(demo_db, sid)
    etablissement.delete_pole(demo_db, pole_id)
    assert "Pôle Addictologie" not in [p.nom for p in etablissement.list_poles(demo_db)]


def test_creation_is_one_journal_line_listing_the_filled_fields(demo_db):
    urg = next(s for s in etablissement.list_services(demo_db) if s.code == "URG")
    pid = annuaire.save_personne(demo_db, PersonneData(nom="Nouvel", prenom="Agent", email="agent.nouvel@ch-valdebrume.fr", service_id=urg.id))
    (line,) = journal.list_entries(demo_db, entite_table="personne", entite_id=pid)
    assert (line.action, line.champ) == ("création", "")
    assert line.nouvelle_valeur.split(" · ") == ["Nom : Nouvel", "Prénom : Agent", "Service : Urgences adultes", "Courriel : agent.nouvel@ch-valdebrume.fr", "Actif : Oui"]


def test_removed_role_is_journaled_with_the_person(demo_db):
    pid = annuaire.list_personnes(demo_db, "ollivron")[0].id
    data = annuaire.get_personne(demo_db, pid)
    data.roles = []
    annuaire.save_personne(demo_db, data)
    assert annuaire.get_personne(demo_db, pid).roles == []
    line = journal.list_entries(demo_db, entite_type="Rôle", texte="OLLIVRON")[0]
    assert (line.action, line.entite_libelle) == ("suppression", "Bernard OLLIVRON — Représentant·e des usagers")
