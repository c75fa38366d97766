"""The domain is pure: it imports the standard library, eventsourcing.domain and itself only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import domain

DOMAIN = Path(domain.__file__).parent
ALLOWED_THIRD_PARTY = {"eventsourcing.domain"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.add(node.module or "")
    return names


def test_imports_nothing_but_the_standard_library_eventsourcing_domain_and_itself() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names or top == "domain" or name in ALLOWED_THIRD_PARTY
            assert allowed, f"{path.name} imports {name}"


def test_imports_no_crypto_hashing_or_storage_even_from_the_standard_library() -> None:
    forbidden = {"hashlib", "hmac", "secrets", "sqlite3", "ssl", "os", "subprocess", "socket"}
    for path in DOMAIN.glob("*.py"):
        assert not {name.split(".")[0] for name in imported_modules(path)} & forbidden, path.name
