"""The ``actors`` stream: the ledger's genesis and the registry of actors and their keys (SPEC §1).

Every event of this stream is signed by the ledger authority. The authority is named once,
by LedgerInitialised; its key is never rotated or revoked, and no second authority can be
registered. A key is held by one actor only, once: keys are never shared or reused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.base import Act, Actor, Forbidden, PayloadError, Stream, event_type
from domain.fields import NATION
from domain.rights import CITY_ROLES, COUNTY_ROLES, PROVINCIAL_ROLES, authorize

DEFAULT_INCIDENCE_LIMIT = Decimal("2")


def _decimal(value: Any, default: Decimal) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else default
    except (InvalidOperation, ValueError):
        return default


class ActorRegistry(Stream):
    """Current state of the ``actors`` stream: the province, the authority, every actor."""

    class Event(Stream.Event):
        pass

    @event_type("LedgerInitialised")
    class LedgerInitialised(Event, Stream.Created):
        pass

    @event_type("ActorRegistered")
    class ActorRegistered(Event):
        pass

    @event_type("KeyRotated")
    class KeyRotated(Event):
        pass

    @event_type("ActorRevoked")
    class ActorRevoked(Event):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.province_code = ""
        self.province_name = ""
        self.origin = ""
        self.authority_actor = ""
        self.incidence_limit = DEFAULT_INCIDENCE_LIMIT
        self.actors: dict[str, Actor] = {}
        self.valid_from: dict[str, str] = {}
        self.key_holders: dict[str, str] = {}  # every key ever held → its (only) holder

    def actor(self, actor_id: str) -> Actor | None:
        """The actor as currently registered (revoked ones included), or ``None``."""
        return self.actors.get(actor_id)

    def when(self, event: Stream.Event) -> None:
        p = event.payload
        if event.TYPE == "LedgerInitialised":
            self.province_code = str(p.get("province_code", ""))
            self.province_name = str(p.get("province_name", ""))
            self.origin = str(p.get("origin", ""))
            self.authority_actor = str(p.get("authority_actor", ""))
            self.incidence_limit = _decimal(p.get("incidence_limit"), DEFAULT_INCIDENCE_LIMIT)
            key = str(p.get("authority_public_key", ""))
            self.actors[self.authority_actor] = Actor(
                id=self.authority_actor,
                name=f"{self.province_name} ledger authority",
                role="ledger_authority",
                jurisdiction=self.province_code,
                public_key=key,
            )
            self.key_holders.setdefault(key, self.authority_actor)
        elif event.TYPE == "ActorRegistered":
            actor = Actor(
                id=str(p.get("actor", "")),
                name=str(p.get("name", "")),
                role=str(p.get("role", "")),
                jurisdiction=str(p.get("jurisdiction", "")),
                public_key=str(p.get("public_key", "")),
                person=p.get("person"),
            )
            self.actors[actor.id] = actor
            self.valid_from[actor.id] = str(p.get("valid_from", ""))
            self.key_holders.setdefault(actor.public_key, actor.id)
        elif event.TYPE == "KeyRotated":
            current = self.actors.get(str(p.get("actor", "")))
            if current is not None:
                key = str(p.get("public_key", ""))
                self.actors[current.id] = replace(current, public_key=key)
                self.key_holders.setdefault(key, current.id)
        elif event.TYPE == "ActorRevoked":
            current = self.actors.get(str(p.get("actor", "")))
            if current is not None:
                self.actors[current.id] = replace(current, revoked=True)


def decide(
    *, stream: str, aggregate: Stream | None, type: str, act: Act, payload: dict[str, Any]
) -> dict[str, Any]:
    """Check an ``actors`` event beyond its schema and return its final payload."""
    if type == "LedgerInitialised":
        return _genesis(stream, act, payload)
    assert isinstance(aggregate, ActorRegistry)
    authorize(type=type, stream=stream, actor=act.actor, province_code=aggregate.province_code, case=None)
    if act.actor.id != aggregate.authority_actor:
        raise Forbidden(f"actor {act.actor.id} is not the ledger authority {aggregate.authority_actor}")
    return _RULES[type](aggregate, act, payload)


def _genesis(stream: str, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    authorize(type="LedgerInitialised", stream=stream, actor=act.actor,
              province_code=payload["province_code"], case=None)
    if act.actor.id != payload["authority_actor"]:
        raise Forbidden(
            f"LedgerInitialised must be signed by its authority_actor {payload['authority_actor']}, "
            f"not by {act.actor.id}"
        )
    if act.actor.public_key != payload["authority_public_key"]:
        raise Forbidden("LedgerInitialised must be signed with authority_public_key, the trust anchor")
    return payload


def _jurisdiction_rule(role: str, code: str, province: str) -> str | None:
    """Why ``code`` cannot be the jurisdiction of a ``role`` in ``province``, or ``None``."""
    inside = code.startswith(province[:2]) and code != province
    if role in PROVINCIAL_ROLES and code != province:
        return f"a {role} acts for the province: must be {province}"
    if role == "national_leading_group" and code != NATION:
        return f"a national_leading_group acts for the nation: must be {NATION}"
    if role in COUNTY_ROLES and not (inside and not code.endswith("00")):
        return f"a {role} needs a county code of province {province} ({province[:2]}xxxx, not ending in 00)"
    if role in CITY_ROLES and not (inside and code.endswith("00")):
        return f"a {role} needs a city code of province {province} ({province[:2]}xx00)"
    if role == "discipline_inspector" and code != NATION and not code.startswith(province[:2]):
        return f"a discipline_inspector needs {NATION} or a division code of province {province}"
    return None


def _unused_key(registry: ActorRegistry, key: str) -> None:
    holder = registry.key_holders.get(key)
    if holder is not None:
        raise PayloadError("public_key", f"was already held by actor {holder}; keys are never shared or reused")


def _register(registry: ActorRegistry, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    actor_id, role = payload["actor"], payload["role"]
    if actor_id in registry.actors:
        raise PayloadError("actor", f"actor {actor_id} is already registered; an actor id is registered once")
    if role == "ledger_authority":
        raise PayloadError("role", f"there is one ledger_authority, {registry.authority_actor}, named at genesis")
    rule = _jurisdiction_rule(role, payload["jurisdiction"], registry.province_code)
    if rule:
        raise PayloadError("jurisdiction", f"{rule} (got \"{payload['jurisdiction']}\")")
    _unused_key(registry, payload["public_key"])
    final = dict(payload)
    final.setdefault("valid_from", act.recorded_at.date().isoformat())
    return final


def _target(registry: ActorRegistry, payload: dict[str, Any], verb: str) -> Actor:
    actor = registry.actors.get(payload["actor"])
    if actor is None:
        raise PayloadError("actor", f"no actor {payload['actor']} is registered")
    if actor.id == registry.authority_actor:
        raise PayloadError("actor", "the ledger authority's key is never rotated or revoked")
    if actor.revoked:
        raise PayloadError("actor", f"actor {actor.id} is revoked; a revoked actor cannot be {verb}")
    return actor


def _rotate(registry: ActorRegistry, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    actor = _target(registry, payload, "given a new key")
    if payload["public_key"] == actor.public_key:
        raise PayloadError("public_key", f"is already actor {actor.id}'s current key")
    _unused_key(registry, payload["public_key"])
    return payload


def _revoke(registry: ActorRegistry, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    _target(registry, payload, "revoked again")
    return payload


_RULES: dict[str, Callable[[ActorRegistry, Act, dict[str, Any]], dict[str, Any]]] = {
    "ActorRegistered": _register,
    "KeyRotated": _rotate,
    "ActorRevoked": _revoke,
}
