"""The read models' SQLAlchemy engine, in the ledger's own database, and the one bulk write path.

The ``--db`` URL names the ledger (``ledger.store.persistence_env``); the read models live in the
same database so that a single backup, and a single ``--db``, holds both. On PostgreSQL the
URL's ``?schema=`` becomes the connection's ``search_path`` (rather than a
``schema_translate_map``) because the bulk path below speaks SQL and ``COPY`` directly, which
a translate map never sees.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import PersistenceError
from sqlalchemy import URL, Connection, Engine, Table, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from ledger.errors import InputError, StoreError

SQLITE_TIMEOUT_S = 10


def sqlalchemy_url(url: str) -> tuple[URL | str, str | None]:
    """(SQLAlchemy URL, PostgreSQL schema or None) for a ``--db`` URL.

    ``sqlite:///FILE`` is used as it is; ``postgresql://USER:PASS@HOST:PORT/DB?schema=NAME``
    becomes ``postgresql+psycopg://…/DB`` and the schema ``NAME``. Raises InputError for any
    other scheme (the ledger refuses those first, so this is a second line only).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        path = unquote(url.split("://", 1)[1][1:]) if "://" in url else ""
        if path == ":memory:":  # the ledger's shared in-memory database
            return "sqlite+pysqlite:///file::memory:?cache=shared&uri=true", None
        return URL.create("sqlite+pysqlite", database=path), None
    if scheme in ("postgresql", "postgres"):
        query = parse_qs(parts.query)
        schema = query["schema"][0] if "schema" in query else None
        return (
            URL.create(
                "postgresql+psycopg",
                username=unquote(parts.username or "postgres"),
                password=unquote(parts.password) if parts.password else None,
                host=parts.hostname,
                port=parts.port or 5432,
                database=unquote(parts.path.strip("/")),
            ),
            schema,
        )
    raise InputError(f"--db {url}: unsupported database URL; use sqlite:///FILE or postgresql://HOST/DB")


def make_engine(url: str) -> Engine:
    """An engine on the ledger's database, every connection already in the ledger's schema."""
    target, schema = sqlalchemy_url(url)
    if isinstance(target, str) or target.get_backend_name() == "sqlite":
        engine = create_engine(target, connect_args={"timeout": SQLITE_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _sqlite(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # Read models are rebuilt from the log, and each batch's rows and position commit
            # together, so a power cut can only lose whole batches: NORMAL (no fsync per
            # commit under WAL) is enough, and it is what makes a one-event catch-up cheap.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: the indexes of a large rebuild
            # Debian's SQLite zeroes every page it frees (SECURE_DELETE), so emptying the models
            # for a rebuild wrote ~760 MB to the WAL at 1M events (7 s of the rebuild). What these
            # tables hold is derived from the log beside them in the same file: nothing to erase.
            cursor.execute("PRAGMA secure_delete=OFF")
            cursor.close()

        return engine
    engine = create_engine(target, pool_size=2, max_overflow=2, pool_pre_ping=False,
                           connect_args={"connect_timeout": 5})
    if schema:

        @event.listens_for(engine, "connect")
        def _search_path(dbapi_connection: Any, _record: Any) -> None:
            from psycopg.sql import SQL, Identifier

            with dbapi_connection.cursor() as cursor:
                cursor.execute(SQL("SET search_path TO {}").format(Identifier(schema)))
            dbapi_connection.commit()

    return engine


def run(conn: Connection, sql: str, params: Sequence[Any] | Sequence[Sequence[Any]] = ()) -> Any:
    """Execute plain SQL written with ``?`` placeholders (one tuple, or a list of tuples for
    ``executemany``) inside ``conn``'s transaction.

    The per-batch statements go this way rather than through SQLAlchemy expressions: building
    and compiling an expression costs more than a one-row statement takes to run, and a
    one-event catch-up is made of little else.
    """
    if conn.dialect.name == "postgresql":
        sql = _PG.get(sql) or _PG.setdefault(sql, sql.replace("?", "%s"))
    return conn.exec_driver_sql(sql, params if isinstance(params, list) else tuple(params))


_PG: dict[str, str] = {}


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) inside ``conn``'s open transaction.

    SQLite: one ``executemany`` of plain tuples, :data:`ROWS_PER_INSERT` rows to a statement
    (SQLAlchemy's per-row parameter processing costs more than the insert itself).
    PostgreSQL: ``COPY … FROM STDIN`` on the same connection, so it commits or rolls back with
    everything else in the transaction.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    per = max(1, min(ROWS_PER_INSERT, SQLITE_MAX_VARIABLES // len(columns)))
    whole = len(rows) - len(rows) % per
    if whole:
        flat = [tuple(chain.from_iterable(rows[i:i + per])) for i in range(0, whole, per)]
        conn.exec_driver_sql(_insert_sql(table.name, names, len(columns), per), flat)
    if whole < len(rows):
        conn.exec_driver_sql(_insert_sql(table.name, names, len(columns), 1), list(rows[whole:]))


ROWS_PER_INSERT = 64
"""Rows per SQLite INSERT statement. SQLAlchemy checks, and the sqlite3 module resets and
steps, each parameter set of an ``executemany``; with one row per set that was 40 % of the
time a rebuild spent inserting (1M events: 16 s → 9 s with 64 rows a statement)."""
SQLITE_MAX_VARIABLES = 999
"""SQLite's smallest compiled-in limit on ``?`` parameters per statement (newer builds allow more)."""


@lru_cache(maxsize=64)
def _insert_sql(table: str, names: str, width: int, rows: int) -> str:
    values = "(" + ", ".join(["?"] * width) + ")"
    return f"INSERT INTO {table} ({names}) VALUES " + ", ".join([values] * rows)


@contextmanager
def store_errors(what: str) -> Iterator[None]:
    """Turn the drivers' errors into one StoreError line (STYLE habit 7: translate at the edge)."""
    try:
        yield
    except (SQLAlchemyError, PersistenceError) as e:
        raise StoreError(f"{what}: {_first_line(e)}") from None
    except Exception as e:
        if type(e).__module__.startswith("psycopg"):  # COPY speaks to the driver directly
            raise StoreError(f"{what}: {_first_line(e)}") from None
        raise


def _first_line(e: BaseException) -> str:
    cause = getattr(e, "orig", None) or e
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
