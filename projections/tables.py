"""The read models' tables, in the ledger's database (see :mod:`projections.db`).

Dates and times are kept as the record wrote them (``YYYY-MM-DD``; UTC ``…Z`` with
microseconds), which sort correctly as text and compare the same on both backends. Figure
values are kept as the exact text that was signed (``"1.870"`` stays ``1.870``); queries give
them back their JSON type.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, Table, Text

metadata = MetaData()

# SQLite makes only ``INTEGER PRIMARY KEY`` an alias of the rowid (one b-tree, not two).
SEQ = BigInteger().with_variant(Integer(), "sqlite")

tracking = Table(
    "projection_tracking", metadata,
    Column("name", Text, primary_key=True),
    Column("application_name", Text, nullable=False),
    Column("seq", SEQ, nullable=False),
    Column("layout", Integer, nullable=False),
)
"""Each read model's position in the log: eventsourcing's ``Tracking(application_name,
notification_id)`` with ``notification_id`` = the last ``seq`` whose rows are committed.
``layout`` is the version of the model's tables; a mismatch means rebuild."""

actor_directory = Table(
    "actor_directory", metadata,
    Column("actor", Text, primary_key=True),
    Column("name", Text),
    Column("role", Text),
    Column("jurisdiction", Text),
    Column("person", Text),
    Column("registered_seq", SEQ),
    Column("valid_from", Text),
    Column("rotations", Integer, nullable=False),
    Column("revoked_seq", SEQ),
)

case_status = Table(
    "case_status", metadata,
    Column("stream", Text, primary_key=True),
    Column("county_code", Text),
    Column("county_name", Text),
    Column("city_code", Text),
    Column("city_name", Text),
    Column("tier", Text),
    Column("year", Integer),
    Column("stage", Text, nullable=False),
    Column("outcome", Text),
    Column("verification_decision", Text),
    Column("spot_check", Text),
    Column("publicity", Text),
    Column("objections", Integer, nullable=False),
    Column("open_rectifications", Integer, nullable=False),
    Column("open_items", Text, nullable=False),  # JSON list of the open rectification items
    Column("special_rectification_required", Boolean, nullable=False),
    Column("special_rectification_reported", Boolean, nullable=False),
    Column("follow_up_filed", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("last_event", Text, nullable=False),
    Column("last_seq", SEQ, nullable=False),
    Column("last_recorded_at", Text, nullable=False),
    Column("last_decided_on", Text),
)

FIGURE_COLUMNS: tuple[str, ...] = (
    "poverty_incidence", "poor_population", "rural_population", "poor_villages_total", "poor_villages_remaining",
    "income_growth", "provincial_income_growth", "public_service_indicators_met",
    "households", "poor_households", "per_capita_income", "exited",
)
"""One column per indicator (county and village figures share ``poor_population``)."""

figures = Table(
    "figures", metadata,
    Column("seq", SEQ, primary_key=True),
    Column("stream", Text, nullable=False),
    Column("village_code", Text),
    Column("village_name", Text),
    Column("source", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("person", Text),
    Column("as_of", Text),
    Column("reported_on", Text),
    Column("recorded_at", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("revises", Text),
    *(Column(name, Text) for name in FIGURE_COLUMNS),
    Index("figures_by_stream", "stream", "village_code", "seq"),
)
"""One row per report (FiguresReported or VillageFiguresReported), its indicators side by side;
:func:`projections.queries.figures` gives one row per indicator."""

actor_activity = Table(
    "actor_activity", metadata,
    Column("seq", SEQ, primary_key=True),
    Column("actor", Text, nullable=False),
    Column("person", Text),
    Column("role", Text),
    Column("type", Text, nullable=False),
    Column("stream", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("decided_on", Text),
    Column("key", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Index("actor_activity_by_actor", "actor", "seq"),
)

timeline = Table(
    "timeline", metadata,
    Column("seq", SEQ, primary_key=True),
    Column("stream", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("decided_on", Text),
    Column("recorded_at", Text, nullable=False),
    Column("lag_days", Integer),
    Column("window_from", Text),
    Column("deadline", Text),
    Column("status", Text),
    Column("recorded_late", Boolean, nullable=False),
    Column("hash", Text, nullable=False),
    Index("timeline_by_stream", "stream", "seq"),
)

case_payloads = Table(
    "case_payloads", metadata,
    Column("seq", SEQ, primary_key=True),
    Column("stream", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the signed payload, JSON
    Index("case_payloads_by_stream", "stream", "seq"),
)
"""Every case event's payload, for the red-flag rules (:mod:`projections.flag_facts`)."""
