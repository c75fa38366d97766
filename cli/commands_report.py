"""``report`` — the inspector's self-contained HTML page of one case or of the province (issue 6).

The data comes from :mod:`projections.report.pages`, the markup from :mod:`cli.report`; this
command checks its arguments, verifies the ledger (the page shows the result), and writes the
file whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from cli import output
from cli.commands_views import views_of
from cli.context import Context, json_flag, pass_ctx
from cli.main import cli
from cli.report import render_case, render_province
from ledger.errors import InputError
from ledger.verify import verify_store
from projections.db import store_errors
from projections.report import pages


def writable(out: str | None) -> Path:
    """``out`` as a path a file can be written to; InputError naming it otherwise."""
    if not out:
        raise InputError("--out FILE.html is required: where to write the report")
    path = Path(out)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"--out {out}: is a directory; give a file name such as report.html")
    if not parent.is_dir():
        raise InputError(f"--out {out}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--out {out}: not writable")
    return path


def write_report(ctx: Context, out: str | None, *, stream: str | None = None, year: int | None = None) -> Path:
    """Write the report of case ``stream`` (or, without one, of the province for ``year`` or
    every year) to ``out``; returns the path. Nothing is written on any error."""
    path = writable(out)
    ledger = ctx.ledger()
    with views_of(ctx) as views, store_errors("report"):
        verify = lambda: verify_store(ledger)  # noqa: E731
        if stream is not None:
            html = render_case(pages.case_page(views.engine, ledger, stream, verify))
        else:
            html = render_province(pages.province_page(views.engine, ledger, year, verify))
    _write(path, html)
    return path


def _write(path: Path, html: str) -> None:
    """All or nothing: a temporary file beside ``path``, renamed over it."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(html)
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise InputError(f"--out {path}: cannot write ({e.strerror or e})") from None


@cli.command()
@click.argument("stream", required=False)
@click.option("--province", is_flag=True, help="The province's report instead of one case's.")
@click.option("--year", type=int, default=None, help="With --province: only the cases applying in this year.")
@click.option("--out", metavar="FILE.html", default=None, help="Where to write the page (required).")
@json_flag
@pass_ctx
def report(ctx: Context, stream: str | None, province: bool, year: int | None, out: str | None) -> None:
    """A self-contained HTML report of case STREAM, or of the province with --province."""
    if stream is not None and province:
        raise InputError("give a case STREAM or --province, not both")
    if stream is None and not province:
        raise InputError("give a case STREAM (e.g. case:341322-2019) or --province")
    if year is not None and not province:
        raise InputError("--year goes with --province; a case report covers its own case")
    path = write_report(ctx, out, stream=stream, year=year)
    if ctx.json:
        output.emit_json({"out": str(path)})
    else:
        output.stdout.print(f"wrote {path}", markup=False, highlight=False)
