"""Formatting only: JSON on stdout for machines, rich tables for people."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

def _console(**kwargs: Any) -> Console:
    # What we print is data (names, payloads, stream names like "case:x:"), never rich markup or
    # emoji codes.
    kwargs.update(markup=False, emoji=False, highlight=False)
    console = Console(**kwargs)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=160, **kwargs)  # pipes and files get a readable table, not 80 columns
    return console


stdout = _console(soft_wrap=True)
stderr = _console(stderr=True, soft_wrap=True)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    stdout.print(t)


def short_payload(payload: dict[str, Any], width: int = 70) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= width else text[: width - 1] + "…"
