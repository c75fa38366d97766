"""The one way unit tests read test vectors: JSON data files in ``tests/vectors/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS_DIR = Path(__file__).resolve().parents[2] / "vectors"


def load_vector(name: str) -> Any:
    """Return the parsed JSON of ``tests/vectors/<name>``."""
    return json.loads((VECTORS_DIR / name).read_text(encoding="utf-8"))
