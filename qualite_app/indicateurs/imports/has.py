"""Importing a HAS open-data file (IQSS, e-Satis: one row per establishment, columns per indicator):
find our establishment's row, recognise the indicators' columns, preview, then commit all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Etablissement
from qualite_app.exchange.tableur import Table, read_table
from qualite_app.indicateurs import services as ind_svc
from qualite_app.indicateurs.imports.mesures import cle_entete
from qualite_app.indicateurs.models import Indicateur
from qualite_app.indicateurs.services import MesureData
from qualite_app.rules import periodes
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database

# --- HAS open data -------------------------------------------------------------------------------------
ROLE_SCORE, ROLE_EFFECTIF, ROLE_CLASSE, ROLE_IGNORE = "score", "effectif", "classe", "ignoré"
_TOKENS_CLASSE = {"classe", "class", "classement", "cat", "categorie", "niveau"}
_TOKENS_EFFECTIF = {"nb", "nombre", "n", "effectif", "rep", "repondants", "reponses", "den", "denominateur", "dossiers", "sejours"}
_TOKENS_IGNORE = {"evol", "evolution", "tendance", "participation", "depot", "reco", "brut", "ic", "icinf", "icsup", "inf", "sup", "borne", "lower", "upper", "lib", "libelle", "comparaison", "position", "annee", "campagne", "bas", "haut", "icbas", "ichaut", "min", "max"}
_ID_TOKENS = {"finess", "rs", "raison", "region", "departement", "dpt", "ville", "commune", "categorie", "statut", "nom"}


def norm_finess(value: object) -> str:
    """A FINESS as read from a file: « 19990015 », 19990015.0, « 19990015.0 », « 019 990 015 » → « 019990015 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s\u00a0]", "", str(value)).upper()
    text = re.sub(r"^(\d+)\.0+$", r"\1", text)  # a number stored as text by a spreadsheet
    if text.isdigit() and len(text) < 9:
        text = text.zfill(9)
    return text


@dataclass
class ColonneHas:
    entete: str
    role: str


@dataclass
class PropositionHas:
    cle: str  # the indicator as named in the file
    code: str  # catalogue or existing indicator code
    libelle: str
    existe: bool  # already in the database
    au_catalogue: bool
    valeur: float | None
    denominateur: float | None
    classe: str | None
    statut: str | None
    colonnes: list[ColonneHas]
    choisi: bool = True
    _overall: bool = False
    _overall_n: bool = False


@dataclass
class ApercuHas:
    fichier: str
    periode: str
    ligne: int  # row of our establishment in the file (header = 1)
    raison_sociale: str
    finess_trouve: str
    propositions: list[PropositionHas] = field(default_factory=list)
    non_reconnues: list[str] = field(default_factory=list)


def _tokens(header: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", fold(header)) if t]


def _known_codes(db: Database) -> list[tuple[str, str, str, bool, bool]]:
    """(normalised key, code, label, in database, in catalogue), longest keys first."""
    with db.session() as s:
        existing = {c: lib for c, lib in s.execute(select(Indicateur.code, Indicateur.libelle))}
    out: list[tuple[str, str, str, bool, bool]] = []
    for e in ind_svc.catalogue():
        for k in {cle_entete(e.code), *(cle_entete(a) for a in e.alias)}:
            out.append((k, e.code, existing.get(e.code, e.libelle), e.code in existing, True))
    cat = {e.code for e in ind_svc.catalogue()}
    for c, lib in existing.items():
        if c not in cat:
            out.append((cle_entete(c), c, lib, True, False))
    out.sort(key=lambda x: -len(x[0]))
    return out


def _role(header: str, code_key: str) -> str:
    toks = set(_tokens(header))
    # the words around the indicator's name; a short word such as « ic » stays even when inside the code (icsha)
    rest = {t for t in toks if (t not in code_key or len(t) <= 2) and code_key not in t}
    if rest & _TOKENS_IGNORE:
        return ROLE_IGNORE
    if rest & _TOKENS_CLASSE:
        return ROLE_CLASSE
    if rest & _TOKENS_EFFECTIF:
        return ROLE_EFFECTIF
    return ROLE_SCORE


# e-Satis open-data files name the sector inside each column: score_all_rea_ajust (MCO + 48 h),
# score_ALL_ssr_ajust (SSR/SMR), score_all_ca_ajust (chirurgie ambulatoire)…; older files only in their name.
_ESATIS_SECTEURS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"ca", "ambu", "ambulatoire", "mcoca"}), "ESATIS-CA"),
    (frozenset({"ssr", "smr"}), "ESATIS-SMR"),
    (frozenset({"had"}), "ESATIS-HAD"),
    (frozenset({"rea", "48h", "esatis48h", "mco", "mco48h"}), "ESATIS48H-MCO"),
)
_ESATIS_OVERALL = {"all", "global", "ensemble", "total"}
#: e-Satis columns that carry no indicator name but belong to the file's indicator
_ESATIS_CLASSE = {"classement", "classe"}
_ESATIS_ANNEXES = {"evolution", "evol", "participation", "depot", "tauxrecobrut", "nbrecobrut", "tauxreco", "nbreco"}


#: statuses as some files write them in full (« Données insuffisantes », « Non validé »…)
_STATUTS_EN_CLAIR = {cle_entete(label): code for code, label in ind_svc.STATUTS.items()} | {"nonrepondant": "NR", "nonrecueilli": "NR"}


def _esatis_secteur(tokens: set[str]) -> str | None:
    for names, code in _ESATIS_SECTEURS:
        if tokens & names:
            return code
    return None


def _esatis_colonne(header: str) -> tuple[bool, set[str]] | None:
    """(is an e-Satis score/count column, its tokens) for columns like ``nb_rep_score_ALL_ssr_ajust``."""
    toks = set(_tokens(header))
    if "score" in toks and ("ajust" in toks or "ajuste" in toks or toks & _ESATIS_OVERALL):
        return True, toks
    return None


@dataclass(frozen=True)
class SiteHas:
    """One site (FINESS géographique) of our legal entity in an open-data file."""

    finess_geo: str
    raison_sociale: str
    commune: str
    ligne: int

    def texte(self) -> str:
        return " — ".join(x for x in (f"FINESS géographique {self.finess_geo}", self.raison_sociale, self.commune) if x) + f" (ligne {self.ligne})"


class PlusieursSites(UserError):
    """The file has several sites for our FINESS EJ and we cannot tell which one is ours: the user chooses."""

    def __init__(self, message: str, sites: list[SiteHas]) -> None:
        super().__init__(message)
        self.sites = sites


def _columns(table: Table) -> tuple[list[int], list[int], int | None, int | None, int | None]:
    """(EJ FINESS columns, site FINESS columns, EJ name column, site name column, town column)."""
    ej: list[int] = []
    geo: list[int] = []
    rs_ej = rs_geo = commune = None
    for i, h in enumerate(table.headers):
        k = cle_entete(h)
        site = "geo" in k or k.endswith(("et", "etablissement"))
        if "finess" in k and not k.startswith(("rs", "raison", "nom")):
            (geo if site else ej).append(i)
        elif k.startswith(("rs", "raisonsociale", "nometablissement", "denomination")) or k == "nom":
            if site and rs_geo is None:
                rs_geo = i
            elif not site and rs_ej is None:
                rs_ej = i
        elif commune is None and k in ("commune", "ville", "libcommune", "libellecommune", "nomcommune", "communeet"):
            commune = i
    return ej, geo, rs_ej, rs_geo, commune


def _find_site(table: Table, etab: Etablissement, finess_geo: str | None) -> tuple[int, list[Any], str, str]:
    """(line, row, FINESS found, the site's own name): our row, by FINESS ET, else the only site of our EJ."""
    ej_cols, geo_cols, rs_ej, rs_geo, commune = _columns(table)
    if not ej_cols and not geo_cols:
        raise UserError(f"« {table.name} » : aucune colonne FINESS trouvée ; est-ce bien un fichier open data de la HAS ?")
    our_et, our_ej = norm_finess(etab.finess_et), norm_finess(etab.finess_ej)
    wanted = norm_finess(finess_geo) if finess_geo else ""

    def name(row: list[Any]) -> str:
        for i in (rs_geo, rs_ej):
            if i is not None and str(row[i] or "").strip():
                return str(row[i]).strip()
        return ""

    by_et: tuple[int, list[Any], str] | None = None
    sites: dict[str, tuple[int, list[Any]]] = {}  # our EJ's sites, by their FINESS géographique
    for k, row in enumerate(table.rows):
        geo = [norm_finess(row[i]) for i in geo_cols]
        ej = [norm_finess(row[i]) for i in ej_cols]
        if by_et is None and our_et and our_et in (*geo, *ej):
            by_et = (table.line(k), row, our_et)
        if our_ej and our_ej in ej:
            site = next((g for g in geo if g), "") or f"ligne {table.line(k)}"
            sites.setdefault(site, (table.line(k), row))
    listed = [
        SiteHas(g, name(row), str(row[commune] or "").strip() if commune is not None else "", n) for g, (n, row) in sites.items()
    ]
    if wanted:
        if wanted in sites:
            n, row = sites[wanted]
            return n, row, wanted, name(row)
        if by_et is not None and wanted == our_et:
            return by_et[0], by_et[1], our_et, name(by_et[1])
        raise PlusieursSites(
            f"« {table.name} » : le FINESS géographique {wanted} n'est pas un site de notre établissement (FINESS EJ {our_ej or '—'}) "
            "dans ce fichier." + (" Sites trouvés :\n" + "\n".join(f"  • {x.texte()}" for x in listed) if listed else ""),
            listed,
        )
    if by_et is not None:
        return by_et[0], by_et[1], by_et[2], name(by_et[1])
    if len(sites) == 1:
        ((g, (n, row)),) = sites.items()
        return n, row, g if not g.startswith("ligne") else our_ej, name(row)
    if len(sites) > 1:
        et = f"le FINESS ET de l'établissement ({our_et}) n'y figure pas" if our_et else "le FINESS ET de l'établissement n'est pas renseigné"
        raise PlusieursSites(
            f"« {table.name} » : plusieurs sites pour notre FINESS EJ {our_ej} et {et}. Sites trouvés :\n"
            + "\n".join(f"  • {x.texte()}" for x in listed)
            + "\nChoisissez le site avec --finess-geo NUMERO (ou dans la fenêtre d'import), "
            "ou renseignez le FINESS ET de l'établissement (page Établissement).",
            listed,
        )
    ours = sorted(f for f in (our_et, our_ej) if f)
    raise UserError(
        f"« {table.name} » : aucune ligne pour notre établissement (FINESS {', '.join(ours)}). "
        "Vérifiez le fichier ou les numéros FINESS de l'établissement."
    )


def _candidats(headers: list[str], known: list[tuple[str, str, str, bool, bool]], fichier: str, limit: int = 6) -> list[str]:
    """Catalogue indicators close to the unrecognised columns (and to the file's name), best first."""
    import difflib

    words = {t[:5] for h in [*headers, fichier] for t in _tokens(h) if len(t) >= 4}
    keys = [cle_entete(h) for h in headers]
    esatis = any(_esatis_colonne(h) for h in headers)
    scores: dict[str, tuple[float, str]] = {}
    for key, code, libelle, _existe, _cat in known:
        label_words = {t[:5] for t in _tokens(libelle) if len(t) >= 4}
        score = len(words & label_words) + max((difflib.SequenceMatcher(None, key, k).ratio() for k in keys), default=0.0)
        if esatis and code.upper().startswith("ESATIS"):
            score += 2
        if score > scores.get(code, (0.0, ""))[0]:
            scores[code] = (score, libelle)
    best = sorted(scores.items(), key=lambda x: -x[1][0])
    return [f"{code} ({libelle})" for code, (score, libelle) in best[:limit] if score >= 0.6]


def preview_has(
    db: Database, table: Table, periode: str, indicateur: str | None = None, *, finess_geo: str | None = None
) -> ApercuHas:
    """Find our row by FINESS and the indicator columns; ``indicateur``: the file is about that one indicator;
    ``finess_geo``: our site when the file has several sites for our FINESS EJ."""
    try:
        per = periodes.parse(periode)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    with db.session() as s:
        etab = s.scalar(select(Etablissement))
    if etab is None or not (etab.finess_ej or etab.finess_et):
        raise UserError("Renseignez d'abord les numéros FINESS de l'établissement (page Établissement).")
    n, row, finess, nom = _find_site(table, etab, finess_geo)
    ej_cols, geo_cols, rs_ej, rs_geo, commune = _columns(table)
    skip = {*ej_cols, *geo_cols, rs_ej, rs_geo, commune}
    ap = ApercuHas(table.name, per.code, n, nom, finess)
    known = _known_codes(db)
    by_code = {x[1]: x for x in known}
    fixed: tuple[str, str, str, bool, bool] | None = None
    if indicateur:
        fixed = next((x for x in known if x[1].upper() == indicateur.strip().upper()), None)
        if fixed is None:
            raise UserError(f"« {indicateur} » n'est ni un indicateur suivi ni un indicateur du catalogue national.")
    # the e-Satis indicator of the file: from the sector named in its columns, else in the file's name
    file_toks = set(_tokens(Path(table.name).stem))
    esatis_codes: set[str] = set()
    esatis_cols = [h for i, h in enumerate(table.headers) if i not in skip and _esatis_colonne(h)]
    for h in esatis_cols:
        code = _esatis_secteur(set(_tokens(h))) or _esatis_secteur(file_toks)
        if code:
            esatis_codes.add(code)
    file_esatis: str | None = fixed[1] if fixed else (next(iter(esatis_codes)) if len(esatis_codes) == 1 else None)
    groups: dict[str, PropositionHas] = {}
    for i, h in enumerate(table.headers):
        toks = set(_tokens(h))
        hk = cle_entete(h)
        if i in skip or (toks & _ID_TOKENS and not any(k in hk for k, *_ in known)):
            continue
        role: str | None = None
        hit = next((x for x in known if x[0] and x[0] in hk), None)
        if hit is None and _esatis_colonne(h):
            code = _esatis_secteur(toks) or _esatis_secteur(file_toks) or (fixed[1] if fixed else None)
            hit = by_code.get(code or "") or fixed  # a sector we do not know: the indicator the user named
            if hit is None:
                ap.non_reconnues.append(h)
                continue
            overall = bool(toks & _ESATIS_OVERALL)
            # a sub-score (accueil, repas…) is never the indicator's result
            role = (ROLE_EFFECTIF if toks & {"nb", "rep", "nombre"} else ROLE_SCORE) if overall else ROLE_IGNORE
        if hit is None and file_esatis is not None and (hk in _ESATIS_CLASSE or hk in _ESATIS_ANNEXES):
            hit = by_code.get(file_esatis)
            role = ROLE_CLASSE if hk in _ESATIS_CLASSE else ROLE_IGNORE
        if hit is None and fixed is not None:
            hit = (fixed[0], *fixed[1:])  # a file about one indicator: its columns carry no code
        if hit is None:
            ap.non_reconnues.append(h)
            continue
        key, code, libelle, existe, au_cat = hit
        prop = groups.get(code)
        if prop is None:
            prop = groups[code] = PropositionHas(h, code, libelle, existe, au_cat, None, None, None, None, [])
        role = role or _role(h, key)
        if role == ROLE_SCORE and all(c.role != ROLE_SCORE for c in prop.colonnes):
            prop.cle = h  # the indicator as the file names it: its (first) score column
        prop.colonnes.append(ColonneHas(h, role))
        if role == ROLE_IGNORE:
            continue
        raw = row[i]
        text = _STATUTS_EN_CLAIR.get(cle_entete(raw), str(raw).strip().upper() if raw is not None else "")
        if text in ind_svc.STATUTS:
            if role != ROLE_EFFECTIF:
                prop.statut = text
            continue
        if role == ROLE_CLASSE:
            if text in ind_svc.CLASSES:
                prop.classe = text
        elif role in (ROLE_SCORE, ROLE_EFFECTIF):
            try:
                v = ind_svc.parse_nombre(raw)
            except ValueError:
                v = None
            # the overall score wins over the sub-scores (accueil, repas…) when the file has several
            overall = bool(toks & _ESATIS_OVERALL)
            if role == ROLE_SCORE and v is not None and (prop.valeur is None or (overall and not prop._overall)):
                prop.valeur, prop._overall = v, overall
            elif role == ROLE_EFFECTIF and v and v > 0 and (prop.denominateur is None or (overall and not prop._overall_n)):
                prop.denominateur, prop._overall_n = v, overall
    for p in groups.values():
        if p.statut in ("DI", "NR"):
            p.valeur = None
        p.choisi = p.valeur is not None or p.statut is not None or p.classe is not None
    ap.propositions = sorted(groups.values(), key=lambda p: p.code)
    if not ap.propositions:
        proches = _candidats(ap.non_reconnues, known, table.name)
        lues = ", ".join(ap.non_reconnues[:10]) + (" …" if len(ap.non_reconnues) > 10 else "")
        raise UserError(
            f"« {table.name} » : aucune colonne ne désigne un indicateur connu (colonnes lues : {lues or 'aucune'})."
            + (" Indicateurs proches du catalogue : " + " ; ".join(proches) + "." if proches else "")
            + " Si le fichier ne porte que sur un indicateur, relancez avec --indicateur CODE "
            "(ou choisissez « Indicateur du fichier » dans la fenêtre d'import)."
        )
    return ap


def commit_has(db: Database, ap: ApercuHas) -> int:
    """Create the chosen catalogue indicators that are missing, then write the campaign's results."""
    chosen = [p for p in ap.propositions if p.choisi]
    if not chosen:
        raise UserError("Aucun indicateur choisi : rien à importer.")
    n = 0
    with db.unit_of_work() as s:
        for p in chosen:
            ind = s.scalar(select(Indicateur).where(Indicateur.code == p.code))
            if ind is None:
                e = ind_svc.catalogue_entry(p.code)
                if e is None:
                    raise UserError(f"L'indicateur « {p.code} » n'existe plus.")
                ind = ind_svc.from_catalogue(e)
                s.add(ind)
                s.flush()
            m = MesureData(
                periode=ap.periode, valeur=p.valeur, denominateur=p.denominateur, classe=p.classe, statut=p.statut,
                source=f"{ap.fichier} (open data HAS, ligne {ap.ligne})",
            )  # fmt: skip
            if m.valeur is None and m.statut is None and m.classe is None:
                raise UserError(f"« {p.code} » : ni valeur, ni classe, ni statut dans le fichier ; décochez-le.")
            # a HAS score is the result itself: no numerator, the count is kept as denominator for the record
            where = f"« {ap.fichier} », ligne {ap.ligne}, {p.code}"
            clean = ind_svc.clean_mesure(m, "score" if ind.type == "taux" else ind.type, ind.echelle, where, unite=ind.unite)
            n += ind_svc.upsert_mesures(s, ind, [clean])
    return n


def import_has(
    db: Database, path: Path | str, periode: str, *, indicateur: str | None = None, finess_geo: str | None = None, dry_run: bool = False
) -> ApercuHas:
    ap = preview_has(db, read_table(path), periode, indicateur, finess_geo=finess_geo)
    if not dry_run:
        commit_has(db, ap)
    return ap
