"""Importing results into the indicators area: ``mesures`` (a long-format table of any indicator's results)
and ``has`` (a HAS open-data file). Both preview first, then commit all or nothing in one transaction.
"""

from __future__ import annotations

from qualite_app.indicateurs.imports.has import (
    ROLE_CLASSE,
    ROLE_EFFECTIF,
    ROLE_IGNORE,
    ROLE_SCORE,
    ApercuHas,
    ColonneHas,
    PlusieursSites,
    PropositionHas,
    SiteHas,
    commit_has,
    import_has,
    norm_finess,
    preview_has,
)
from qualite_app.indicateurs.imports.mesures import (
    CHAMPS,
    OBLIGATOIRES,
    Apercu,
    LigneApercu,
    cle_entete,
    commit,
    import_mesures,
    preview_mesures,
    propose_mapping,
)

__all__ = [
    "CHAMPS", "OBLIGATOIRES", "ROLE_CLASSE", "ROLE_EFFECTIF", "ROLE_IGNORE", "ROLE_SCORE", "Apercu", "ApercuHas",
    "ColonneHas", "LigneApercu", "PlusieursSites", "PropositionHas", "SiteHas", "cle_entete", "commit", "commit_has",
    "import_has", "import_mesures", "norm_finess", "preview_has", "preview_mesures", "propose_mapping",
]  # fmt: skip
