"""The metadata database: tenants and keys, article records, batches, pre-generation state.

Kept apart from the clip cache, which may lose anything at any time: what the service hands out
(a key, an article's URL, a batch id) lives here. Default: one SQLite file under READER_DATA_DIR
(WAL, so readers never wait on the writer; write transactions take the lock at BEGIN so two
processes never lose an update). READER_DATABASE_URL=postgresql+psycopg://... uses PostgreSQL.
The schema is migrated by Alembic at start-up (``reader-service db upgrade`` does it by hand).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text

from reader_service.errors import StorageError

if TYPE_CHECKING:
    from reader_service.settings import Settings

log = logging.getLogger(__name__)

SQLITE_FILE = "reader-service.db"
# Any fixed number: PostgreSQL's advisory lock that makes concurrent start-ups migrate one at
# a time.
_MIGRATION_LOCK = 7_301_975_113


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir) / SQLITE_FILE}"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if not url.startswith(("sqlite:", "postgresql")):
            raise StorageError(
                f"Cơ sở dữ liệu '{_safe(url)}' không được hỗ trợ: dùng sqlite:///đường/dẫn.db "
                "hoặc postgresql+psycopg://người-dùng:mật-khẩu@máy/tên-csdl."
            )
        try:
            self.engine: Engine = _engine(url)
        except Exception as exc:  # a bad URL or a missing driver, said for an operator
            raise StorageError(f"Không mở được cơ sở dữ liệu ({_safe(url)}): {exc}") from exc
        self._upgraded = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        if not settings.database_url:
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        database = cls(database_url(settings))
        database.upgrade()
        return database

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent; safe from several processes
        at once)."""
        if self._upgraded:
            return
        from alembic import command
        from alembic.config import Config

        folder = resources.files("reader_service.db").joinpath("migrations")
        config = Config()
        config.set_main_option("script_location", str(folder))
        try:
            with self.engine.begin() as connection:
                if not self.is_sqlite:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except Exception as exc:
            raise StorageError(
                f"Không cập nhật được lược đồ cơ sở dữ liệu ({_safe(self.url)}): {_reason(exc)}"
            ) from exc
        self._upgraded = True

    @contextmanager
    def transaction(self, read_only: bool = False) -> Iterator[Connection]:
        """One transaction (committed at the end, rolled back on error). ``read_only`` ones
        never take SQLite's write lock, so readers in every process go on while one writes."""
        try:
            with self.engine.connect() as plain:
                connection = plain.execution_options(reader_read_only=read_only)
                with connection.begin():
                    yield connection
        except StorageError:
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
                raise StorageError(f"Lỗi cơ sở dữ liệu: {_reason(exc)}") from exc
            raise

    def ping(self) -> None:
        """Raises unless the database answers a trivial query."""
        with self.transaction(read_only=True) as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def _insert(connection: Connection, table: Any) -> Any:
    """The dialect's INSERT, which has ON CONFLICT clauses (SQLite and PostgreSQL alike)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def upsert(connection: Connection, table: Any, key: str, values: dict[str, Any]) -> None:
    """Insert ``values`` or, when a row with the same ``key`` exists, update it (one statement:
    no window for a second writer between a look and a write)."""
    changes = {name: value for name, value in values.items() if name != key}
    statement = _insert(connection, table).values(**values)
    connection.execute(statement.on_conflict_do_update(index_elements=[key], set_=changes))


def add_counts(
    connection: Connection, table: Any, keys: list[str], rows: list[dict[str, Any]]
) -> None:
    """Add each row's ``count`` to the row with the same ``keys`` (made at the count if new):
    increments from several processes add up, whatever their order."""
    for row in rows:
        statement = _insert(connection, table).values(**row)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=keys, set_={"count": table.c.count + statement.excluded.count}
            )
        )


def insert_missing(connection: Connection, table: Any, values: dict[str, Any]) -> None:
    """Insert a row unless one with the same primary key exists (concurrent writers: the
    database decides, nobody's row is overwritten)."""
    connection.execute(_insert(connection, table).values(**values).on_conflict_do_nothing())


def open_database(url: str) -> Database:
    """A database at ``url``, its schema brought up to date."""
    database = Database(url)
    database.upgrade()
    return database


def _reason(exc: Exception) -> str:
    """The driver's own first line (SQLAlchemy wraps it with the statement and a help link)."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _safe(url: str) -> str:
    """The URL without its password (for messages)."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, record: Any) -> None:
        # The driver's own transaction handling off: BEGIN is ours (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writing transaction takes the write lock at BEGIN (IMMEDIATE, waiting up to
        # busy_timeout), never upgrading later, where SQLite would fail at once with "database
        # is locked"; a reading one takes none (WAL: it reads the last committed state).
        if connection.get_execution_options().get("reader_read_only"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
