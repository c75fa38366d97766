"""Commands that read: history, verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import click

from cli import output
from cli.context import Context, json_flag, pass_ctx
from cli.main import cli
from ledger.errors import InputError, StoreError, VerificationError
from ledger.keys import parse_public_key
from ledger.bundle import verify_bundle
from ledger.verify import Report, verify_store


def parse_as_of(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--as-of {text}: not a time; use e.g. 2020-03-01 or 2020-03-01T08:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if "T" not in text and " " not in text and len(text) <= 10:  # a bare date means the end of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment


@cli.command()
@click.argument("stream")
@click.option("--as-of", default=None, help="Show the stream as the ledger stood at this UTC time.")
@json_flag
@pass_ctx
def history(ctx: Context, stream: str, as_of: str | None) -> None:
    """Replay STREAM: every event with who signed it, when, and the decision date."""
    moment = parse_as_of(as_of) if as_of else None
    events = ctx.ledger().history(stream, moment)
    if ctx.json:
        output.emit_json(events)
        return
    output.table(
        f"{stream}" + (f" as of {as_of}" if as_of else ""),
        ["seq", "v", "type", "decided", "recorded (UTC)", "actor", "person", "key", "payload", "hash"],
        ([e["seq"], e["version"], e["type"], e["decided_on"], e["recorded_at"], e["actor"], e["person"],
          e["key"], output.short_payload(e["payload"]), e["hash"][:16] + "…"] for e in events),
    )
    cited = [(e["seq"], c) for e in events for c in e.get("cites", ())]
    if cited:
        output.table("evidence cited", ["cited by seq", "hash", "seq", "stream", "v", "type", "actor", "recorded (UTC)"],
                     ([by, c["hash"][:16] + "…", c.get("seq"), c.get("stream"), c.get("version"), c.get("type"),
                       c.get("actor"), c.get("recorded_at")] for by, c in cited))


def print_report(ctx: Context, report: Report) -> None:
    if ctx.json:
        output.emit_json({"ok": report.ok, "ledger": report.ledger, "events": report.events,
                          "problems": [p.as_dict() for p in report.problems], "warnings": report.warnings})
    else:
        for p in report.problems:
            where = f"seq {p.seq}" if p.seq is not None else "seq ?"
            if p.stream:
                where += f" {p.stream} v{p.version}"
            output.stdout.print(f"{where}  {p.code}: {p.message}", markup=False, highlight=False)
        for w in report.warnings:
            output.stderr.print(f"warning: {w}", markup=False, highlight=False)
        verdict = "verified" if report.ok else f"FAILED with {len(report.problems)} problem(s)"
        output.stdout.print(f"ledger {report.ledger}: {report.events} events {verdict}", markup=False,
                            highlight=False)
    if not report.ok:
        raise VerificationError(f"verification failed: {len(report.problems)} problem(s)")


@cli.command()
@click.option("--bundle", default=None, type=click.Path(file_okay=False),
              help="Verify an exported bundle offline instead of the database.")
@click.option("--authority-key", default=None, metavar="VKEY",
              help="The trusted authority key (PEM file or verifier key string).")
@json_flag
@pass_ctx
def verify(ctx: Context, bundle: str | None, authority_key: str | None) -> None:
    """Verify every record, signature, key, right, chain and checkpoint; exit 1 on any problem."""
    trusted = parse_public_key(authority_key) if authority_key else None
    if bundle is not None:
        with _progress(ctx, None) as advance:
            report = verify_bundle(bundle, trusted_authority=trusted, progress=advance)
        print_report(ctx, report)
        return
    ledger = ctx.ledger()
    total = ledger.size()
    if total == 0 and not ledger.recorder.unlogged_events():
        raise StoreError("no ledger in this database: nothing to verify (run `exitledger init` first)")
    with _progress(ctx, total) as advance:
        report = verify_store(ledger, trusted_authority=trusted, progress=advance)
    print_report(ctx, report)


@contextmanager
def _progress(ctx: Context, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (stderr); nothing for pipes and --json."""
    if not output.stderr.is_terminal or ctx.json:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=output.stderr, transient=True) as bar:
        task = bar.add_task("verifying", total=total)
        yield lambda n: bar.advance(task, n)
