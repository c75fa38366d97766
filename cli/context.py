"""The object the root group builds and passes down (click's ``repo`` example): options that
every command shares, the opened ledger, and key loading."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ledger.app import ExitLedger
from ledger.errors import InputError, KeyFileError
from ledger.keys import load_private_key
from ledger.signing import Signer

DEFAULT_DB = "sqlite:///exitledger.db"


@dataclass
class Context:
    db: str = DEFAULT_DB
    json: bool = False
    _ledger: ExitLedger | None = None
    _signers: dict[tuple[str, str | None], Signer] = field(default_factory=dict)

    def ledger(self, *, create: bool = False) -> ExitLedger:
        """The ledger at ``--db``; only ``create`` makes a new SQLite file (init, demo)."""
        if self._ledger is None:
            self._ledger = ExitLedger(self.db, create=create)
        return self._ledger

    def signer(self, path: str | Path, passphrase_env: str | None) -> Signer:
        """Load the Ed25519 key at ``path``; prompts for an encrypted key only on a terminal."""
        cache_key = (str(path), passphrase_env)
        if cache_key not in self._signers:
            self._signers[cache_key] = Signer.from_private_key(
                load_private_key(path, passphrase(path, passphrase_env))
            )
        return self._signers[cache_key]


def passphrase(path: str | Path, env: str | None) -> bytes | None:
    if env:
        value = os.environb.get(os.fsencode(env))  # the raw bytes, whatever their encoding
        if value is None:
            raise InputError(f"--passphrase-env {env}: that environment variable is not set")
        return value
    try:
        encrypted = b"ENCRYPTED" in Path(path).read_bytes()[:64]
    except OSError:
        return None  # load_private_key names the missing or unreadable file
    if not encrypted:
        return None
    if not sys.stdin.isatty():
        raise KeyFileError(f"key file {path} is encrypted: give --passphrase-env VAR")
    return click.prompt(f"Passphrase for {path}", hide_input=True).encode()


def json_flag(f: Any) -> Any:
    """``--json`` as an option of any command, with the same meaning as before the command."""

    def set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(Context).json = True

    return click.option("--json", "json_", is_flag=True, expose_value=False, callback=set_json,
                        help="Machine-readable output on stdout.")(f)


def key_options(f: Any) -> Any:
    f = click.option("--passphrase-env", metavar="VAR", help="Read the key's passphrase from $VAR.")(f)
    return click.option("--key", "key_path", required=True, metavar="PEM", help="The signing key (PKCS#8 PEM).")(f)


pass_ctx = click.make_pass_decorator(Context, ensure=True)
