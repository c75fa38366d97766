"""The transparency log: checkpoint (and witness cosign), prove, consistency, export."""

from __future__ import annotations

import click

from cli import output
from cli.context import Context, json_flag, pass_ctx
from ledger import transparency
from ledger.bundle import export as export_bundle
from cli.main import cli
from domain import export_columns
from ledger.errors import InputError


@cli.group(invoke_without_command=True)
@click.option("--key", "key_path", metavar="PEM", help="The ledger authority's key.")
@click.option("--passphrase-env", metavar="VAR", help="Read the key's passphrase from $VAR.")
@json_flag
@click.pass_context
def checkpoint(click_ctx: click.Context, key_path: str | None, passphrase_env: str | None) -> None:
    """Sign the current tree head as a C2SP checkpoint (authority key)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.ensure_object(Context)
    if key_path is None:
        raise InputError("checkpoint: give --key AUTHORITY_PEM")
    signed = transparency.sign(ctx.ledger(), ctx.signer(key_path, passphrase_env))
    if ctx.json:
        output.emit_json({"size": signed.size, "root": signed.root.hex(), "note": signed.note, "new": signed.new})
    else:
        if not signed.new:
            output.stderr.print(f"the tree of {signed.size} events was already signed", markup=False)
        output.stdout.print(signed.note, end="", markup=False, highlight=False)


@checkpoint.command()
@click.option("--key", "key_path", required=True, metavar="PEM", help="The witness's key.")
@click.option("--passphrase-env", metavar="VAR", help="Read the key's passphrase from $VAR.")
@click.option("--name", required=True, help="The witness's key name, e.g. ah-cdi-witness.")
@click.option("--state", default=None, metavar="FILE",
              help="The witness's own memory of the last checkpoint it cosigned (JSON).")
@json_flag
@pass_ctx
def cosign(ctx: Context, key_path: str, passphrase_env: str | None, name: str, state: str | None) -> None:
    """Cosign the latest checkpoint as a witness, after checking it extends what you cosigned."""
    result = transparency.witness_cosign(ctx.ledger(), ctx.signer(key_path, passphrase_env), name, state=state)
    if ctx.json:
        output.emit_json(result)
    else:
        output.stdout.print(result["note"], end="", markup=False, highlight=False)


@cli.command()
@click.argument("seq", type=int)
@click.option("--size", type=int, default=None, help="Tree size of the proof (default: the current size).")
@json_flag
@pass_ctx
def prove(ctx: Context, seq: int, size: int | None) -> None:
    """Inclusion proof of event SEQ (RFC 9162 §2.1.3)."""
    proof = transparency.inclusion(ctx.ledger(), seq, size)
    if ctx.json:
        output.emit_json(proof)
        return
    output.stdout.print(f"seq {proof['seq']} in tree of size {proof['size']}", markup=False)
    output.stdout.print(f"leaf hash {proof['leaf_hash']}\nroot      {proof['root']}", markup=False)
    for i, h in enumerate(proof["proof"]):
        output.stdout.print(f"  {i:2d} {h}", markup=False)


@cli.command()
@click.argument("old", type=int)
@click.argument("new", type=int)
@json_flag
@pass_ctx
def consistency(ctx: Context, old: int, new: int) -> None:
    """Consistency proof between the trees of OLD and NEW events (RFC 9162 §2.1.4)."""
    proof = transparency.consistency(ctx.ledger(), old, new)
    if ctx.json:
        output.emit_json(proof)
        return
    output.stdout.print(f"size {proof['size1']} root {proof['root1']}\nsize {proof['size2']} root {proof['root2']}",
                        markup=False)
    for i, h in enumerate(proof["proof"]):
        output.stdout.print(f"  {i:2d} {h}", markup=False)


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Directory of the bundle.")
@click.option("--csv", "with_csv", is_flag=True, help="Also write events.csv (UTF-8 with BOM, payload flattened).")
@json_flag
@pass_ctx
def export(ctx: Context, out: str, with_csv: bool) -> None:
    """Write the audit trail as a bundle anyone can verify offline (SPEC §2)."""
    summary = export_bundle(ctx.ledger(), out, csv_columns=export_columns() if with_csv else None)
    if ctx.json:
        output.emit_json({"out": summary.directory, "events": summary.events, "checkpoints": summary.checkpoints,
                          "files": summary.files})
    else:
        output.stdout.print(f"exported {summary.events} events and {summary.checkpoints} checkpoint(s) to "
                            f"{summary.directory}", markup=False)
        if summary.checkpoints == 0:
            output.stderr.print("warning: no checkpoint signed yet: nothing in this bundle is sealed", markup=False)
