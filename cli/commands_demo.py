"""``demo`` — the main job on a fresh SQLite file: see ``cli.demo``."""

from __future__ import annotations

import click

from cli.context import Context, pass_ctx
from cli.main import cli


@cli.command()
@click.option("--out", default="demo-out", show_default=True, type=click.Path(file_okay=False),
              help="Where the demo writes its keys and files.")
@pass_ctx
def demo(ctx: Context, out: str) -> None:
    """Build a small province, record two exit cases, verify, and print both histories."""
    from cli.demo import run_demo

    run_demo(ctx, out)
