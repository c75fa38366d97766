"""End-to-end fixtures: the ``exitledger`` command line, run as a user runs it.

``run(*args, env=None, input=None)`` calls :func:`cli.main.main` in-process — the one place that
turns errors into messages and exit codes — and returns a :class:`Result`. An exception that
escapes ``main`` is what a user would see as a traceback: it is rendered into ``stderr`` with
exit code 1, exactly as the interpreter would, so tests can assert that it never happens.

``run_proc`` runs ``.venv/bin/exitledger`` as a subprocess (slower; used where the process
boundary matters: a real stdin that is not a terminal, a real interpreter traceback).

Every test gets its own SQLite file in ``tmp_path``. The province the tests share (an
authority, six actors, one encrypted key) is built once through the CLI and copied per test.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from ledger.app import ExitLedger

EXE = Path(sys.executable).with_name("exitledger")
PASSPHRASE_VAR = "EL_TEST_PASSPHRASE"
PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"exit {self.code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


@contextlib.contextmanager
def _environ(env: dict[str, str | None] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.pop("EXITLEDGER_DB", None)
    for name, value in (env or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def invoke(*args: str | Path, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
    """Run ``exitledger ARGS`` in this process; stdin is never a terminal."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(input or "")
    saved_stdin = sys.stdin
    code: int
    with _environ(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        sys.stdin = stdin
        try:
            main([str(a) for a in args])
            code = 0  # main() always exits; returning is itself odd, but harmless
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:  # sys.exit("message"): the interpreter prints it and exits 1
                err.write(f"{e.code}\n")
                code = 1
        except BaseException:  # what the interpreter would print for an escaped exception
            err.write(traceback.format_exc())
            code = 1
        finally:
            sys.stdin = saved_stdin
    return Result(code, out.getvalue(), err.getvalue())


def invoke_proc(*args: str | Path, env: dict[str, str | None] | None = None, input: str | None = None,
                cwd: Path | None = None, timeout: float = 120) -> Result:
    """Run ``.venv/bin/exitledger ARGS`` as a subprocess, stdin a pipe or /dev/null."""
    full_env = {k: v for k, v in os.environ.items() if k != "EXITLEDGER_DB"}
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    proc = subprocess.run(
        [str(EXE), *map(str, args)], env=full_env, cwd=cwd, timeout=timeout, text=True,
        input=input, stdin=None if input is not None else subprocess.DEVNULL, capture_output=True,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def run(tmp_path: Path) -> Any:
    """``run(*args, env=None, input=None) -> Result``, in-process, cwd = tmp_path."""

    def _run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
        with contextlib.chdir(tmp_path):
            return invoke(*args, env=env, input=input)

    return _run


@pytest.fixture
def run_proc(tmp_path: Path) -> Any:
    def _run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None,
             timeout: float = 120) -> Result:
        return invoke_proc(*args, env=env, input=input, cwd=tmp_path, timeout=timeout)

    return _run


# -- the province ---------------------------------------------------------------------------------

# (actor, name, role, jurisdiction, how its public key is given to `actor register`)
ACTORS: tuple[tuple[str, str, str, str, str], ...] = (
    ("ah-office", "安徽省扶贫开发领导小组办公室", "provincial_office", "340000", "pem"),
    ("340828-lg", "岳西县扶贫开发领导小组", "county_leading_group", "340828", "vkey"),
    ("340828-pg", "中共岳西县委、岳西县人民政府", "county_party_government", "340828", "vkey"),
    ("340800-lg", "安庆市扶贫开发领导小组", "city_leading_group", "340800", "pem"),
    ("341221-lg", "临泉县扶贫开发领导小组", "county_leading_group", "341221", "vkey"),
)
ENCRYPTED = "340828-pg"  # the one actor whose key file is encrypted
AUTHORITY = "ledger-authority"


def public_pem(private_pem: Path, out: Path) -> Path:
    """Write the SubjectPublicKeyInfo PEM of an unencrypted or encrypted private key file."""
    from cryptography.hazmat.primitives import serialization as s

    data = private_pem.read_bytes()
    secret = PASSPHRASE.encode() if b"ENCRYPTED" in data else None
    key = s.load_pem_private_key(data, secret)
    out.write_bytes(key.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))
    return out


def must(result: Result) -> Result:
    assert result.code == 0, str(result)
    return result


@dataclass
class Province:
    """A ledger on its own SQLite file, its key directory, and helpers to drive the CLI."""

    root: Path
    db_file: Path
    keys: Path
    vkeys: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db_file}"

    @property
    def db(self) -> tuple[str, str]:
        return ("--db", self.url)

    def key(self, actor: str) -> Path:
        return self.keys / f"{actor}.pem"

    def size(self) -> int:
        ledger = ExitLedger(self.url)
        try:
            return ledger.size()
        finally:
            ledger.close()

    def key_args(self, actor: str) -> list[str]:
        args = ["--key", str(self.key(actor))]
        if actor == ENCRYPTED:
            args += ["--passphrase-env", PASSPHRASE_VAR]
        return args

    def record_args(self, type_: str, stream: str, actor: str, data: Any, *, key_of: str | None = None) -> list[str]:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        return [*self.db, "record", type_, "--stream", stream, "--actor", actor,
                *self.key_args(key_of or actor), "--data", text]

    def record(self, type_: str, stream: str, actor: str, data: Any, **kw: Any) -> Result:
        return invoke(*self.record_args(type_, stream, actor, data, **kw), env={PASSPHRASE_VAR: PASSPHRASE})


def _build_province(root: Path) -> Province:
    keys = root / "keys"
    keys.mkdir(parents=True)
    p = Province(root=root, db_file=root / "ledger.db", keys=keys)
    must(invoke("keygen", "--out", p.key(AUTHORITY), "--no-passphrase"))
    must(invoke(*p.db, "init", "--province-code", "340000", "--province-name", "安徽省", "--key", p.key(AUTHORITY)))
    for actor, name, role, jurisdiction, how in ACTORS:
        if actor == ENCRYPTED:
            gen = invoke("keygen", "--out", p.key(actor), "--passphrase-env", PASSPHRASE_VAR,
                         env={PASSPHRASE_VAR: PASSPHRASE})
        else:
            gen = invoke("keygen", "--out", p.key(actor), "--no-passphrase")
        p.vkeys[actor] = must(gen).stdout.strip()
        public = str(public_pem(p.key(actor), root / f"{actor}.pub.pem")) if how == "pem" else p.vkeys[actor]
        must(invoke(*p.db, "actor", "register", "--actor", actor, "--name", name, "--role", role,
                    "--jurisdiction", jurisdiction, "--public-key", public, "--person", f"person of {actor}",
                    "--key", p.key(AUTHORITY)))
    return p


@pytest.fixture(scope="session")
def _province_template(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return _build_province(tmp_path_factory.mktemp("province-template"))


@pytest.fixture
def province(_province_template: Province, tmp_path: Path) -> Province:
    """A fresh copy of the registered province (genesis + 5 actors) in this test's tmp_path."""
    root = tmp_path / "province"
    shutil.copytree(_province_template.root, root)
    return Province(root=root, db_file=root / "ledger.db", keys=root / "keys", vkeys=dict(_province_template.vkeys))


# -- the small case -----------------------------------------------------------------------------

CASE = "case:340828-2017"
CASE_OPENED = {"county_code": "340828", "county_name": "岳西县", "city_code": "340800", "city_name": "安庆市",
               "tier": "national", "year": 2017, "opened_on": "2017-08-01"}
FIGURES = {"source": "county_self_report", "reported_on": "2017-11-25", "as_of": "2017-10-31",
           "rural_population": 337000, "poor_population": 4246, "poverty_incidence": "1.26",
           "poor_villages_total": 65, "poor_villages_remaining": 0, "income_growth": "11.2",
           "provincial_income_growth": "8.9", "public_service_indicators_met": 19}
APPROVED = {"approved_on": "2017-12-08", "document": "岳发〔2017〕41号"}
SUBMITTED = {"submitted_on": "2017-12-10", "document": "岳扶组〔2017〕12号", "attestation": "本县对申报数据的真实性负责"}
REVIEWED = {"reviewed_on": "2017-12-20", "opinion": "pass", "findings": ["逐项审核，符合退出条件"]}

SMALL_CASE: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("CaseOpened", "ah-office", CASE_OPENED),
    ("FiguresReported", "340828-lg", FIGURES),
    ("ExitApplicationApproved", "340828-pg", APPROVED),
    ("ExitApplicationSubmitted", "340828-lg", SUBMITTED),
    ("CityReviewCompleted", "340800-lg", REVIEWED),
)


@pytest.fixture
def opened(province: Province) -> Province:
    """The province with case:340828-2017 opened (and nothing else on it)."""
    must(province.record("CaseOpened", CASE, "ah-office", CASE_OPENED))
    return province


def assert_bad_input(r: Result, *needles: str) -> None:
    """Exit 2, one `error:` line naming each of ``needles``, nothing on stdout, no traceback."""
    assert r.code == 2, r
    assert "Traceback" not in r.stderr, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: "), r
    assert r.stdout == "", r
    for needle in needles:
        assert needle in r.err_lines[0], (needle, r)
