"""Copy a whole help center from one database to another: moving from SQLite to PostgreSQL.

Rows go through the models' own tables, so each value is read and written by its column type
(JSON, dates, booleans), table by table in foreign-key order, in batches. The copy is one
transaction on the target: it refuses a target that holds any row, and a copy that fails
leaves the target empty, so it can simply be run again. PostgreSQL's id sequences are then moved
past the copied ids, or the next insert would collide with a copied row.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    Table,
    bindparam,
    create_engine,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url

from helpcenter.extensions import db

BATCH = 1000


class CopyRefused(RuntimeError):
    """The copy would lose or mix data; the message (for the operator's console) says what to do."""


def copy_database(
    source_url: str, target: Engine, *, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Copy every table from `source_url` into `target` (already migrated and empty). Returns
    the rows copied per table. Commits once, at the end."""
    if make_url(source_url) == target.url:
        raise CopyRefused("The source is the application's own database: nothing to copy.")
    source = create_engine(source_url)
    try:
        tables = db.metadata.sorted_tables
        _check_target(target, tables)
        _check_same_migration(source, target)
        with source.connect() as reading, target.begin() as writing:
            for table in tables:
                if not inspect(reading).has_table(table.name):
                    raise CopyRefused(
                        f"The source has no {table.name} table: run `flask --app helpcenter db "
                        "upgrade` against it first (HELPCENTER_SQLALCHEMY_DATABASE_URI)."
                    )
            copied = {
                table.name: _copy_table(reading, writing, table, progress) for table in tables
            }
            for table in tables:
                _fill_circular_references(reading, writing, table)
            if writing.dialect.name == "postgresql":
                _reset_sequences(writing, tables)
        return copied
    finally:
        source.dispose()


def count_rows(source_url: str) -> int:
    """Rows to copy, for the progress bar."""
    source = create_engine(source_url)
    try:
        with source.connect() as reading:
            names = set(inspect(reading).get_table_names())
            return sum(
                reading.scalar(select(func.count()).select_from(table)) or 0
                for table in db.metadata.sorted_tables
                if table.name in names
            )
    finally:
        source.dispose()


def _check_target(target: Engine, tables: list[Table]) -> None:
    with target.connect() as conn:
        missing = [t.name for t in tables if not inspect(conn).has_table(t.name)]
        if missing:
            raise CopyRefused(
                f"The target has no {missing[0]} table: run `flask --app helpcenter db upgrade` "
                "on it first."
            )
        for table in tables:
            rows = conn.scalar(select(func.count()).select_from(table))
            if rows:
                raise CopyRefused(
                    f"The target already holds data ({rows} rows in {table.name}): copy into an "
                    "empty database, just after `flask --app helpcenter db upgrade`."
                )


def _check_same_migration(source: Engine, target: Engine) -> None:
    """Both at the same migration, when both say: the same columns on either side."""
    versions = []
    for engine in (source, target):
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return
            versions.append(conn.scalar(text("SELECT version_num FROM alembic_version")))
    if versions[0] != versions[1]:
        raise CopyRefused(
            f"The source is at migration {versions[0]} and the target at {versions[1]}: run "
            "`flask --app helpcenter db upgrade` against both first."
        )


def _circular(table: Table) -> list[Column]:
    """Columns whose foreign key closes a cycle (a thread's accepted post): `use_alter` keys,
    which the dependency order leaves out. They are copied empty, and filled in at the end."""
    return [
        fk.parent
        for fk in table.foreign_keys
        if fk.use_alter or (fk.constraint is not None and fk.constraint.use_alter)
    ]


def _copy_table(reading, writing, table: Table, progress) -> int:
    copied = 0
    later = {column.name: None for column in _circular(table)}
    ordered = select(table).order_by(*table.primary_key.columns)
    result = reading.execution_options(stream_results=True, yield_per=BATCH).execute(ordered)
    for rows in result.mappings().partitions(BATCH):
        writing.execute(table.insert(), [{**row, **later} for row in rows])
        copied += len(rows)
        if progress is not None:
            progress(len(rows))
    return copied


def _fill_circular_references(reading, writing, table: Table) -> None:
    columns = _circular(table)
    if not columns:
        return
    (key,) = table.primary_key.columns
    filled = select(key, *columns).where(or_(*(column.is_not(None) for column in columns)))
    fill = (
        update(table)
        .where(key == bindparam("row_key"))
        .values({column.name: bindparam(f"new_{column.name}") for column in columns})
    )
    result = reading.execution_options(stream_results=True, yield_per=BATCH).execute(filled)
    for rows in result.partitions(BATCH):
        writing.execute(
            fill,
            [
                {
                    "row_key": row[0],
                    **{f"new_{c.name}": v for c, v in zip(columns, row[1:], strict=True)},
                }
                for row in rows
            ],
        )


def _reset_sequences(writing, tables: list[Table]) -> None:
    """Each serial id's sequence continues after the largest copied id (from 1 when empty)."""
    quote = writing.dialect.identifier_preparer.quote
    for table in tables:
        ids = list(table.primary_key.columns)
        if len(ids) != 1 or not isinstance(ids[0].type, Integer):
            continue
        column = ids[0]
        sequence = func.pg_get_serial_sequence(quote(table.name), column.name)
        writing.execute(  # setval(NULL, …) does nothing: an id with no sequence is left alone
            select(
                func.setval(sequence, func.coalesce(func.max(column), 1), func.count(column) > 0)
            ).select_from(table)
        )
