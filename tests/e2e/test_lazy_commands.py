"""The command line loads a command's module only when that command runs."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import cli
from cli.main import COMMANDS
from cli.main import cli as root


def test_the_lazy_table_names_every_command_and_the_module_that_defines_it() -> None:
    for module in pkgutil.iter_modules(cli.__path__):
        if module.name.startswith("commands_"):
            importlib.import_module(f"cli.{module.name}")

    assert {name: command.callback.__module__ for name, command in root.commands.items()} == COMMANDS


def test_import_loads_neither_the_read_models_nor_sqlalchemy() -> None:
    probe = ("import sys; from cli.main import cli; cli.get_command(None, 'import'); "
             "print(sorted(m for m in ('sqlalchemy', 'projections', 'cli.report', 'cli.commands_views') "
             "if m in sys.modules))")

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == "[]"
