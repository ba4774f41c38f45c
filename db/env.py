"""Alembic environment: run from code with a connection passed in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from qualite_app.areas import load_models
from qualite_app.storage.base import Base

load_models()  # fills the metadata

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command-line use by developers: alembic -x url=sqlite:///file.sqlite …
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Indiquez la base : alembic -x url=sqlite:///chemin.sqlite …")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
