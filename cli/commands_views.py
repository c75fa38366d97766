"""Questions answered from the read models: ``status``, ``figures``, ``timeline``, ``actor show``,
and ``projections rebuild|status``. Every query catches the read models up first, so what it
prints is current; each prints a table, ``--json``, or ``--csv`` (UTF-8 on stdout)."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from cli import output
from cli.commands_actor import actor
from cli.context import Context, json_flag, pass_ctx
from cli.main import cli
from ledger.errors import InputError
from projections import ALL_STAGES, Views, queries
from projections.db import store_errors
from projections.figures import COUNTY_INDICATORS

SOURCES = ("county_self_report", "national_information_system", "third_party", "department_inspection")


def csv_flag(f: Any) -> Any:
    return click.option("--csv", "as_csv", is_flag=True, help="CSV (UTF-8, a header row) on stdout.")(f)


@contextmanager
def views_of(ctx: Context, *, current: bool = True) -> Iterator[Views]:
    """The read models of ``--db``, caught up with the log unless ``current`` is False."""
    ledger = ctx.ledger()
    with store_errors("the read models cannot be brought up to date"), Views(ledger, ctx.db) as views:
        if current:
            views.catch_up()
        yield views


def emit(ctx: Context, as_csv: bool, rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> bool:
    """Print ``rows`` as JSON or CSV if asked; False when the caller should print its table."""
    if ctx.json and as_csv:
        raise InputError("--json and --csv: choose one")
    if ctx.json:
        output.emit_json(rows)
        return True
    if as_csv:
        names = list(columns or (rows[0].keys() if rows else []))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180, as the export's events.csv
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(row.get(name)) for name in names])
        raw = getattr(sys.stdout, "buffer", None)
        if raw is None:  # a text-only stdout (tests capture into a StringIO)
            sys.stdout.write(text.getvalue())
        else:  # UTF-8 whatever the locale says
            sys.stdout.flush()
            raw.write(text.getvalue().encode("utf-8"))
            raw.flush()
        return True
    return False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# -- status -------------------------------------------------------------------------------------
@cli.command()
@click.argument("stream", required=False)
@click.option("--stage", type=click.Choice(ALL_STAGES), help="Only cases at this stage.")
@click.option("--city", metavar="CODE", help="Only cases of this city (6-digit code).")
@click.option("--year", type=int, help="Only cases applying in this year.")
@json_flag
@csv_flag
@pass_ctx
def status(ctx: Context, stream: str | None, stage: str | None, city: str | None, year: int | None,
           as_csv: bool) -> None:
    """Where each case stands: stage, outcome, open rectifications, publicity, spot check."""
    with views_of(ctx) as views, store_errors("status"):
        rows = queries.case_status(views.engine, stream, stage=stage, city=city, year=year)
    if emit(ctx, as_csv, rows):
        return
    output.table(
        "cases" if stream is None else stream,
        ["stream", "county", "city", "tier", "stage", "outcome", "verified", "open rect.", "special rect.",
         "publicity", "spot check", "last event (decided)"],
        ([r["stream"], r["county_name"], r["city_code"], r["tier"], r["stage"], r["outcome"] or "",
          r["verification_decision"] or "", r["open_rectifications"] or "", _special(r), r["publicity"] or "",
          r["spot_check"] or "", f"{r['last_event']} ({r['last_decided_on'] or '—'})"] for r in rows),
    )


def _special(row: dict[str, Any]) -> str:
    if not row["special_rectification_required"]:
        return ""
    return "reported" if row["special_rectification_reported"] else "REQUIRED"


# -- figures ------------------------------------------------------------------------------------
@cli.command()
@click.argument("stream")
@click.option("--indicator", metavar="NAME", help="Only this indicator, e.g. poverty_incidence.")
@click.option("--villages", is_flag=True, help="Also every village's figures.")
@click.option("--village", metavar="CODE", help="Only this village's figures (12-digit code).")
@json_flag
@csv_flag
@pass_ctx
def figures(ctx: Context, stream: str, indicator: str | None, villages: bool, village: str | None,
            as_csv: bool) -> None:
    """Every figure of STREAM with its reporter and source side by side; revisions marked."""
    with views_of(ctx) as views, store_errors("figures"):
        rows = queries.figures(views.engine, stream, indicator=indicator, villages=villages, village=village)
    if emit(ctx, as_csv, rows):
        return
    county = [r for r in rows if r["village_code"] is None]
    if county or village is None:
        _sources_table(stream, county)
    if villages or village is not None:
        _villages_table(stream, [r for r in rows if r["village_code"] is not None])


def _mark(row: dict[str, Any], by_hash: dict[str, int]) -> str:
    text = f"{_shown(row['value'])}  as of {row['as_of']}  #{row['seq']} {row['actor']}"
    if row["person"]:
        text += f" ({row['person']})"
    if row["revises"]:
        text += f"  [revises #{by_hash.get(row['revises'], '?')}]"
    if row["revised_by"]:
        text += f"  [REVISED by #{by_hash.get(row['revised_by'], '?')}]"
    return text


def _shown(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _sources_table(stream: str, rows: list[dict[str, Any]]) -> None:
    by_hash = {r["hash"]: r["seq"] for r in rows}
    indicators = [i for i in COUNTY_INDICATORS if any(r["indicator"] == i for r in rows)]
    sources = [s for s in SOURCES if any(r["source"] == s for r in rows)] or list(SOURCES)
    output.table(
        f"{stream}: figures by source (#seq; revisions marked)",
        ["indicator", *sources],
        ([name, *("\n".join(_mark(r, by_hash) for r in rows if r["indicator"] == name and r["source"] == s)
                  for s in sources)] for name in indicators),
    )


def _villages_table(stream: str, rows: list[dict[str, Any]]) -> None:
    by_hash = {r["hash"]: r["seq"] for r in rows}
    reports: dict[int, dict[str, Any]] = {}
    for r in rows:
        report = reports.setdefault(r["seq"], {"row": r})
        report[r["indicator"]] = _shown(r["value"])
    names = ["households", "poor_households", "poor_population", "per_capita_income", "exited"]
    output.table(
        f"{stream}: village figures",
        ["seq", "village", "as of", *names, "actor", "revision"],
        ([seq, f"{rep['row']['village_code']} {rep['row']['village_name'] or ''}", rep["row"]["as_of"],
          *(rep.get(n, "") for n in names), rep["row"]["actor"],
          (f"revises #{by_hash.get(rep['row']['revises'], '?')}" if rep["row"]["revises"] else "")
          + (" REVISED" if rep["row"]["revised_by"] else "")]
         for seq, rep in sorted(reports.items())),
    )


# -- timeline -----------------------------------------------------------------------------------
@cli.command()
@click.argument("stream")
@json_flag
@csv_flag
@pass_ctx
def timeline(ctx: Context, stream: str, as_csv: bool) -> None:
    """Every event of STREAM: decision date beside recording time, DOMAIN.md deadlines, lateness."""
    with views_of(ctx) as views, store_errors("timeline"):
        rows = queries.timeline(views.engine, stream)
    if emit(ctx, as_csv, rows):
        return
    output.table(
        f"{stream}: timeline",
        ["seq", "v", "type", "decided", "recorded (UTC)", "lag (days)", "window", "deadline", "on time?", "actor"],
        ([r["seq"], r["version"], r["type"], r["decided_on"], r["recorded_at"], r["lag_days"],
          f"from {r['window_from']}" if r["window_from"] else "", r["deadline"], _lateness(r), r["actor"]]
         for r in rows),
    )


def _lateness(row: dict[str, Any]) -> str:
    marks = {"late": "LATE", "early": "early", "on_time": "on time"}
    text = marks.get(row["status"] or "", "")
    if row["recorded_late"] and row["status"] != "late":
        text = f"{text}, RECORDED LATE".lstrip(", ")
    return text


# -- actor show ---------------------------------------------------------------------------------
@actor.command("show")
@click.argument("actor_id", metavar="ACTOR")
@json_flag
@csv_flag
@pass_ctx
def show(ctx: Context, actor_id: str, as_csv: bool) -> None:
    """Everything ACTOR signed, in recording order."""
    with views_of(ctx) as views, store_errors("actor show"):
        who = queries.actor(views.engine, actor_id)
        rows = queries.actor_trail(views.engine, actor_id)
    if emit(ctx, as_csv, rows):
        return
    title = f"{actor_id}: {who['name'] or ''} ({who['role']}, {who['jurisdiction']})"
    if who["person"]:
        title += f", held by {who['person']}"
    if who["revoked_seq"]:
        title += f", revoked at #{who['revoked_seq']}"
    output.table(title, ["seq", "stream", "v", "type", "decided", "recorded (UTC)", "key", "hash"],
                 ([r["seq"], r["stream"], r["version"], r["type"], r["decided_on"], r["recorded_at"], r["key"],
                   r["hash"][:16] + "…"] for r in rows))


# -- projections --------------------------------------------------------------------------------
@cli.group()
def projections() -> None:
    """The read models behind status, figures, timeline and actor show."""


@projections.command()
@click.argument("models", nargs=-1, metavar="[MODEL]...")
@json_flag
@pass_ctx
def rebuild(ctx: Context, models: tuple[str, ...]) -> None:
    """Drop the read models (all, or those named) and replay the log from zero."""
    with views_of(ctx, current=False) as views:
        started = time.perf_counter()
        events = views.rebuild(models or None)
        seconds = time.perf_counter() - started
        report = views.status()
    if ctx.json:
        output.emit_json({"events": events, "seconds": round(seconds, 3), "models": report})
        return
    rate = f" ({events / seconds:,.0f} events/s)" if seconds > 0 and events else ""
    output.stdout.print(f"rebuilt {', '.join(models) or 'every read model'} from {events} events in "
                        f"{seconds:.2f} s{rate}", markup=False, highlight=False)


@projections.command("status")
@json_flag
@pass_ctx
def projections_status(ctx: Context) -> None:
    """Each read model's position in the log against the log's head (without catching up)."""
    with views_of(ctx, current=False) as views:
        report = views.status()
    if ctx.json:
        output.emit_json(report)
        return
    output.table("read models", ["model", "seq", "head", "behind", "layout", "rows"],
                 ([m["name"], m["seq"], m["head"], m["behind"], m["layout"],
                   ", ".join(f"{k} {v}" for k, v in m["rows"].items())] for m in report))
