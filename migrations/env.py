"""Alembic environment: one migration chain for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from tracker import models  # noqa: F401  (registers every table on the metadata)
from tracker.db import include_object
from tracker.models import Base

target_metadata = Base.metadata

def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        from tracker.db import make_engine

        url = context.config.get_main_option("sqlalchemy.url") or None
        engine = make_engine(url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
