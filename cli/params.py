"""click parameter types for the ledger's own values: event hashes and dates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import click

_HASH = re.compile(r"[0-9a-f]{64}")


class EventHash(click.ParamType):
    """A record hash: 64 lowercase hex digits (SPEC §1)."""

    name = "HASH"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip().lower()
        if not _HASH.fullmatch(text):
            self.fail(f"{value!r} is not an event hash (64 hex digits)", param, ctx)
        return text


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD, kept as that string (payload dates are strings)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date YYYY-MM-DD", param, ctx)
        return text


HASH = EventHash()
DATE = IsoDate()
