"""Errors the user can act on (French message, nothing written) versus bugs."""

from __future__ import annotations


class UserError(Exception):
    """A problem caused by the user's input or environment.

    The message is French, meant to be shown as is; raising it guarantees that
    nothing was written (the transaction is rolled back).
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """One or more fields are invalid; ``errors`` maps field name to French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        msg = "\n".join(f"{v}" for v in errors.values())
        super().__init__(msg, field=next(iter(errors), None))


class ConfirmationRequise(UserError):
    """The write needs the user's yes (its message says why); nothing was written. The caller asks, then
    calls the same service again with ``confirme=True`` (the GUI's ``run_write`` does both)."""


class ConflitEdition(UserError):
    """Someone else saved the same item since the user opened it (optimistic locking): nothing was written.
    ``changements`` says what changed meanwhile (who, when, field: old → new); the caller offers to reapply
    the user's changes over them (the same service again with ``ecraser=True``) or to discard them."""

    def __init__(self, message: str, changements: list[str] | None = None) -> None:
        super().__init__(message)
        self.changements = changements or []


class DatabaseLockedError(UserError):
    """The database file is already open in another instance of the application."""


class NewerDatabaseError(UserError):
    """The database was written by a newer version of the application."""


# --- what the environment did, in French ------------------------------------------------------
#: errno → what happened, in the words of a user (Python gives the system's English text).
_ERRNO_FR = {
    "ENOENT": "fichier ou dossier introuvable",
    "EACCES": "permission refusée",
    "EPERM": "opération non permise",
    "ENOSPC": "le disque est plein",
    "EDQUOT": "le quota disque est atteint",
    "EROFS": "le disque est en lecture seule",
    "EISDIR": "c'est un dossier, pas un fichier",
    "ENOTDIR": "un élément du chemin n'est pas un dossier",
    "EEXIST": "le fichier existe déjà",
    "ENAMETOOLONG": "nom de fichier trop long",
    "EIO": "erreur d'entrée-sortie du disque",
    "EBUSY": "le fichier est occupé",
    "EMFILE": "trop de fichiers ouverts",
    "ETXTBSY": "le fichier est occupé",
}

#: SQLite's messages (``sqlite3.Error`` text) → what happened and what to do.
_SQLITE_FR: list[tuple[str, str]] = [
    ("database or disk is full", "Le disque est plein : rien n'a été enregistré. Libérez de la place puis recommencez."),
    ("disk i/o error", "Erreur d'accès au disque : rien n'a été enregistré. Vérifiez le disque ou le partage réseau puis recommencez."),
    ("attempt to write a readonly database", "La base est en lecture seule : rien n'a été enregistré. Rendez le fichier (et son dossier) modifiable, ou copiez la base ailleurs."),
    ("readonly database", "La base est en lecture seule : rien n'a été enregistré. Rendez le fichier (et son dossier) modifiable, ou copiez la base ailleurs."),
    ("database disk image is malformed", "La base est endommagée. Restaurez la dernière sauvegarde (Fichier › Restaurer une sauvegarde, ou « qualite restore »)."),
    ("file is not a database", "Ce fichier n'est pas une base de données Qualité & Risques, ou il est endommagé."),
    ("file is encrypted or is not a database", "Ce fichier n'est pas une base de données Qualité & Risques, ou il est endommagé."),
    ("unable to open database file", "Impossible d'ouvrir la base : le fichier ou son dossier est inaccessible (droits, disque absent ou dossier en lecture seule)."),
    ("database is locked", "La base est occupée par un autre programme : réessayez dans un instant."),
    ("no such table", "La base n'a pas la structure attendue : ce n'est pas une base Qualité & Risques, ou elle est endommagée."),
]


def os_error_text(exc: OSError) -> str:
    """« permission refusée : /chemin » rather than Python's English ``[Errno 13] Permission denied``."""
    import errno as _errno

    name = _errno.errorcode.get(exc.errno or 0, "")
    what = _ERRNO_FR.get(name) or "erreur du système"
    where = exc.filename if exc.filename is not None else None
    return f"{what} : {where}" if where else what


def translate(exc: BaseException) -> UserError | None:
    """The user-facing French message for an error caused by the environment (disk, rights, file,
    driver), or None for a programming error. Never carries row data: SQL and parameters are dropped."""
    if isinstance(exc, UserError):
        return exc
    import sqlite3

    orig: BaseException = exc
    try:  # SQLAlchemy wraps the driver's error; its text holds the SQL and the parameters
        from sqlalchemy.exc import DBAPIError, NoSuchModuleError

        if isinstance(exc, NoSuchModuleError):
            scheme = str(exc).rsplit(":", 1)[-1].strip()
            return UserError(
                f"Type de base inconnu « {scheme} » : donnez le chemin d'un fichier, ou une adresse "
                "postgresql+psycopg://utilisateur@serveur/base."
            )
        from sqlalchemy.orm.exc import StaleDataError

        if isinstance(exc, StaleDataError):  # an UPDATE matched no row: changed meanwhile, or refused by the server
            return UserError(
                "L'enregistrement n'a pas pu être écrit : la fiche a été modifiée au même moment par quelqu'un "
                "d'autre, ou votre rôle sur le serveur ne vous permet pas de la modifier (un pilote ne modifie que "
                "ses actions). Rien n'a été enregistré : rouvrez la fiche pour voir son état actuel."
            )
        if isinstance(exc, DBAPIError) and exc.orig is not None:
            orig = exc.orig
    except ImportError:  # pragma: no cover
        pass
    server = _server_error(orig)
    if server is not None:
        return server
    if isinstance(orig, ModuleNotFoundError) and (orig.name or "").split(".")[0] in {"psycopg", "psycopg2", "pg8000", "asyncpg", "pymysql", "MySQLdb"}:
        return UserError(
            f"Le pilote de base de données « {orig.name} » n'est pas installé : installez-le "
            "(pour PostgreSQL : pip install \"psycopg[binary]\") ou utilisez une base SQLite."
        )
    if isinstance(orig, sqlite3.Error):
        text = str(orig).lower()
        for needle, french in _SQLITE_FR:
            if needle in text:
                return UserError(french)
        return UserError("La base de données a refusé l'opération : rien n'a été enregistré.")
    if isinstance(orig, OSError):
        import errno as _errno

        if orig.errno in (_errno.ENOSPC, getattr(_errno, "EDQUOT", -1)):
            return UserError(f"Le disque est plein : rien n'a été enregistré. Libérez de la place puis recommencez ({os_error_text(orig)}).")
        return UserError(f"Opération impossible : {os_error_text(orig)}.")
    if isinstance(orig, MemoryError):
        return UserError("Mémoire insuffisante pour cette opération : rien n'a été enregistré.")
    return None


#: PostgreSQL's SQLSTATE classes and codes a user can meet, in French (never the server's own text: it may
#: quote row data)
_PG_FR = {
    "42501": "Votre rôle sur le serveur d'équipe ne permet pas cette modification : rien n'a été enregistré.",
    "40001": "Une autre modification est passée au même moment : rien n'a été enregistré, recommencez.",
    "40P01": "Une autre modification est passée au même moment : rien n'a été enregistré, recommencez.",
    "23505": "Cette valeur existe déjà (une référence ou un identifiant en double) : rien n'a été enregistré.",
    "23503": "Un élément lié a été supprimé entre-temps : rien n'a été enregistré.",
    "53100": "Le disque du serveur est plein : rien n'a été enregistré. Prévenez l'administrateur du serveur.",
    "28P01": "Identifiant ou mot de passe refusé par le serveur d'équipe.",
    "28000": "Le serveur d'équipe refuse cette connexion (identifiant non autorisé).",
    "3D000": "La base demandée n'existe pas sur le serveur d'équipe (vérifiez l'adresse).",
}


def _server_error(orig: BaseException) -> UserError | None:
    """A PostgreSQL error (psycopg) in French, by its SQLSTATE; the server unreachable said plainly."""
    if type(orig).__module__.split(".")[0] != "psycopg":
        return None
    state = getattr(orig, "sqlstate", None) or ""
    if state in _PG_FR:
        return UserError(_PG_FR[state])
    if state.startswith("08") or (not state and "connection" in str(orig).lower()):
        return UserError(
            "Le serveur d'équipe est injoignable (réseau, serveur arrêté ou adresse erronée) : rien n'a été "
            "enregistré. Réessayez plus tard, ou travaillez sur une copie locale (voir « Travailler en équipe »)."
        )
    if state.startswith("P0") and "journal" in str(orig).lower():  # the append-only journal's trigger
        return UserError("Le journal ne peut être ni modifié ni supprimé : rien n'a été enregistré.")
    if state:
        return UserError("Le serveur d'équipe a refusé l'opération : rien n'a été enregistré.")
    return None


def log_crash(exc: BaseException) -> object:
    """Append a bug's traceback to ``erreurs.log`` (0600): the stack and the exception's type only, never
    its message, which may hold row data (names, values, SQL parameters). Returns the log's path."""
    import traceback

    from qualite_app import paths
    from qualite_app.storage.files import append_private

    text = "".join(traceback.format_tb(exc.__traceback__)) + f"{type(exc).__module__}.{type(exc).__qualname__}\n\n"
    try:
        log = paths.user_data_dir() / "erreurs.log"
        append_private(log, text)
    except OSError:
        return None
    return log
