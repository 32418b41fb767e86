"""The metadata every table is declared on: one naming convention for constraints, so that
integrity errors can be translated into domain errors by name (`integrity.py`), and the folding
function the movies' generated search columns call, created before any table."""

from __future__ import annotations

from sqlalchemy import DDL, Column, DateTime, MetaData, event, func

from app.adapters.postgres.folding import CREATE_FOLD_FUNCTION, DROP_FOLD_FUNCTION

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
event.listen(metadata, "before_create", DDL(CREATE_FOLD_FUNCTION))
event.listen(metadata, "after_drop", DDL(DROP_FOLD_FUNCTION))


def created_at() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


def updated_at() -> Column:
    return Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now())
