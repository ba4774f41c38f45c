"""verrouillage optimiste : une colonne ``version`` sur chaque ligne qu'un formulaire modifie (issue 13)

Revision ID: 0015_versions
Revises: 0014_crise_exercices
Create Date: 2026-12-01 09:40:00

Every row a user edits through a form gets a counter incremented by each save (``storage.base.Versionne``);
a save made from an older version is refused with what changed meanwhile (never a silent overwrite).
``paqss_action`` has had it since 0013. The crisis plan's and the evidence's ``version`` are already their own
(« version 3 » of the plan, of the file): their counter is ``version_ligne``.

Left without: the append-only or log tables (journal_audit, crise_entree — the main courante —, crise_coche,
crise_revision, certif_preuve_version, paqss_commentaire, indicateur_mesure — the results series, imported or
typed per period, each change journaled —, indicateur_rebase, indicateur_note, rapport_emis — the register —),
the content-addressed blobs, the links and association rows (lien, certif_preuve_critere, crex_evenement,
evenement_analyse_lien, crise_fiche_scenario, paqss_action_copilote, paqss_action_service), the parts saved
with their item's form, whose version is incremented by that save (personne_role, paqss_jalon, crise_suppleant,
crise_tache, evenement_analyse_etape, evenement_analyse_facteur), what is imported and never edited in a form
(certif_referentiel, certif_noeud), the signing identities and trusted certificates (added or removed, never
edited), and crise_activation (written by everyone at once during a crisis through dedicated actions, not a
form).

Plain ADD COLUMN with a server default on both engines (no batch: SQLite keeps its tables, triggers and indexes
as they are); existing rows start at 1.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_versions"
down_revision = "0014_crise_exercices"
branch_labels = None
depends_on = None

#: table -> its counter column
TABLES = {
    "etablissement": "version",
    "pole": "version",
    "service": "version",
    "personne": "version",
    "paqss_programme": "version",
    "paqss_axe": "version",
    "paqss_objectif": "version",
    "indicateur": "version",
    "indicateur_cible": "version",
    "tableau_de_bord": "version",
    "evenement": "version",
    "evenement_eigs": "version",
    "crex_seance": "version",
    "evenement_analyse": "version",
    "risque": "version",
    "risque_seuils": "version",
    "crise_plan": "version_ligne",
    "crise_niveau": "version",
    "crise_scenario": "version",
    "crise_role": "version",
    "crise_fiche": "version",
    "crise_contact": "version",
    "crise_ressource": "version",
    "crise_message": "version",
    "crise_exercice": "version",
    "crise_constat": "version",
    "certif_campagne": "version",
    "certif_session": "version",
    "certif_reponse": "version",
    "certif_preuve": "version_ligne",
}


def upgrade() -> None:
    for table, column in TABLES.items():
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table, column in reversed(TABLES.items()):
        with op.batch_alter_table(table) as b:
            b.drop_column(column)
