"""Steps shared by plan and apply: load the calendar and make the plan."""

from __future__ import annotations

from datetime import timedelta

from loomta_sync.calendar.load import LoadResult
from loomta_sync.cli.context import AppContext
from loomta_sync.planner.model import ChangeKind, Plan
from loomta_sync.planner.planner import make_plan
from loomta_sync.state.model import State

# Kinds that make `plan` exit 1, because the calendar requests something that cannot be done.
ERROR_KINDS = frozenset({ChangeKind.CONFLICT, ChangeKind.EXPIRED})


def build_plan(app: AppContext, state: State) -> tuple[Plan, LoadResult]:
    result = app.load_calendar(state)
    lead = timedelta(minutes=app.project().config.min_lead_minutes)
    plan = make_plan(result.calendar, state, app.now(), lead)
    return plan, result


def plan_exit_code(plan: Plan, detailed: bool) -> int:
    if any(change.kind in ERROR_KINDS for change in plan.changes):
        return 1
    if detailed and plan.has_changes():
        return 2
    return 0
