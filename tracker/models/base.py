"""Declarative base, naming convention and small column helpers shared by every model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import CheckConstraint, DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tracker.dates import PRECISIONS, PartialDate, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_check(column: str, values: Iterable[str], name: str | None = None) -> CheckConstraint:
    """A portable CHECK constraint restricting a string column to a set of values."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_valid")


def created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(), default=utcnow, nullable=False)


def updated_at() -> Mapped[datetime]:
    return mapped_column(DateTime(), default=utcnow, onupdate=utcnow, nullable=False)


def _partial_factory(start: date | None, precision: str | None) -> PartialDate | None:
    if start is None:
        return None
    return PartialDate(start, precision or "day")


def precision_column() -> Mapped[str | None]:
    """The companion of a partial-date column `<x>`: `<x>_precision` (day/month/year)."""
    return mapped_column(String(5), nullable=True)


def precision_check(prefix: str) -> CheckConstraint:
    """Precision is set exactly when the date is, and is one of day/month/year."""
    values = ", ".join(f"'{p}'" for p in PRECISIONS)
    return CheckConstraint(
        f"({prefix} IS NULL AND {prefix}_precision IS NULL) OR "
        f"({prefix} IS NOT NULL AND {prefix}_precision IN ({values}))",
        name=f"{prefix}_precision_valid",
    )


def get_partial(obj: object, prefix: str) -> PartialDate | None:
    return _partial_factory(getattr(obj, prefix), getattr(obj, f"{prefix}_precision"))


def set_partial(obj: object, prefix: str, value: PartialDate | None) -> None:
    setattr(obj, prefix, value.start if value else None)
    setattr(obj, f"{prefix}_precision", value.precision if value else None)
