"""The money at a glance: aging, DSO, the cash-in forecast and the calls' results.

Each figure is its own module, built from aggregates in SQL (portable: no dialect's date
functions) and returned as frozen dataclasses; ``overview`` gathers the four in one read
transaction for the screen, the CLI reports ask for one each.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from callcoach.domain.clock import Clock
from callcoach.services.overview.aging import Aging, aging, bucket_filter
from callcoach.services.overview.dso import Dso, dso
from callcoach.services.overview.forecast import Forecast, forecast
from callcoach.services.overview.results import Results, results
from callcoach.services.settings import get_settings

__all__ = [
    "Aging",
    "Dso",
    "Forecast",
    "Overview",
    "Results",
    "aging",
    "bucket_filter",
    "dso",
    "forecast",
    "overview",
    "results",
]


@dataclass(frozen=True)
class Overview:
    aging: Aging
    dso: Dso
    forecast: Forecast
    results: Results


def overview(session: Session, *, clock: Clock) -> Overview:
    grace = get_settings(session).promise_grace_days
    return Overview(
        aging(session, clock=clock),
        dso(session, clock=clock),
        forecast(session, clock=clock, grace=grace),
        results(session, clock=clock, grace=grace),
    )
