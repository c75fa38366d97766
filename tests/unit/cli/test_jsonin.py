"""``cli.jsonin.loads`` reads what ``json.loads`` with the same hooks reads, and says the same."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cli import jsonin
from ledger.errors import InputError

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)
texts = (values.map(json.dumps)
         | st.text(alphabet='{}[]",:0123456789.e-tfn \ufeff\\ua', max_size=24)
         | st.tuples(values.map(json.dumps), st.sampled_from(["", " ", "\ufeff", "}", ',"a":1}'])).map(
             lambda pair: pair[1] + pair[0] if pair[1] == "\ufeff" else pair[0] + pair[1])
         | st.just('{"a": 1, "a": 2}'))


def _reference(text: str) -> Any:
    """What ``loads`` did with ``json.loads`` and a decoder built per call."""
    try:
        return json.loads(text, parse_float=jsonin.Fraction, object_pairs_hook=jsonin._object)
    except jsonin._Duplicate as e:
        return f"where: member {e.name!r} appears twice in one object"
    except json.JSONDecodeError as e:
        return f"where: malformed JSON ({e.msg} at line {e.lineno} column {e.colno})"


def _loads(text: str) -> Any:
    try:
        return jsonin.loads(text, "where")
    except InputError as e:
        return e.message


@settings(max_examples=500, deadline=None)
@given(texts)
def test_reads_any_text_as_json_loads_with_the_same_hooks_does(text: str) -> None:
    got, expected = _loads(text), _reference(text)

    assert got == expected
    assert repr(got) == repr(expected)  # floats stay Fractions
