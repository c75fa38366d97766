"""Village figures of the demo province: natural-looking clean villages and fabricated ones."""

from __future__ import annotations

import math
import random
from typing import Any


from domain.generator_common import (
    VILLAGE_INCOME,
    _NAME_CHARS,
)

# -- village figures ------------------------------------------------------------------------------------


def _village_codes(rng: random.Random, county: str, n: int) -> list[str]:
    """``n`` distinct 12-digit codes: county + township (100–999) + village (200–999)."""
    codes: list[str] = []
    township = rng.randint(100, 104)
    per_township = max(8, math.ceil(n / 300))
    while len(codes) < n:
        village = 200 + rng.randint(0, 4)
        for _ in range(rng.randint(2, per_township)):
            if len(codes) == n or village > 999:
                break
            codes.append(f"{county}{township:03d}{village:03d}")
            village += rng.randint(1, 3)
        township += rng.randint(1, 3)
        if township > 999:
            raise ValueError(f"too many villages for one county ({n})")  # pragma: no cover
    return codes


def _village_name(rng: random.Random) -> str:
    return f"{rng.choice(_NAME_CHARS)}{rng.choice(_NAME_CHARS)}村"


def _mantissas(rng: random.Random, n: int) -> list[float]:
    """``n`` stratified uniform mantissas in [0, 1), shuffled: their first digits are Benford's."""
    values = [(i + rng.random()) / n for i in range(n)]
    rng.shuffle(values)
    return values


def _balance_last_digits(rng: random.Random, rows: list[dict[str, Any]]) -> None:
    """Give the village counts of 100 or more, pooled, last digits balanced over 0–9."""
    slots = [(row, name) for row in rows for name in ("households", "poor_households", "poor_population")
             if row[name] >= 100]
    start = rng.randrange(10)
    digits = [(start + i) % 10 for i in range(len(slots))]
    rng.shuffle(digits)
    for (row, name), digit in zip(slots, digits, strict=True):
        row[name] = row[name] // 10 * 10 + digit


def _clean_villages(rng: random.Random, county: str, n: int, year: int, as_of: str) -> list[dict[str, Any]]:
    """Village figures whose first digits are Benford's by construction and whose last digits
    (counts of 100 or more) are balanced.

    Households and poor households get stratified mantissas and are paired by rank, with some
    jitter (bigger villages have more poor households). The poor population is poor households
    times a household size of about 1.5–3.2, chosen so that its mantissas are stratified too:
    villages sorted by their poor households' mantissa take, in turn, the target mantissa about
    a third of the way round the circle (locally shuffled).
    """
    codes = _village_codes(rng, county, n)
    income = VILLAGE_INCOME.get(year, 10_000)
    households = [10 ** (3 + m if m < math.log10(3) and rng.random() < 0.45 else 2 + m) for m in _mantissas(rng, n)]
    poor_mantissas = _mantissas(rng, n)
    poor_households = []
    for m in poor_mantissas:
        draw = rng.random()
        poor_households.append(10 ** (m + (2 if m < math.log10(1.5) and draw < 0.12 else 1 if draw < 0.45 else 0)))
    # the poor population's mantissas: a near-rotation of the poor households' by about 1/3
    targets = sorted(_mantissas(rng, n))
    block = max(1, n // 12)
    shuffled = list(range(n))
    for start in range(0, n, block):
        part = shuffled[start:start + block]
        rng.shuffle(part)
        shuffled[start:start + block] = part
    turn = round(n / 3)
    size = [0.0] * n
    for rank, i in enumerate(sorted(range(n), key=lambda i: poor_mantissas[i])):
        size[i] = 10 ** ((targets[(shuffled[rank] + turn) % n] - poor_mantissas[i]) % 1)
    # bigger villages, more poor households
    order = sorted(range(n), key=lambda i: poor_households[i])
    by_households = sorted(range(n), key=lambda i: households[i] * rng.lognormvariate(0, 0.15))
    rows: list[dict[str, Any]] = []
    for village, poor in sorted(zip(by_households, order, strict=True)):
        # at most a fifth of a village's households are poor (binds only for a handful of villages)
        scale = min(1.0, households[village] / 5 / poor_households[poor])
        rows.append({"as_of": as_of, "village_code": codes[village], "village_name": _village_name(rng),
                     "households": int(households[village]), "poor_households": max(1, int(poor_households[poor] * scale)),
                     "poor_population": max(1, int(poor_households[poor] * scale * size[poor])),
                     "per_capita_income": str(int(income * rng.uniform(0.8, 1.25))), "exited": True})
    _balance_last_digits(rng, rows)
    return rows


def _fabricated_villages(rng: random.Random, county: str, n: int, year: int, as_of: str) -> list[dict[str, Any]]:
    """Invented figures: round households, a few favourite values, and 4 identical villages."""
    codes = _village_codes(rng, county, n)
    income = VILLAGE_INCOME.get(year, 10_000)
    rows = []
    for code in codes:
        households = round(rng.uniform(300, 1500) / 10) * 10 if rng.random() < 0.7 else round(
            rng.uniform(300, 1500) / 50) * 50
        poor = rng.choice((10, 12, 15, 18, 20, 25, 30, 40))
        rows.append({"as_of": as_of, "village_code": code, "village_name": _village_name(rng),
                     "households": households, "poor_households": poor // 2, "poor_population": poor,
                     "per_capita_income": str(round(income * rng.uniform(0.9, 1.1) / 500) * 500), "exited": True})
    twin = {"households": 800, "poor_households": 6, "poor_population": 15, "per_capita_income": str(income // 1000 * 1000)}
    for row in rng.sample(rows, min(4, len(rows))):
        row.update(twin)
    return rows


