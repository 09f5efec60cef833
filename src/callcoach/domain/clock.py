"""Time as an input. Every rule that depends on "today" receives a Clock, so tests and
``--as-of`` fix the day instead of reading the real one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo


def _local_tz() -> tzinfo:
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz


@dataclass(frozen=True)
class Clock:
    """``now`` returns an aware datetime; ``tz`` is the collector's wall-clock zone.

    ``what_if``: a look at another day than the present (``--as-of`` a date that is not
    today). Such a clock answers every question as of its day, but nothing derived from
    that day is recorded: a promise it finds broken is broken only in the answer, since the
    real day has not come. Who knows the present (the CLI, at its edge) sets it; rules never
    read the real clock to guess it."""

    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    tz: tzinfo = field(default_factory=_local_tz)
    what_if: bool = False

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.tz)

    @classmethod
    def fixed(cls, moment: datetime, tz: tzinfo | None = None, *, what_if: bool = False) -> Clock:
        zone = tz or moment.tzinfo or _local_tz()
        aware = moment if moment.tzinfo else moment.replace(tzinfo=zone)
        return cls(now=lambda: aware, tz=zone, what_if=what_if)

    @classmethod
    def on(cls, day: date, tz: tzinfo | None = None, *, what_if: bool = False) -> Clock:
        """A clock stopped at noon on ``day``: what ``--as-of DAY`` means."""
        zone = tz or _local_tz()
        return cls.fixed(datetime.combine(day, time(12, 0), tzinfo=zone), zone, what_if=what_if)
