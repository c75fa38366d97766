"""``inquiry open|finding|decide|close`` — a discipline inquiry, signed by a discipline inspector."""

from __future__ import annotations

from typing import Any

import click

from cli.commands_write import _receipt_out
from cli.context import Context, json_flag, key_options, pass_ctx
from cli.main import cli
from cli.params import DATE, HASH
from ledger.app import Entry


@cli.group()
def inquiry() -> None:
    """Open an inquiry into a case, record findings and accountability, close it."""


def _append(ctx: Context, inquiry_id: str, type_: str, actor: str, key_path: str, passphrase_env: str | None,
            payload: dict[str, Any]) -> None:
    signer = ctx.signer(key_path, passphrase_env)
    receipt = ctx.ledger().append([Entry(f"inquiry:{inquiry_id}", type_, actor, payload, signer)])[0]
    _receipt_out(ctx, receipt)


def _signer_options(f: Any) -> Any:
    f = key_options(f)
    return click.option("--actor", required=True, help="The discipline inspector's actor id.")(f)


@inquiry.command("open")
@click.option("--id", "inquiry_id", required=True, help="The inquiry's id; its stream is inquiry:ID.")
@click.option("--case", "case", required=True, help="The case under inquiry, e.g. case:341122-2019.")
@click.option("--subject", required=True)
@click.option("--opened-on", required=True, type=DATE)
@click.option("--basis", multiple=True, type=HASH, help="An event hash the inquiry starts from (repeatable).")
@_signer_options
@json_flag
@pass_ctx
def open_(ctx: Context, inquiry_id: str, case: str, subject: str, opened_on: str, basis: tuple[str, ...],
          actor: str, key_path: str, passphrase_env: str | None) -> None:
    """Open inquiry:ID into a case."""
    payload: dict[str, Any] = {"case": case, "subject": subject, "opened_on": opened_on}
    if basis:
        payload["basis"] = list(basis)
    _append(ctx, inquiry_id, "InquiryOpened", actor, key_path, passphrase_env, payload)


@inquiry.command()
@click.option("--id", "inquiry_id", required=True)
@click.option("--kind", required=True, help="falsification, procedure_violation, numbers_only_exit, false_exit or "
                                            "responsibility_failure.")
@click.option("--responsible", multiple=True, required=True, help="An actor id held responsible (repeatable).")
@click.option("--evidence", multiple=True, required=True, type=HASH, help="An event hash (repeatable).")
@click.option("--summary", required=True)
@click.option("--recorded-on", required=True, type=DATE)
@_signer_options
@json_flag
@pass_ctx
def finding(ctx: Context, inquiry_id: str, kind: str, responsible: tuple[str, ...], evidence: tuple[str, ...],
            summary: str, recorded_on: str, actor: str, key_path: str, passphrase_env: str | None) -> None:
    """Record a finding, citing the signed events that are its evidence."""
    payload = {"kind": kind, "responsible": list(responsible), "evidence": list(evidence), "summary": summary,
               "recorded_on": recorded_on}
    _append(ctx, inquiry_id, "FindingRecorded", actor, key_path, passphrase_env, payload)


@inquiry.command()
@click.option("--id", "inquiry_id", required=True)
@click.option("--against", multiple=True, required=True, help="An actor id held accountable (repeatable).")
@click.option("--measures", required=True)
@click.option("--decided-on", required=True, type=DATE)
@_signer_options
@json_flag
@pass_ctx
def decide(ctx: Context, inquiry_id: str, against: tuple[str, ...], measures: str, decided_on: str, actor: str,
           key_path: str, passphrase_env: str | None) -> None:
    """Record an accountability decision."""
    payload = {"decided_on": decided_on, "against": list(against), "measures": measures}
    _append(ctx, inquiry_id, "AccountabilityDecided", actor, key_path, passphrase_env, payload)


@inquiry.command()
@click.option("--id", "inquiry_id", required=True)
@click.option("--closed-on", required=True, type=DATE)
@_signer_options
@json_flag
@pass_ctx
def close(ctx: Context, inquiry_id: str, closed_on: str, actor: str, key_path: str, passphrase_env: str | None) -> None:
    """Close the inquiry; nothing follows."""
    _append(ctx, inquiry_id, "InquiryClosed", actor, key_path, passphrase_env, {"closed_on": closed_on})
