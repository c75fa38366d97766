"""Shared fixtures: a database URL per backend, fresh for every test.

SQLite runs everywhere. PostgreSQL runs when ``EXITLEDGER_TEST_POSTGRES_URL`` names a server
(``.ci/run`` exports it); each test gets its own schema, dropped afterwards, so runs never see
each other's data. With ``EXITLEDGER_REQUIRE_POSTGRES=1`` a missing server fails instead of
skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_URL = os.environ.get("EXITLEDGER_TEST_POSTGRES_URL")
RUN = uuid.uuid4().hex[:8]


def _postgres_schema_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if not PG_URL:
        if os.environ.get("EXITLEDGER_REQUIRE_POSTGRES") == "1":
            pytest.fail("EXITLEDGER_REQUIRE_POSTGRES=1 but EXITLEDGER_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL: set EXITLEDGER_TEST_POSTGRES_URL (as .ci/run does)")
    import psycopg

    schema = f"t_{RUN}_{uuid.uuid4().hex[:10]}"
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/ledger.db"
    else:
        yield from _postgres_schema_url(request)


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/ledger.db"
