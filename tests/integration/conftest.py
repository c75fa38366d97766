"""Fixtures the integration suites share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.builders import Province, province


@pytest.fixture
def demo(db_url: str) -> Iterator[Province]:
    """The demo province with both cases recorded, on each backend."""
    p = province(db_url)
    yield p
    p.app.close()
