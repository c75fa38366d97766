"""``validate`` refuses unknown, derived and missing fields exactly as a field-by-field walk does."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import PayloadError
from domain.catalogue import DERIVED, SCHEMAS, validate


def _walked(type: str, payload: dict[str, Any]) -> str | None:
    """The first refusal of unknown, derived or missing fields, by the walk validate once did."""
    schema, derived = SCHEMAS[type], DERIVED.get(type, {})
    for name in payload:
        if name in derived:
            return f"payload.{name}: is derived by the ledger ({derived[name]}); leave it out"
        if name not in schema:
            return f"payload.{name}: unknown field; allowed: {', '.join(schema)}"
    for name, spec in schema.items():
        if spec.required and name not in payload:
            return f"payload.{name}: is required"
    return None


@st.composite
def payloads(draw: Any) -> tuple[str, dict[str, Any]]:
    type = draw(st.sampled_from(sorted(SCHEMAS)))
    names = draw(st.lists(st.sampled_from([*SCHEMAS[type], *DERIVED.get(type, {}), "nonsense", "decision"]),
                          unique=True))
    return type, {name: object() for name in draw(st.permutations(names))}  # no value passes a field check


@settings(max_examples=400, deadline=None)
@given(payloads())
def test_refuses_field_names_as_the_field_by_field_walk_does(case: tuple[str, dict[str, Any]]) -> None:
    type, payload = case
    expected = _walked(type, payload)
    message: str | None = None
    try:
        validate(type, payload)
    except PayloadError as e:
        message = e.message

    if expected is None:  # names all fine: the first field check refuses its object() value
        assert message is not None and "is derived" not in message and "unknown field" not in message
        assert "is required" not in message
    else:
        assert message == expected
