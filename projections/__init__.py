"""Read models rebuilt from the event log: case status, figures, actors' trails, timelines.

Open :class:`Views` on an open ledger and its ``--db`` URL, call :meth:`Views.catch_up`, then
ask :mod:`projections.queries`. Stages: :mod:`projections.stages`; deadlines:
:mod:`projections.deadlines`.
"""

from __future__ import annotations

from projections.runner import DEFAULT_BATCH, Views
from projections.stages import ALL_STAGES, STAGES

__all__ = ["ALL_STAGES", "DEFAULT_BATCH", "STAGES", "Views"]
