"""``qualite note | sign | verify | identity …``: signed reports from the command line (same services as the GUI)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from qualite_app.cli import open_database as _open
from qualite_app.errors import UserError

PASSWORD_ENV = "QUALITE_SIGN_PASSWORD"




_NO_PASSWORD_OPTION = (
    "l'option --password n'existe plus (un mot de passe tapé sur la ligne de commande reste visible dans la liste "
    f"des processus et l'historique) : utilisez --password-file FICHIER, la variable {PASSWORD_ENV}, "
    "ou tapez-le quand il est demandé"
)


class _RefusedPassword(argparse.Action):
    """``--password`` is refused with a French message that never repeats the secret (no abbreviation of
    ``--password-file`` either: argparse would otherwise read ``--password SECRET`` as a file name)."""

    def __init__(self, option_strings: list[str], dest: str, **kw: object) -> None:
        super().__init__(option_strings, dest, nargs="?", help=argparse.SUPPRESS)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None) -> None:
        parser.error(_NO_PASSWORD_OPTION)


def add_password_arguments(parser: argparse.ArgumentParser, what: str = "mot de passe ou code PIN", env: str = PASSWORD_ENV) -> None:
    """``--password-file FICHIER`` (never the secret itself on the command line; ``--password`` is refused)."""
    parser.add_argument(
        "--password-file",
        metavar="FICHIER",
        help=f"{what} : la première ligne de ce fichier (sinon la variable {env}, sinon demandé sans écho)",
    )
    parser.add_argument("--password", action=_RefusedPassword)


def add_sign_arguments(parser: argparse.ArgumentParser) -> None:
    """``--sign --identity NOM [--password-file FICHIER]``: the same options for every report command (issues 4, 5…)."""
    parser.add_argument("--sign", action="store_true", help="signer le rapport")
    parser.add_argument("--identity", metavar="NOM", help="identité de signature (voir « qualite identity list »)")
    add_password_arguments(parser)


def sign_options(args: argparse.Namespace, db: object = None) -> tuple[str | None, str | None]:
    """(identity, password) for ``rapports.emettre`` from the options of ``add_sign_arguments``.

    With ``db``, an identity that needs no password (unencrypted PKCS#12) is not asked one.
    """
    if not getattr(args, "sign", False):
        return None, None
    if not args.identity:
        raise UserError("--sign demande --identity NOM (voir « qualite identity list »).")
    if db is not None:
        from qualite_app.rapports import services as rapports

        if not rapports.mot_de_passe_requis(db, args.identity):  # type: ignore[arg-type]
            return args.identity, None
    return args.identity, sign_password(args)


def sign_password(args: argparse.Namespace, prompt: str = "Mot de passe (ou code PIN) de l'identité : ", env: str = PASSWORD_ENV) -> str:
    """``--password-file``, else the variable ``env`` (``QUALITE_SIGN_PASSWORD``), else a prompt (never echoed)
    when a terminal is there."""
    path = getattr(args, "password_file", None)
    if path:
        return read_password_file(path)
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(
            f"Mot de passe requis : indiquez --password-file FICHIER ou la variable {env} "
            "(ou lancez la commande dans un terminal pour le taper)."
        )
    import getpass

    return getpass.getpass(prompt)


def read_password_file(path: str) -> str:
    """The first line of ``path``, its line ending stripped; a missing or unreadable file is refused in French."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"Fichier de mot de passe introuvable : {p}") from exc
    except OSError as exc:
        raise UserError(f"Impossible de lire le fichier de mot de passe « {p} » : {_os_reason(exc)}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.split("\n", 1)[0].removesuffix("\r")


def _os_reason(exc: OSError) -> str:
    import errno

    return {
        errno.EACCES: "accès refusé",
        errno.EPERM: "accès refusé",
        errno.EISDIR: "c'est un dossier, pas un fichier",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
        errno.ELOOP: "trop de liens symboliques",
        errno.EIO: "erreur de lecture du disque",
    }.get(exc.errno or 0, "erreur du système")


def _read_file(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise UserError(f"Fichier introuvable : {p}")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise UserError(f"Impossible de lire « {p} » : {exc.strerror or exc}") from exc


def _write(path: str, data: bytes) -> Path:
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire « {p} » : {exc.strerror or exc}") from exc
    return p


def _parse_when(text: str | None) -> datetime | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise UserError(f"Date « {text} » non reconnue : écrivez-la jj/mm/aaaa hh:mm (par exemple 21/11/2026 14:30).")


# --- commands ---------------------------------------------------------------------------------------


def cmd_note(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports
    from qualite_app.rapports.note import NoteData

    note = NoteData(
        sujet=args.titre,
        categorie=args.categorie,
        faits=args.faits,
        survenu_le=_parse_when(args.date),
        mesures=args.mesures or "",
        decisions=args.decisions or "",
        personnes_informees=args.informes or "",
        pieces_jointes=list(args.piece or []),
        restreinte=not args.diffusion_normale,
    )
    with _open(args) as db:
        rapports.valider_note(note)
        if args.sign and args.identity:
            rapports.identity_spec(db, args.identity)  # an unknown identity is said before asking a password
        identity, password = sign_options(args, db)
        row = rapports.emettre_note(db, note, identity=identity, password=password)
        out = _write(args.out, row.pdf)
    state = f"signée par {row.signataire}" if row.signataire else "non signée"
    print(f"Note {row.reference} émise ({state}), inscrite au registre sous le n° {row.id} : {out}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    pdf = _read_file(args.file)
    with _open(args) as db:
        rapports.identity_spec(db, args.identity)  # unknown identity: say so before asking a password
        password = sign_password(args) if rapports.mot_de_passe_requis(db, args.identity) else None
        signed = rapports.signer_pdf(db, pdf, args.identity, password, reason=args.raison)
    out = _write(args.out, signed)
    print(f"Document signé : {out}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    pdf = _read_file(args.file)
    with _open(args) as db:
        verdict = rapports.verifier_pdf(db, pdf)
    print(verdict.texte())
    return 0 if verdict.ok else 1


def cmd_identity_create(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    with _open(args) as db:
        password = sign_password(args, "Mot de passe protégeant la clé (8 caractères au moins) : ")
        row = rapports.creer_identite_locale(
            db, nom=args.nom, signataire=args.signataire, fonction=args.fonction or "", password=password, years=args.validite
        )
        print(f"Identité « {row.nom} » créée : {row.signataire}, certificat valable jusqu'au {row.expire_le:%d/%m/%Y}.")
        print("L'autorité locale a été ajoutée à la liste de confiance de l'établissement.")
        if args.export_ca:
            out = _write(args.export_ca, rapports.exporter_ca(db, row.nom))
            print(f"Certificat de l'autorité exporté (à transmettre aux destinataires) : {out}")
    return 0


def cmd_identity_import(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports
    from qualite_app.signing.identities import pkcs12_needs_password

    data = _read_file(args.file)
    # a file exported without a password is opened without asking one
    password = sign_password(args, "Mot de passe du fichier PKCS#12 : ") if pkcs12_needs_password(data) else None
    with _open(args) as db:
        row = rapports.importer_pkcs12(
            db,
            nom=args.nom or Path(args.file).stem,
            data=data,
            password=password,
            signataire=args.signataire or "",
            fonction=args.fonction or "",
            faire_confiance=not args.sans_confiance,
        )
    print(f"Identité « {row.nom} » importée : {row.signataire}, certificat valable jusqu'au {row.expire_le:%d/%m/%Y}.")
    print("Le mot de passe n'est pas conservé : il sera demandé à chaque signature.")
    return 0


def cmd_identity_token(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    with _open(args) as db:
        pin = sign_password(args, "Code PIN de la carte (pour lire son certificat) : ") if args.verifier else None
        row = rapports.enregistrer_jeton(
            db,
            nom=args.nom,
            module=args.module,
            cle=args.cle,
            slot=args.slot,
            jeton=args.jeton,
            etiquette_certificat=args.certificat,
            signataire=args.signataire or "",
            fonction=args.fonction or "",
            pin=pin,
        )
    print(f"Carte « {row.nom} » enregistrée (clé « {row.cle} »). Le code PIN sera demandé à chaque signature.")
    return 0


def cmd_identity_list(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    with _open(args) as db:
        rows = rapports.lister_identites(db)
        trust = rapports.liste_confiance(db)
    if not rows:
        print("Aucune identité de signature. Créez-en une : qualite identity create --nom … --signataire …")
    for r in rows:
        exp = f", expire le {r.expire_le:%d/%m/%Y}" if r.expire_le else ""
        print(f"{r.nom} — {r.genre_label} — {r.signataire}{', ' + r.fonction if r.fonction else ''}{exp}")
    print(f"Liste de confiance : {len(trust)} certificat(s)")
    for t in trust:
        print(f"  {t.nom} ({t.origine}) SHA-256 {t.empreinte[:16]}…")
    return 0


def cmd_identity_export_ca(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    with _open(args) as db:
        out = _write(args.out, rapports.exporter_ca(db, args.nom))
    print(f"Certificat de l'autorité exporté : {out}")
    return 0


def cmd_identity_trust(args: argparse.Namespace) -> int:
    from qualite_app.rapports import services as rapports

    data = _read_file(args.file)
    with _open(args) as db:
        row = rapports.ajouter_confiance(db, data, origine=f"Importé de {Path(args.file).name}")
    print(f"« {row.nom} » fait partie de la liste de confiance.")
    return 0


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    from qualite_app.rapports.note import CATEGORIES

    s = sub.add_parser("note", parents=[parent], help="émet une note d'information au chef d'établissement (PDF)")
    s.add_argument("--titre", required=True, help="sujet de la note")
    s.add_argument("--categorie", required=True, help="catégorie : " + ", ".join(f"{k} ({v})" for k, v in CATEGORIES.items()))
    s.add_argument("--faits", required=True, help="exposé des faits")
    s.add_argument("--date", help="date et heure des faits (jj/mm/aaaa hh:mm)")
    s.add_argument("--mesures", help="mesures immédiates prises")
    s.add_argument("--decisions", help="décisions demandées")
    s.add_argument("--informes", help="personnes et autorités informées")
    s.add_argument("--piece", action="append", metavar="NOM", help="pièce jointe (répétable)")
    s.add_argument("--diffusion-normale", action="store_true", help="sans la mention « Diffusion restreinte »")
    s.add_argument("--out", required=True, metavar="FICHIER.pdf")
    add_sign_arguments(s)
    s.set_defaults(func=cmd_note)

    s = sub.add_parser("sign", parents=[parent], help="signe un PDF (signature PAdES visible)")
    s.add_argument("file", metavar="FICHIER.pdf")
    s.add_argument("--identity", required=True, metavar="NOM")
    s.add_argument("--out", required=True, metavar="SIGNE.pdf")
    s.add_argument("--raison", default="Approbation", help="motif de la signature (défaut : Approbation)")
    add_password_arguments(s)
    s.set_defaults(func=cmd_sign)

    s = sub.add_parser("verify", parents=[parent], help="vérifie les signatures d'un PDF (code 0 seulement si intact et de confiance)")
    s.add_argument("file", metavar="FICHIER.pdf")
    s.set_defaults(func=cmd_verify)

    ident = sub.add_parser("identity", parents=[parent], help="identités de signature et liste de confiance")
    isub = ident.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(ident))
    s = isub.add_parser("create", parents=[parent], help="crée une autorité locale et le certificat du signataire")
    s.add_argument("--nom", required=True, help="nom de l'identité (ex. « Directeur qualité »)")
    s.add_argument("--signataire", required=True, help="nom du signataire")
    s.add_argument("--fonction", help="fonction du signataire")
    s.add_argument("--validite", type=int, default=3, metavar="ANS", help="durée de validité en années (défaut 3)")
    s.add_argument("--export-ca", metavar="FICHIER.pem", help="exporter aussi le certificat de l'autorité")
    add_password_arguments(s, "mot de passe protégeant la clé")
    s.set_defaults(func=cmd_identity_create)
    s = isub.add_parser("import", parents=[parent], help="importe un fichier PKCS#12 (.p12 / .pfx)")
    s.add_argument("file", metavar="FICHIER.p12")
    s.add_argument("--nom", help="nom de l'identité (défaut : nom du fichier)")
    s.add_argument("--signataire")
    s.add_argument("--fonction")
    s.add_argument("--sans-confiance", action="store_true", help="ne pas ajouter les autorités du fichier à la liste de confiance")
    add_password_arguments(s, "mot de passe du fichier PKCS#12 (aucun s'il n'est pas chiffré)")
    s.set_defaults(func=cmd_identity_import)
    s = isub.add_parser("token", parents=[parent], help="enregistre une carte ou un jeton PKCS#11 (carte CPS…)")
    s.add_argument("--nom", required=True)
    s.add_argument("--module", required=True, metavar="MODULE.so", help="bibliothèque PKCS#11 du lecteur")
    s.add_argument("--cle", required=True, metavar="ETIQUETTE", help="étiquette de la clé sur la carte")
    s.add_argument("--slot", type=int, help="numéro d'emplacement")
    s.add_argument("--jeton", metavar="ETIQUETTE", help="étiquette de la carte")
    s.add_argument("--certificat", metavar="ETIQUETTE", help="étiquette du certificat (défaut : celle de la clé)")
    s.add_argument("--signataire")
    s.add_argument("--fonction")
    s.add_argument("--verifier", action="store_true", help="ouvrir la carte maintenant (PIN) pour lire et contrôler le certificat")
    add_password_arguments(s, "code PIN de la carte (avec --verifier)")
    s.set_defaults(func=cmd_identity_token)
    s = isub.add_parser("list", parents=[parent], help="liste les identités et la liste de confiance")
    s.set_defaults(func=cmd_identity_list)
    s = isub.add_parser("export-ca", parents=[parent], help="exporte le certificat d'une autorité locale (PEM)")
    s.add_argument("nom")
    s.add_argument("--out", required=True, metavar="FICHIER.pem")
    s.set_defaults(func=cmd_identity_export_ca)
    s = isub.add_parser("trust", parents=[parent], help="ajoute un certificat (PEM ou DER) à la liste de confiance")
    s.add_argument("file", metavar="CERTIFICAT")
    s.set_defaults(func=cmd_identity_trust)
