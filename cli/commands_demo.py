"""``demo`` — the main job on a fresh SQLite file: see ``cli.demo``."""

from __future__ import annotations

import click

from cli.context import Context, pass_ctx
from cli.main import cli
from ledger.errors import InputError


@cli.command()
@click.option("--out", default="demo-out", show_default=True, type=click.Path(file_okay=False),
              help="Where the demo writes its keys and files.")
@click.option("--counties", type=click.IntRange(2, 9801), default=None,
              help="Synthetic counties instead of Anhui's 31 (to scale up).")
@click.option("--villages", type=click.IntRange(1, 5000), default=None, help="Villages per case.")
@click.option("--small", is_flag=True, help="Only two hand-written cases (岳西县 announced, 临泉县 rejected).")
@pass_ctx
def demo(ctx: Context, out: str, counties: int | None, villages: int | None, small: bool) -> None:
    """Build Anhui's 31 poverty counties with planted falsifications; flags, verification, bundle."""
    from cli.demo import run_demo

    if small and (counties or villages):
        raise InputError("--small takes neither --counties nor --villages")
    run_demo(ctx, out, counties=counties, villages=villages, small=small)
