"""Fixtures the integration suites share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.builders import Province, province

from .rawdb import RawDB


@pytest.fixture
def demo(db_url: str) -> Iterator[Province]:
    """The demo province with both cases recorded, on each backend."""
    p = province(db_url)
    yield p
    p.app.close()


@pytest.fixture(params=["in one process", "in workers"])
def verify_chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Verification both ways: the small test ledgers fit in one chunk and are checked in this
    process; chunks of a few events make the verifier fork its workers, which read the
    database or bundle themselves and send back what they found."""
    if request.param == "in workers":
        import ledger.bundle
        import ledger.verify_source

        monkeypatch.setattr(ledger.verify_source, "CHUNK", 7)
        monkeypatch.setattr(ledger.bundle, "BLOCK", 1500)
    return str(request.param)


@pytest.fixture
def db(db_url: str) -> Iterator[RawDB]:
    """The test database, for raw SQL as an attacker with database access would run it."""
    with RawDB(db_url) as raw:
        yield raw
