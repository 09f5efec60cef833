"""The call desk's use cases, each in its own short transaction.

The TUI holds one Desk and never a session: every read and write goes through here, so
the same rules serve the CLI, the app and the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from callcoach.domain.clock import Clock
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.presenting import Presenter
from callcoach.services import (
    balances,
    calllist,
    calls,
    checklist,
    collectors,
    contacts,
    debtors,
    followthrough,
    recap,
    script,
)
from callcoach.services import timeline as timeline_service
from callcoach.services.converters import call_record
from callcoach.services.errors import UserError
from callcoach.services.payments import PaymentReceipt, record_debtor_payment, record_payment
from callcoach.services.records import CallRecord, SettingsRecord
from callcoach.services.settings import get_settings
from callcoach.services.units import unit_of_work

if TYPE_CHECKING:
    from sqlmodel import Session

    from callcoach.db.changes import LedgerWatch
    from callcoach.services import emails
    from callcoach.services import overview as overview_service


@dataclass(frozen=True)
class DebtorView:
    """Everything the checklist and script panes show for one debtor."""

    file: debtors.DebtorFile
    checklist: list[checklist.ChecklistItem]
    facts: dict[str, str]


@dataclass(frozen=True)
class HeldCall:
    """A call another window holds: shown read-only, taken over only on confirmation."""

    call_id: int
    since: datetime
    notes: str
    by: str | None = None  # the colleague in that call, in a team


class Desk:
    def __init__(
        self, engine: Engine, *, clock: Clock, lang: str, collector_id: int | None = None, everyone: bool = False
    ) -> None:
        """``collector_id``: the team member at this window (None for a one-person ledger);
        their list holds their debtors and the pool, or everyone's with ``everyone``."""
        self.engine = engine
        self.collector_id = collector_id
        self.everyone = everyone
        self.clock = clock
        self.lang = lang
        self.presenter = Presenter(lang, clock)
        self.script = script.Script(lang)
        self._settings: SettingsRecord | None = None
        from callcoach.db.engine import is_read_only
        from callcoach.locations import data_dir

        self.read_only = is_read_only(engine)
        self.owner = calls.Owner.here(collector_id)  # this window's lease on the call it holds
        self._watch: LedgerWatch | None = None

        self.outbox = data_dir() / "outbox"

    def settings(self) -> SettingsRecord:
        """The collector's settings, read once (a plain read: a busy ledger does not stop the desk)."""
        if self._settings is None:
            with unit_of_work(self.engine, write=False) as session:
                self._settings = get_settings(session)
        return self._settings

    def needs_setup(self) -> bool:
        from callcoach.services.settings import needs_setup

        return needs_setup(self.settings())

    def save_settings(self, values: dict[str, str]) -> None:
        """The setup screen's values, in one transaction; the cached copy is read again."""
        from callcoach.services.settings import set_settings

        with unit_of_work(self.engine) as session:
            set_settings(session, values)
        self._settings = None

    def in_language(self, lang: str) -> Desk:
        """The same ledger and clock, in another language (chosen on the setup screen)."""
        return Desk(self.engine, clock=self.clock, lang=lang, collector_id=self.collector_id, everyone=self.everyone)

    def ledger_changed(self) -> bool:
        """Someone else (a colleague's desk, another window, a command) changed the ledger
        since last asked: the list and the day's figures are worth reading again."""
        if self._watch is None:
            from callcoach.db.changes import LedgerWatch

            self._watch = LedgerWatch(self.engine)
        return self._watch.changed()

    def ledger_seen(self) -> None:
        """Called just before the desk reads everything again itself (after its own write): what
        it reads includes every change so far, so only later ones, a colleague's, are reported."""
        if self._watch is not None:
            self._watch.seen()

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()

    @property
    def mine(self) -> int | None:
        """Whose list this is: a team member's own debtors and the pool, unless everyone's."""
        return None if self.everyone else self.collector_id

    def call_list(
        self,
        name_filter: str | None = None,
        *,
        settle: bool = True,
        limit: int | None = None,
        offset: int = 0,
        window: calllist.DueWindow | None = None,
    ) -> list[calllist.CallListRow]:
        """``settle=False`` for a plain re-read (each filter keystroke): no write, no lock.
        ``limit``/``offset`` page through it; ``window`` keeps one aging bucket's debtors."""
        grace = self.settings().promise_grace_days
        if settle and not self.read_only and not self.clock.what_if:
            from callcoach.services.errors import StoreError

            try:
                with unit_of_work(self.engine) as session:
                    followthrough.settle_promises(session, clock=self.clock)
                    balances.refresh_stale(session, self.clock.today())
            except StoreError:
                pass  # busy or full: the list is shown as last settled, the next refresh settles
        with self._reading() as session:
            return calllist.call_list(
                session,
                clock=self.clock,
                name_filter=name_filter,
                limit=limit,
                offset=offset,
                grace=grace,
                window=window,
                mine=self.mine,
            )

    @contextmanager
    def _reading(self, debtor_id: int | None = None) -> Iterator[Session]:
        """A read. On a look at another day (``clock.what_if``) the promises are first settled
        as of that day inside the read, which is then rolled back: the desk shows that day's
        answer and the ledger keeps today's."""
        if not self.clock.what_if or self.read_only:
            with unit_of_work(self.engine, write=False) as session:
                yield session
            return
        with unit_of_work(self.engine) as session:
            followthrough.settle_promises(session, clock=self.clock, debtor_id=debtor_id)
            yield session

    def call_list_length(self, name_filter: str | None = None, window: calllist.DueWindow | None = None) -> int:
        grace = self.settings().promise_grace_days
        with self._reading() as session:
            return calllist.call_list_length(
                session, clock=self.clock, name_filter=name_filter, grace=grace, window=window, mine=self.mine
            )

    def overview(self) -> overview_service.Overview:
        """Aging, DSO, forecast and call results, in one read."""
        from callcoach.services import overview as figures

        with self._reading() as session:
            return figures.overview(session, clock=self.clock)

    def day_figures(self) -> calllist.DayFigures:
        with self._reading() as session:
            return calllist.day_figures(session, clock=self.clock, mine=self.mine)

    def debtor_view(self, debtor_id: int) -> DebtorView:
        settings = self.settings()
        with self._reading(debtor_id) as session:
            file = debtors.debtor_file(session, debtor_id)
            me = collectors.signer(session, settings, self.collector_id).name  # who introduces themself
        return DebtorView(
            file=file,
            checklist=checklist.build_checklist(file, settings, self.presenter),
            facts=script.script_facts(file, settings, self.presenter, me=me),
        )

    def open_call(self) -> CallRecord | None:
        """The call to resume in this window, with the notes of the fallback file when they are
        newer than the ledger's (saved there while the ledger was busy or the disk full)."""
        from callcoach.services.drafts import read_draft_file, remove_draft_file

        with unit_of_work(self.engine, write=False) as session:
            call = calls.open_call(session, owner=self.owner, now=self.clock.now())
        if call is None or call.id is None:
            return None
        found = read_draft_file(call.id)
        if found is not None:
            saved = call.draft_saved_at
            if saved is not None and saved.tzinfo is None:
                saved = saved.replace(tzinfo=found.saved_at.tzinfo)
            if saved is None or found.saved_at > saved:
                call.notes, call.stage_reached = found.notes, found.stage
                call.excuses, call.outcome_draft = ",".join(found.excuses), found.outcome_draft
                if self.read_only:
                    return call_record(call)
                try:
                    self.take_over(call.id, confirmed=False)
                    self.save_draft(
                        call.id,
                        notes=found.notes,
                        stage=found.stage,
                        excuses=found.excuses,
                        outcome_draft=found.outcome_draft,
                    )
                except calls.CallTaken:
                    return None
                except UserError:
                    return call_record(call)  # still only in the file: it stays there until the ledger takes it
            remove_draft_file(call.id)
        return call_record(call)

    def held_call(self, debtor_id: int) -> HeldCall | None:
        """The open call on this debtor held by another live window, if any."""
        with unit_of_work(self.engine, write=False) as session:
            call = calls.held_call(session, debtor_id=debtor_id)
            if call is None or call.id is None or call.lease_token == self.owner.token:
                return None
            if not calls.lease_is_live(call, self.clock.now()):
                return None
            since = call.lease_since or call.started_at
            by = calls.holder_name(session, call) if call.collector_id != self.collector_id else None
            return HeldCall(call.id, since if since.tzinfo else since.replace(tzinfo=UTC), call.notes, by)

    def start_call(self, debtor_id: int, contact_id: int | None) -> CallRecord:
        with unit_of_work(self.engine) as session:
            return call_record(
                calls.start_call(
                    session, debtor_id=debtor_id, contact_id=contact_id, clock=self.clock, owner=self.owner
                )
            )

    def take_over(self, call_id: int, *, confirmed: bool) -> CallRecord:
        with unit_of_work(self.engine) as session:
            return call_record(
                calls.take_over(session, call_id=call_id, owner=self.owner, clock=self.clock, confirmed=confirmed)
            )

    def release(self, call_id: int) -> None:
        with unit_of_work(self.engine) as session:
            calls.release(session, call_id=call_id, owner=self.owner)

    def heartbeat(self, call_id: int) -> None:
        with unit_of_work(self.engine) as session:
            calls.heartbeat(session, call_id=call_id, owner=self.owner, clock=self.clock)

    def save_draft(
        self,
        call_id: int,
        *,
        notes: str,
        stage: str | None,
        excuses: list[str],
        contact_id: int | None = None,
        outcome_draft: str = "",
    ) -> None:
        from callcoach.services.drafts import remove_draft_file

        with unit_of_work(self.engine) as session:
            calls.save_draft(
                session,
                call_id=call_id,
                notes=notes,
                stage=stage,
                excuses=excuses,
                contact_id=contact_id,
                outcome_draft=outcome_draft,
                owner=self.owner,
                clock=self.clock,
            )
        remove_draft_file(call_id)  # the ledger holds the newest notes now

    def end_call(
        self,
        call_id: int,
        entry: OutcomeEntry,
        *,
        notes: str,
        stage: str | None,
        excuses: list[str],
        recap: bool = True,
    ) -> calls.EndedCall:
        """Save the call's outcome, and with ``recap`` its recap e-mail in the same transaction.

        The desk passes ``recap=False``: once the list is redrawn it shows the recap built by
        ``draft_recap`` and writes it with ``save_recap`` in a worker (a key may not wait on a file)."""
        with unit_of_work(self.engine) as session:
            ended = calls.end_call(
                session,
                call_id=call_id,
                entry=entry,
                notes=notes,
                stage=stage,
                excuses=excuses,
                clock=self.clock,
                owner=self.owner,
            )
            return self._recap(session, ended, entry) if recap else ended

    def draft_recap(self, ended: calls.EndedCall, entry: OutcomeEntry) -> tuple[recap.RecapDraft | None, str]:
        """The recap of a call just saved, built in memory by one read: the desk shows it at
        once and saves it with ``save_recap`` after. With no draft, why none."""
        with self._reading(ended.debtor_id) as session:
            return recap.draft_call_recap(session, ended.call_id, ended.debtor_id, entry, self.clock)

    def save_recap(self, draft: recap.RecapDraft) -> Path:
        """A drafted recap written to the outbox and recorded in the history; StoreError (a
        full disk, a refused write) names the file, and then nothing of it was kept. Safe in a
        worker thread."""
        with unit_of_work(self.engine) as session:
            return Path(recap.save_recap(session, draft, self.outbox).path)

    def _recap(self, session: Session, ended: calls.EndedCall, entry: OutcomeEntry) -> calls.EndedCall:
        draft, missing = recap.draft_call_recap(session, ended.call_id, ended.debtor_id, entry, self.clock)
        if draft is None:
            return replace(ended, recap_missing=missing)
        return replace(ended, email_path=recap.save_recap(session, draft, self.outbox).path)

    # ---------------------------------------------------------------- e-mail
    def saved_email(self, path: str) -> emails.SavedEmail:
        from callcoach.services import emails

        return emails.read_saved(Path(path))

    def smtp_ready(self) -> bool:
        from callcoach.config import Settings

        return bool(Settings().smtp_host)

    def email_sent(self, path: str) -> bool:
        from callcoach.services import sending

        with unit_of_work(self.engine, write=False) as session:
            return not sending.pending_emails(session, only=Path(path))

    def send_email(self, path: str) -> int:
        """Send one reviewed e-mail now; short transactions either side of the network."""
        from callcoach.config import Settings
        from callcoach.services import sending

        with unit_of_work(self.engine, write=False) as session:
            items = sending.pending_emails(session, only=Path(path))

        def record(email_id: int) -> None:
            with unit_of_work(self.engine) as session:
                sending.mark_sent(session, email_id, self.clock)

        return len(sending.deliver(Settings(), items, record))

    def add_contact(self, debtor_id: int, new: contacts.NewContact, *, call_id: int | None = None) -> int:
        """A contact learned during a call, kept in the file; returns its id."""
        with unit_of_work(self.engine) as session:
            contact = contacts.add_contact(session, debtor_id=debtor_id, new=new, call_id=call_id)
            assert contact.id is not None
            return contact.id

    # --------------------------------------------------------- follow-through
    def recent_call(self, debtor_id: int) -> CallRecord | None:
        """The last call to this debtor if it was within the double-call window (domain 1.5)."""
        from datetime import timedelta

        with unit_of_work(self.engine, write=False) as session:
            last = followthrough.last_ended_call(session, debtor_id)
        hours = self.settings().double_call_hours
        if last is None or hours <= 0:
            return None
        return call_record(last) if self.clock.now() - last.started_at < timedelta(hours=hours) else None

    def timeline(self, debtor_id: int) -> list[timeline_service.Event]:
        with self._reading(debtor_id) as session:
            file = debtors.debtor_file(session, debtor_id)
        return timeline_service.timeline(file, self.presenter)

    def resolve_follow_up(self, follow_up_id: int, resolution: str, reason: str = "") -> None:
        with unit_of_work(self.engine) as session:
            followthrough.resolve_follow_up(
                session, follow_up_id=follow_up_id, resolution=resolution, reason=reason, clock=self.clock
            )

    def resolve_dispute(self, dispute_id: int, how: str) -> None:
        with unit_of_work(self.engine) as session:
            followthrough.resolve_dispute(session, dispute_id=dispute_id, how=how, clock=self.clock)

    def record_payment(
        self, invoice_number: str, amount_cents: int, paid_on: date, method: str | None
    ) -> PaymentReceipt:
        with unit_of_work(self.engine) as session:
            return record_payment(
                session,
                invoice_number=invoice_number,
                amount_cents=amount_cents,
                paid_on=paid_on,
                clock=self.clock,
                method=method,
            )

    def record_debtor_payment(
        self, debtor_id: int, amount_cents: int, paid_on: date, method: str | None
    ) -> list[PaymentReceipt]:
        with unit_of_work(self.engine) as session:
            return record_debtor_payment(
                session,
                debtor_id=debtor_id,
                amount_cents=amount_cents,
                paid_on=paid_on,
                clock=self.clock,
                method=method,
            )
