"""Content-addressed file store inside the database (SHA-256, deduplicated)."""

from __future__ import annotations

import hashlib
import mimetypes

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def put(session: Session, content: bytes, name: str, mime: str | None = None) -> Blob:
    """Store ``content`` once; the same bytes stored again return the existing blob."""
    digest = sha256(content)
    existing = session.scalar(select(Blob).where(Blob.sha256 == digest))
    if existing is not None:
        return existing
    mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
    blob = Blob(sha256=digest, nom=name, mime=mime, taille=len(content), contenu=content)
    session.add(blob)
    session.flush()
    return blob


def content(db: Database, blob_id: int) -> bytes | None:
    with db.session() as s:
        return s.scalar(select(Blob.contenu).where(Blob.id == blob_id))


def content_by_hash(db: Database, digest: str) -> bytes | None:
    with db.session() as s:
        return s.scalar(select(Blob.contenu).where(Blob.sha256 == digest))
