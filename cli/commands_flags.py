"""``flags`` — red flags of numbers-only exit (数字脱贫), each with the signed events it rests on."""

from __future__ import annotations

import re
from decimal import Decimal

import click

from cli import output
from cli.commands_views import views_of
from cli.context import Context, json_flag, pass_ctx
from cli.main import cli
from ledger.errors import InputError
from projections.flag_facts import load_cases
from projections.flags import RULES, SEVERITIES, Flag, Policy, evaluate, load_policy


@cli.command()
@click.argument("stream", required=False)
@click.option("--rule", "rules", multiple=True, help="Only this rule (repeatable).")
@click.option("--severity", default=None, help="Only flags of this severity or worse: critical, high or watch.")
@click.option("--policy", "policy_path", default=None, type=click.Path(dir_okay=False),
              help="Thresholds (TOML or JSON) overriding the defaults.")
@json_flag
@pass_ctx
def flags(ctx: Context, stream: str | None, rules: tuple[str, ...], severity: str | None,
          policy_path: str | None) -> None:
    """Red flags of numbers-only exit, from the read models; exit 0 whatever is found."""
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise InputError(f"--rule {unknown[0]}: unknown rule; one of {', '.join(RULES)}")
    if severity is not None and severity not in SEVERITIES:
        raise InputError(f"--severity {severity}: one of {', '.join(SEVERITIES)}")
    ledger = ctx.ledger()
    limit = ledger.registry().incidence_limit
    base = Policy(incidence_limit=Decimal(str(limit)))
    try:
        policy = load_policy(policy_path, base=base) if policy_path else base
    except OSError as e:
        raise InputError(f"--policy {policy_path}: {e.strerror}") from None
    except ValueError as e:  # names the file and the key already
        raise InputError(f"--policy: {e}") from None
    with views_of(ctx) as views:
        cases = load_cases(views.engine)
    if stream is not None and stream.startswith("province:"):
        if not re.fullmatch(r"province:\d{4}", stream):
            raise InputError(f"stream {stream}: a province-wide stream is province:<year>, e.g. province:2018")
    elif stream is not None and stream not in {c.stream for c in cases}:
        raise InputError(f"stream {stream}: no such case in this ledger")
    found = evaluate(cases, policy, rules or None)
    if stream is not None:
        found = [f for f in found if f.stream == stream]
    if severity is not None:
        found = [f for f in found if SEVERITIES.index(f.severity) <= SEVERITIES.index(severity)]
    if ctx.json:
        output.emit_json([f.as_dict() for f in found])
        return
    print_flags(found)


def print_flags(found: list[Flag]) -> None:
    """The flags as a table: severity, rule, stream, message and the seqs of their evidence."""
    output.table(f"{len(found)} red flag(s)", ["severity", "rule", "stream", "message", "evidence (seq)"],
                 ([f.severity, f.rule, f.stream, f.message, ", ".join(str(e.seq) for e in f.evidence)]
                  for f in found))
