"""``exitledger`` — the command line of SPEC §5. Parses, calls, formats; nothing else.

Every error of the ledger's family is caught in exactly one place, :func:`main`, printed as one
line on stderr and turned into its exit code (2 bad input, 1 failed verification).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from cli.context import DEFAULT_DB, Context, json_flag, key_options, pass_ctx
from cli import output
from ledger.errors import LedgerError


COMMANDS = {
    "keygen": "cli.commands_write", "init": "cli.commands_write", "record": "cli.commands_write",
    "import": "cli.commands_write", "actor": "cli.commands_actor", "demo": "cli.commands_demo",
    "verify": "cli.commands_read", "history": "cli.commands_read", "checkpoint": "cli.commands_log",
    "prove": "cli.commands_log", "consistency": "cli.commands_log", "export": "cli.commands_log",
    "status": "cli.commands_views", "figures": "cli.commands_views", "timeline": "cli.commands_views",
    "projections": "cli.commands_views", "flags": "cli.commands_flags", "inquiry": "cli.commands_inquiry",
    "report": "cli.commands_report",
}
"""Each command → the module that defines it, imported only when the command runs (or help lists
them all): ``import`` then never loads the read models, SQLAlchemy or the report pages."""


class LazyGroup(click.Group):
    """The root group, whose commands register themselves when their module is imported."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            # An unknown name loads every command, so that click can suggest the nearest.
            for module in [COMMANDS[cmd_name]] if cmd_name in COMMANDS else sorted(set(COMMANDS.values())):
                importlib.import_module(module)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        output.stderr.print(usage_line(e), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(0)


def usage_line(e: click.ClickException) -> str:
    """A click usage error as the one ``error:`` line every other bad input gets (SPEC §5),
    pointing at the help of the command that was being parsed, instead of click's three lines
    of usage, hint and message."""
    line = f"error: {' '.join(e.format_message().split())}"
    if isinstance(e, click.UsageError):
        line += f" (see {e.ctx.command_path if e.ctx is not None else 'exitledger'} --help)"
    return line


__all__ = ["cli", "main", "Context", "json_flag", "key_options", "pass_ctx", "Any"]
