"""The actors stream: genesis, registration, key rotation and revocation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from domain import Forbidden, OutOfOrder, PayloadError
from tests.unit.domain.kit import AUTHORITY, PROVINCE, Book, authority, genesis, key, province, registration


def rotation(actor: str, n: int) -> dict[str, str]:
    return {"actor": actor, "public_key": key(n), "reason": "annual rotation"}


def test_initialises_the_ledger_with_its_authority_as_first_actor() -> None:
    book = Book()
    event = book.record("actors", "LedgerInitialised", authority(), genesis())
    registry = book.registry
    assert event.payload == genesis()  # incidence_limit stays absent
    assert registry.province_code == PROVINCE and registry.authority_actor == AUTHORITY
    assert registry.incidence_limit == Decimal("2")
    held = registry.actor(AUTHORITY)
    assert held is not None
    assert (held.role, held.jurisdiction, held.public_key) == ("ledger_authority", PROVINCE, key(0))


def test_keeps_a_western_provinces_incidence_limit_as_given() -> None:
    book = Book()
    event = book.record("actors", "LedgerInitialised", authority(), genesis(incidence_limit="3.0"))
    assert event.payload["incidence_limit"] == "3.0"
    assert book.registry.incidence_limit == Decimal("3")


@pytest.mark.parametrize("limit", ["0", "-1", "100.5", "2%", 2])
def test_refuses_an_incidence_limit_outside_zero_to_a_hundred(limit: object) -> None:
    with pytest.raises(PayloadError) as raised:
        Book().record("actors", "LedgerInitialised", authority(), genesis(incidence_limit=limit))
    assert raised.value.field == "incidence_limit"


@pytest.mark.parametrize(("field", "value"), [
    ("province_code", "341100"), ("province_code", "000000"), ("province_code", "34000"),
    ("origin", "exitledger/0B6F7A8E-5A4C-4D1E-9F2B-3C4D5E6F7A8B"), ("origin", "ledger/x"),
    ("authority_actor", "-authority"), ("authority_public_key", "AAAA"),
    ("authority_public_key", "not base64!"),
])
def test_refuses_a_malformed_genesis(field: str, value: str) -> None:
    with pytest.raises(PayloadError) as raised:
        Book().record("actors", "LedgerInitialised", authority(), genesis(**{field: value}))
    assert raised.value.field == field


@pytest.mark.parametrize("signer", [
    replace(authority(), id="someone-else"),
    replace(authority(), public_key=key(9)),
    replace(authority(), role="provincial_office"),
])
def test_refuses_a_genesis_not_signed_by_the_authority_it_names(signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        Book().record("actors", "LedgerInitialised", signer, genesis())


def test_refuses_a_second_genesis() -> None:
    with pytest.raises(OutOfOrder, match="already has its LedgerInitialised"):
        province().record("actors", "LedgerInitialised", AUTHORITY, genesis())


def test_refuses_registration_before_genesis() -> None:
    with pytest.raises(OutOfOrder, match="actors has no LedgerInitialised yet"):
        Book().record("actors", "ActorRegistered", authority(),
                      registration("ah-office", "provincial_office", PROVINCE, 1))


def test_fills_in_the_recording_date_as_valid_from_and_keeps_a_given_one() -> None:
    book = province()
    event = book.record("actors", "ActorRegistered", AUTHORITY, registration("x-1", "provincial_office", PROVINCE, 50))
    assert event.payload["valid_from"] == book.clock.date().isoformat()
    given = registration("x-2", "provincial_office", PROVINCE, 51, valid_from="2019-01-01")
    assert book.record("actors", "ActorRegistered", AUTHORITY, given).payload["valid_from"] == "2019-01-01"
    assert book.registry.valid_from["x-2"] == "2019-01-01"


def test_registers_an_actor_with_its_person() -> None:
    book = province()
    actor = book.actor("341122-lg")
    assert (actor.role, actor.jurisdiction, actor.person, actor.revoked) == (
        "county_leading_group", "341122", "person of 341122-lg", False)


def test_refuses_to_register_an_actor_id_twice() -> None:
    with pytest.raises(PayloadError, match="already registered") as raised:
        province().record("actors", "ActorRegistered", AUTHORITY,
                          registration("ah-office", "provincial_office", PROVINCE, 60))
    assert raised.value.field == "actor"


def test_refuses_to_register_a_second_ledger_authority() -> None:
    with pytest.raises(PayloadError) as raised:
        province().record("actors", "ActorRegistered", AUTHORITY,
                          registration("auth-2", "ledger_authority", PROVINCE, 60))
    assert raised.value.field == "role"


@pytest.mark.parametrize("held_by", [0, 3])
def test_refuses_a_key_already_held_by_another_actor(held_by: int) -> None:
    with pytest.raises(PayloadError, match="keys are never shared or reused") as raised:
        province().record("actors", "ActorRegistered", AUTHORITY,
                          registration("new", "provincial_office", PROVINCE, held_by))
    assert raised.value.field == "public_key"


def test_refuses_a_key_an_actor_held_before_rotating_it() -> None:
    book = province()
    book.record("actors", "KeyRotated", AUTHORITY, {"actor": "ah-office", "public_key": key(70), "reason": "lost"})
    with pytest.raises(PayloadError, match="was already held by actor ah-office"):
        book.record("actors", "ActorRegistered", AUTHORITY, registration("new", "provincial_office", PROVINCE, 1))


@pytest.mark.parametrize(("role", "jurisdiction"), [
    ("provincial_office", PROVINCE), ("third_party_evaluator", PROVINCE), ("national_leading_group", "000000"),
    ("county_leading_group", "341122"), ("county_party_government", "340828"), ("city_leading_group", "341100"),
    ("city_party_government", "340800"), ("discipline_inspector", "000000"), ("discipline_inspector", PROVINCE),
    ("discipline_inspector", "341100"), ("discipline_inspector", "341122"),
])
def test_accepts_a_jurisdiction_fitting_the_role(role: str, jurisdiction: str) -> None:
    province().record("actors", "ActorRegistered", AUTHORITY, registration("new", role, jurisdiction, 80))


@pytest.mark.parametrize(("role", "jurisdiction"), [
    ("provincial_office", "341100"), ("provincial_department", "000000"), ("national_leading_group", PROVINCE),
    ("county_leading_group", "341100"), ("county_leading_group", PROVINCE), ("county_leading_group", "421122"),
    ("city_leading_group", "341122"), ("city_party_government", PROVINCE), ("city_leading_group", "421100"),
    ("discipline_inspector", "421100"),
])
def test_refuses_a_jurisdiction_that_does_not_fit_the_role(role: str, jurisdiction: str) -> None:
    with pytest.raises(PayloadError) as raised:
        province().record("actors", "ActorRegistered", AUTHORITY, registration("new", role, jurisdiction, 80))
    assert raised.value.field == "jurisdiction"


def test_refuses_actor_events_signed_by_anyone_but_the_authority() -> None:
    with pytest.raises(Forbidden, match="may not sign ActorRegistered on actors: needs ledger_authority of 340000"):
        province().record("actors", "ActorRegistered", "ah-office",
                          registration("new", "provincial_office", PROVINCE, 80))


def test_rotates_a_key_and_remembers_the_old_one() -> None:
    book = province()
    book.record("actors", "KeyRotated", AUTHORITY, {"actor": "341122-lg", "public_key": key(90), "reason": "annual"})
    assert book.actor("341122-lg").public_key == key(90)
    assert book.registry.key_holders[key(9)] == "341122-lg"


@pytest.mark.parametrize("type", ["KeyRotated", "ActorRevoked"])
def test_never_rotates_or_revokes_the_authoritys_key(type: str) -> None:
    payload = {"actor": AUTHORITY, "reason": "compromised", **({"public_key": key(91)} if type == "KeyRotated" else {})}
    with pytest.raises(PayloadError, match="the ledger authority's key is never rotated or revoked"):
        province().record("actors", type, AUTHORITY, payload)


def test_refuses_to_rotate_to_the_current_key() -> None:
    with pytest.raises(PayloadError, match="current key"):
        province().record("actors", "KeyRotated", AUTHORITY, rotation("ah-office", 1))


def test_refuses_to_rotate_to_a_key_of_another_actor() -> None:
    with pytest.raises(PayloadError, match="held by actor ah-dept"):
        province().record("actors", "KeyRotated", AUTHORITY, rotation("ah-office", 2))


@pytest.mark.parametrize("type", ["KeyRotated", "ActorRevoked"])
def test_refuses_to_rotate_or_revoke_an_unknown_actor(type: str) -> None:
    payload = {"actor": "nobody", "reason": "x", **({"public_key": key(91)} if type == "KeyRotated" else {})}
    with pytest.raises(PayloadError, match="no actor nobody is registered"):
        province().record("actors", type, AUTHORITY, payload)


def test_revokes_an_actor_once_and_gives_it_no_new_key() -> None:
    book = province()
    book.record("actors", "ActorRevoked", AUTHORITY, {"actor": "341122-lg", "reason": "left office"})
    assert book.actor("341122-lg").revoked
    with pytest.raises(PayloadError, match="is revoked"):
        book.record("actors", "ActorRevoked", AUTHORITY, {"actor": "341122-lg", "reason": "again"})
    with pytest.raises(PayloadError, match="is revoked"):
        book.record("actors", "KeyRotated", AUTHORITY, {"actor": "341122-lg", "public_key": key(92), "reason": "x"})


def test_accepts_the_same_person_holding_keys_for_county_and_city() -> None:
    book = province()
    same = "张三"
    for actor, role, code, n in (("c-1", "county_leading_group", "341122", 93),
                                 ("c-2", "city_leading_group", "341100", 94)):
        book.record("actors", "ActorRegistered", AUTHORITY, registration(actor, role, code, n, person=same))
    assert book.actor("c-1").person == book.actor("c-2").person == same
