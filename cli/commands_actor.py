"""``actor register|rotate|revoke|list`` — the registry of actors and their keys."""

from __future__ import annotations

from typing import Any

import click

from cli import output
from cli.commands_write import _receipt_out
from cli.context import Context, json_flag, key_options, pass_ctx
from cli.main import cli
from ledger.app import ACTORS, Entry
from ledger.keys import b64, parse_public_key


@cli.group()
def actor() -> None:
    """Register actors, rotate or revoke their keys, list them."""


def _append_actors_event(ctx: Context, type_: str, key_path: str, passphrase_env: str | None,
                         payload: dict[str, Any]) -> None:
    ledger = ctx.ledger()
    signer = ctx.signer(key_path, passphrase_env)
    authority = ledger.registry().authority_actor
    receipt = ledger.append([Entry(ACTORS, type_, authority, payload, signer)])[0]
    _receipt_out(ctx, receipt)


@actor.command()
@click.option("--actor", "actor_id", required=True, help="The new actor's id, e.g. 341122-lg.")
@click.option("--name", required=True, help="The body's name, e.g. 利辛县扶贫开发领导小组.")
@click.option("--role", required=True, help="One of the roles of DOMAIN.md, e.g. county_leading_group.")
@click.option("--jurisdiction", required=True, help="6-digit division code (000000 for the nation).")
@click.option("--public-key", required=True, help="PEM public key file or verifier key string.")
@click.option("--person", default=None, help="The natural person who holds the key.")
@key_options
@json_flag
@pass_ctx
def register(ctx: Context, actor_id: str, name: str, role: str, jurisdiction: str, public_key: str,
             person: str | None, key_path: str, passphrase_env: str | None) -> None:
    """Register an actor and its key (signed by the ledger authority)."""
    payload: dict[str, Any] = {"actor": actor_id, "name": name, "role": role, "jurisdiction": jurisdiction,
                               "public_key": b64(parse_public_key(public_key))}
    if person is not None:
        payload["person"] = person
    _append_actors_event(ctx, "ActorRegistered", key_path, passphrase_env, payload)


@actor.command()
@click.option("--actor", "actor_id", required=True)
@click.option("--public-key", required=True, help="The new key: PEM public key file or verifier key string.")
@click.option("--reason", required=True)
@key_options
@json_flag
@pass_ctx
def rotate(ctx: Context, actor_id: str, public_key: str, reason: str, key_path: str,
           passphrase_env: str | None) -> None:
    """Replace an actor's key; events signed with the old key after this are invalid."""
    payload = {"actor": actor_id, "public_key": b64(parse_public_key(public_key)), "reason": reason}
    _append_actors_event(ctx, "KeyRotated", key_path, passphrase_env, payload)


@actor.command()
@click.option("--actor", "actor_id", required=True)
@click.option("--reason", required=True)
@key_options
@json_flag
@pass_ctx
def revoke(ctx: Context, actor_id: str, reason: str, key_path: str, passphrase_env: str | None) -> None:
    """Revoke an actor: it may sign nothing after this."""
    _append_actors_event(ctx, "ActorRevoked", key_path, passphrase_env, {"actor": actor_id, "reason": reason})


@actor.command("list")
@json_flag
@pass_ctx
def list_(ctx: Context) -> None:
    """Every registered actor with its role, jurisdiction and current key."""
    actors = ctx.ledger().actors()
    if ctx.json:
        output.emit_json(actors)
        return
    output.table("actors", ["actor", "name", "role", "jurisdiction", "person", "key", "revoked"],
                 ([a["actor"], a["name"], a["role"], a["jurisdiction"], a["person"], a["key"],
                   "yes" if a["revoked"] else ""] for a in actors))
