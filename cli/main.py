"""``exitledger`` — the command line of SPEC §5. Parses, calls, formats; nothing else.

Every error of the ledger's family is caught in exactly one place, :func:`main`, printed as one
line on stderr and turned into its exit code (2 bad input, 1 failed verification).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from cli.context import DEFAULT_DB, Context, json_flag, key_options, pass_ctx
from cli import output
from ledger.errors import LedgerError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="EXITLEDGER_DB", default=DEFAULT_DB, show_default=True,
              help="Database URL (sqlite:///FILE or postgresql://HOST/DB); also $EXITLEDGER_DB.")
@click.option("--json", "json_", is_flag=True, help="Machine-readable output on stdout.")
@click.pass_context
def cli(ctx: click.Context, db: str, json_: bool) -> None:
    """A signed, hash-chained audit ledger of poverty-county exits (贫困县退出)."""
    obj = ctx.ensure_object(Context)
    obj.db = db
    obj.json = obj.json or json_


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="exitledger", standalone_mode=False)
    except LedgerError as e:
        output.stderr.print(f"error: {e.message}", markup=False, highlight=False)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        output.stderr.print("aborted", markup=False)
        sys.exit(2)
    except click.ClickException as e:
        e.show()
        sys.exit(2)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(0)


def _register() -> None:
    from cli import commands_actor, commands_demo, commands_log, commands_read, commands_write  # noqa: F401
    from cli import commands_flags, commands_inquiry, commands_report, commands_views  # noqa: F401


_register()
__all__ = ["cli", "main", "Context", "json_flag", "key_options", "pass_ctx", "Any"]
