"""The people of a team sharing one ledger, and which debtors are whose.

A ledger kept by one person has no collector at all and everything works as it always did.
Once collectors exist (``callcoach collector add``), each window says who is at it
(``--as NAME``, ``CALLCOACH_COLLECTOR`` or ``collector`` in the config file); calls,
promises and e-mails carry that collector, and the call list shows their own debtors and
the shared pool unless everyone's are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from callcoach.config import LANGUAGES
from callcoach.db.tables import Collector, Debtor
from callcoach.domain.text import name_key
from callcoach.services.errors import UserError
from callcoach.services.records import SettingsRecord


@dataclass(frozen=True)
class CollectorRecord:
    id: int
    name: str
    initials: str
    language: str


def _record(row: Collector) -> CollectorRecord:
    assert row.id is not None
    return CollectorRecord(row.id, row.name, row.initials, row.language)


def initials_of(name: str) -> str:
    """ "Camille Martin" -> "CM": what the list shows beside an assigned debtor."""
    return "".join(part[0] for part in name.replace("-", " ").split() if part[:1].isalpha()).upper()[:3]


def add_collector(session: Session, *, name: str, initials: str = "", language: str = "") -> CollectorRecord:
    name = " ".join(name.split())
    if not name:
        raise UserError("collector: a name is needed", code="collector_needs_name")
    if language and language not in LANGUAGES:  # empty: follow the desk's language
        raise UserError(
            "collector language: {language!r} is not fr or en", code="collector_language_unknown", language=language
        )
    if find_collector(session, name, required=False) is not None:
        raise UserError("collector: {name} already exists", code="collector_already_exists", name=name)
    row = Collector(name=name, initials=(initials or initials_of(name)).upper()[:3], language=language)
    session.add(row)
    session.flush()
    return _record(row)


def collectors(session: Session) -> list[CollectorRecord]:
    return [_record(row) for row in session.exec(select(Collector).order_by(col(Collector.name))).all()]


def team_mode(session: Session) -> bool:
    """True once the ledger has collectors: then every window must say who is at it."""
    return bool(session.exec(select(func.count()).select_from(Collector)).one())


def find_collector(session: Session, who: str, *, required: bool = True) -> CollectorRecord | None:
    """A collector by name, initials or unique part of the name (case and accents ignored)."""
    wanted = name_key(who)
    every = collectors(session)
    exact = [c for c in every if name_key(c.name) == wanted or c.initials.lower() == who.strip().lower()]
    found = exact or [c for c in every if wanted and wanted in name_key(c.name)]
    if len(found) == 1:
        return found[0]
    if not required:
        return None
    if not found:
        names = ", ".join(c.name for c in every) or "none yet (callcoach collector add NAME)"
        raise UserError(
            "collector {who!r}: not found; the team is {names}", code="collector_not_found", who=who, names=names
        )
    raise UserError(
        "collector {who!r}: several match ({names}); give more of the name",
        code="collector_ambiguous",
        who=who,
        names=", ".join(c.name for c in found),
    )


def who_is_at_it(session: Session, chosen: str | None) -> CollectorRecord | None:
    """The collector at this window: None for a one-person ledger; in a team, the one named,
    or a clear refusal when nobody is."""
    if not team_mode(session):
        if chosen:
            raise UserError(
                "collector {chosen!r}: this ledger has no collectors (callcoach collector add NAME)",
                code="collector_without_team",
                chosen=chosen,
            )
        return None
    if not chosen:
        raise UserError(
            "this ledger is shared by a team: say who you are with --as NAME or CALLCOACH_COLLECTOR ({names})",
            code="team_needs_collector",
            names=", ".join(c.name for c in collectors(session)),
        )
    return find_collector(session, chosen)


def assign(session: Session, *, debtor_id: int, collector_id: int | None) -> None:
    """Give a debtor to one collector, or back to the shared pool (None)."""
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
    debtor.collector_id = collector_id
    session.add(debtor)


@dataclass(frozen=True)
class Signer:
    """Who an e-mail comes from: the collector who made the call or sends the letters, or,
    on a one-person ledger, the settings' collector name and language."""

    name: str
    language: str  # "" when neither the collector nor the ledger says

    def language_for(self, debtor_language: str | None) -> str:
        """The one rule for the language of a letter: the client's own when the file states it
        (they must read it), else the writer's, else French (the users the app is made for)."""
        if debtor_language in LANGUAGES:
            return str(debtor_language)
        return self.language if self.language in LANGUAGES else "fr"


def signer(session: Session, settings: SettingsRecord, collector_id: int | None) -> Signer:
    """The collector ``collector_id`` signs in their language (the ledger's when they chose
    none); without a collector, the settings' name and language."""
    row = session.get(Collector, collector_id) if collector_id is not None else None
    if row is None:
        return Signer(settings.collector_name, settings.language)
    return Signer(row.name, row.language or settings.language)
