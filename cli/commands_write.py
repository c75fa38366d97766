"""Commands that append: keygen, init, record, import."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import click

from cli import jsonin, output
from cli.context import Context, json_flag, key_options, pass_ctx, passphrase
from cli.main import cli
from ledger.app import Entry
from ledger.errors import InputError, LedgerError
from ledger.keys import generate_private_key, public_raw, write_private_key
from ledger.signed_note import vkey
from ledger.signing import Signer


_LINE_MEMBERS = {"type", "stream", "actor", "payload"}


def _receipt_out(ctx: Context, receipt: Any) -> None:
    if ctx.json:
        output.emit_json(receipt.as_dict())
    else:
        output.stdout.print(f"seq {receipt.seq}  {receipt.stream} v{receipt.version}  {receipt.type}  {receipt.hash}",
                            markup=False, highlight=False)


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Where to write the PEM.")
@click.option("--no-passphrase", is_flag=True, help="Write the key unencrypted.")
@click.option("--passphrase-env", metavar="VAR", help="Encrypt with the passphrase in $VAR.")
@json_flag
@pass_ctx
def keygen(ctx: Context, out: str, no_passphrase: bool, passphrase_env: str | None) -> None:
    """Create a new Ed25519 key; print its verifier key."""
    if no_passphrase and passphrase_env:
        raise InputError("--no-passphrase and --passphrase-env exclude each other")
    if no_passphrase:
        secret = None
    elif passphrase_env:
        secret = passphrase(out, passphrase_env)
    else:
        import sys
        if not sys.stdin.isatty():
            raise InputError("keygen: give --passphrase-env VAR or --no-passphrase (no terminal to prompt on)")
        secret = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True).encode()
    key = generate_private_key()
    write_private_key(out, key, secret)
    verifier = vkey(Path(out).stem, public_raw(key))
    if ctx.json:
        output.emit_json({"key": out, "vkey": verifier})
    else:
        output.stdout.print(verifier, markup=False, highlight=False)


@cli.command()
@click.option("--province-code", required=True, help="6-digit code of the province, e.g. 340000.")
@click.option("--province-name", required=True, help="Name of the province, e.g. 安徽省.")
@key_options
@click.option("--actor", default="ledger-authority", show_default=True, help="The authority's actor id.")
@click.option("--incidence-limit", default=None, help='Exit threshold of incidence in %, default "2".')
@click.option("--ledger-id", default=None, hidden=True, help="Fix the ledger id (reproducible demos).")
@json_flag
@pass_ctx
def init(ctx: Context, province_code: str, province_name: str, key_path: str, passphrase_env: str | None,
         actor: str, incidence_limit: str | None, ledger_id: str | None) -> None:
    """Create the ledger: the genesis event, signed by the authority key."""
    if ledger_id is not None:
        try:
            ledger_id = str(uuid.UUID(ledger_id))
        except ValueError:
            raise InputError(f"--ledger-id {ledger_id}: not a UUID") from None
    signer = ctx.signer(key_path, passphrase_env)
    ledger = ctx.ledger(create=True)
    receipt = ledger.init(province_code=province_code, province_name=province_name, signer=signer,
                          actor=actor, incidence_limit=incidence_limit, ledger_id=ledger_id)
    from ledger.signed_note import vkey as make_vkey
    origin = f"exitledger/{ledger.ledger_id}"
    if ctx.json:
        output.emit_json({**receipt.as_dict(), "ledger": ledger.ledger_id, "origin": origin,
                          "authority_vkey": make_vkey(origin, signer.public_raw)})
    else:
        output.stdout.print(f"ledger {ledger.ledger_id}", markup=False)
        output.stdout.print(f"authority verifier key: {make_vkey(origin, signer.public_raw)}", markup=False,
                            highlight=False)


def parse_data(data: str) -> dict[str, Any]:
    """``--data JSON`` or ``--data @FILE``: a JSON object."""
    if data.startswith("@"):
        try:
            data = Path(data[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"--data: cannot read {data[1:]}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise InputError(f"--data: {data[1:]} is not UTF-8 text") from None
    value = jsonin.loads(data, "--data")
    if not isinstance(value, dict):
        raise InputError("--data: the payload must be a JSON object")
    return value


@cli.command()
@click.argument("type_", metavar="TYPE")
@click.option("--stream", required=True, help="e.g. case:341122-2019, actors, inquiry:2020-01.")
@click.option("--actor", required=True, help="The acting actor's id.")
@key_options
@click.option("--data", required=True, help="The payload: JSON, or @FILE.")
@json_flag
@pass_ctx
def record(ctx: Context, type_: str, stream: str, actor: str, key_path: str, passphrase_env: str | None,
           data: str) -> None:
    """Append one event of TYPE, signed with the actor's key."""
    payload = parse_data(data)
    signer = ctx.signer(key_path, passphrase_env)
    receipt = ctx.ledger().append([Entry(stream, type_, actor, payload, signer)])[0]
    _receipt_out(ctx, receipt)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--key-dir", required=True, type=click.Path(file_okay=False), help="Holds <actor>.pem for each actor.")
@click.option("--passphrase-env", metavar="VAR", help="Passphrase of the key files, from $VAR.")
@json_flag
@pass_ctx
def import_(ctx: Context, file: str, key_dir: str, passphrase_env: str | None) -> None:
    """Append a JSON Lines batch ({"type","stream","actor","payload"} per line): all or nothing."""
    entries = []
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"{file}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{file}: not UTF-8") from None
    numbers = []
    signers: dict[str, Signer] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = jsonin.loads(line, f"{file} line {number}")
        if not isinstance(item, dict) or item.keys() != _LINE_MEMBERS:
            raise InputError(f'{file} line {number}: each line is an object with exactly "type", "stream", "actor", "payload"')
        type_, stream, actor = item["type"], item["stream"], item["actor"]
        if not (isinstance(type_, str) and isinstance(stream, str) and isinstance(actor, str)):
            raise InputError(f"{file} line {number}: type, stream and actor must be strings")
        signer = signers.get(actor)
        if signer is None:
            if "/" in actor or actor.startswith("."):
                raise InputError(f"{file} line {number}: actor: not a valid actor id")
            try:
                signer = signers[actor] = ctx.signer(Path(key_dir) / f"{actor}.pem", passphrase_env)
            except LedgerError as e:
                raise InputError(f"{file} line {number}: {e.message}") from None
        entries.append(Entry(stream, type_, actor, item["payload"], signer))
        numbers.append(number)
    if not entries:
        raise InputError(f"{file}: no events to import")
    try:
        receipts = ctx.ledger().append(entries)
    except LedgerError as e:
        index = getattr(e, "index", None)
        if index is not None:
            raise type(e)(f"{file} line {numbers[index]}: {e.message}; nothing was imported", code=e.code) from None
        raise
    if ctx.json:
        output.emit_json({"imported": len(receipts), "first_seq": receipts[0].seq, "last_seq": receipts[-1].seq,
                          "receipts": [r.as_dict() for r in receipts]})
    else:
        output.stdout.print(f"imported {len(receipts)} events, seq {receipts[0].seq}–{receipts[-1].seq}",
                            markup=False)
