"""The call in progress, as one object the desk screen drives.

Starting, resuming, autosaving, rescuing and ending a call are use cases, not screen code:
the screen passes what is typed (the notes, the form's draft) and shows what comes back.
The draft of the outcome form is the form's business; the session only needs to store it
and read a lenient entry from it (for the spoken recap and the transfer QR code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from callcoach.domain.outcomes import BRANCHES, OutcomeEntry
from callcoach.services.drafts import save_draft_file
from callcoach.services.records import CallRecord

if TYPE_CHECKING:
    from callcoach.services.calls import EndedCall
    from callcoach.services.desk import DebtorView, Desk


class OutcomeDraftLike(Protocol):
    """What the session needs of the outcome form's draft."""

    touched: bool

    def to_json(self) -> str: ...

    def lenient_entry(self, today: date) -> OutcomeEntry: ...


AUTOSAVE_WITHIN = 0.5  # seconds from a key to the ledger, typing nonstop or not
HEARTBEAT_EVERY = 5  # seconds between two signs of life on the call a window holds


@dataclass
class CallSession:
    """One open call: its record, the script stage reached, the excuses heard, the form's draft."""

    desk: Desk
    call: CallRecord
    draft: OutcomeDraftLike
    stage: int = 0
    excuses: list[str] = field(default_factory=list)

    @property
    def debtor_id(self) -> int:
        return self.call.debtor_id

    @property
    def stage_key(self) -> str:
        return self.desk.script.stages[self.stage]

    @classmethod
    def start(cls, desk: Desk, view: DebtorView, draft: OutcomeDraftLike) -> CallSession:
        """Dial the debtor shown: the call row is written now, so a crash loses nothing."""
        file = view.file
        contact = file.whom_to_ask()
        call = desk.start_call(file.debtor.id or 0, contact.id if contact else None)
        return cls(desk=desk, call=call, draft=draft)

    @classmethod
    def resume(cls, desk: Desk, call: CallRecord, draft: OutcomeDraftLike) -> CallSession:
        """The call left open by a crash or a closed terminal, where it stood."""
        stages = desk.script.stages
        stage = stages.index(call.stage_reached) if call.stage_reached in stages else 0
        return cls(desk=desk, call=call, draft=draft, stage=stage, excuses=list(call.excuses))

    def move(self, step: int) -> None:
        self.stage = max(0, min(len(self.desk.script.stages) - 1, self.stage + step))

    def heard(self, excuse: str) -> None:
        """An excuse heard: past the introduction at least. Someone else answering, or the
        voicemail, is not the client speaking: the call stays at the introduction."""
        self.excuses.append(excuse)
        if excuse not in BRANCHES:
            self.stage = max(self.stage, 1)

    # ---------------------------------------------------------------- saving
    def draft_values(self, notes: str) -> dict[str, object]:
        return {
            "call_id": self.call.id,
            "notes": notes,
            "stage": self.stage_key,
            "excuses": list(self.excuses),
            "outcome_draft": self.draft.to_json(),
        }

    def autosave(self, notes: str) -> None:
        """Write what is typed to the call row; raises when the database refuses, CallTaken when
        another window took the call, DebtorErased when its debtor's data was erased.

        The screen calls it by time, not by pause: at most AUTOSAVE_WITHIN seconds after the
        first unsaved key, whatever is typed after it, so nonstop typing is saved too."""
        self._save(self.draft_values(notes))

    def rescue(self, notes: str) -> tuple[bool, str]:
        """Put the notes somewhere safe and say where, and let the call go for the next start
        to resume; never raises for a database failure.

        ``(True, "")`` when the database took them, ``(False, path)`` for the file written
        instead in the state folder, readable by the user only; ``(False, "")`` when there is
        nothing this window may keep (another window holds the call, its debtor was erased)."""
        from callcoach.services.calls import CallTaken, DebtorErased

        try:
            self.autosave(notes)
        except (CallTaken, DebtorErased):
            return False, ""
        except Exception:
            return False, self.to_file(notes)
        self.release()
        return True, ""

    # ------------------------------------------------------------- the lease
    def take(self, *, confirmed: bool) -> None:
        """This window holds the call (CallTaken while another live window does, unless confirmed)."""
        self.desk.take_over(self.call.id, confirmed=confirmed)

    def heartbeat(self) -> None:
        """A sign of life on the call; CallTaken or DebtorErased when this window lost it."""
        self.desk.heartbeat(self.call.id)

    def release(self) -> None:
        """The window closes: the call stays open, held by nobody, for the next start."""
        import contextlib

        from callcoach.services.errors import UserError

        with contextlib.suppress(UserError):
            self.desk.release(self.call.id)

    def to_file(self, notes: str) -> str:
        """The last resort: a file in the state folder, readable by the user only (OSError if not)."""
        return str(save_draft_file(self.draft_values(notes)))

    def _save(self, values: dict[str, object]) -> None:
        self.desk.save_draft(
            int(str(values["call_id"])),
            notes=str(values["notes"]),
            stage=str(values["stage"]),
            excuses=list(self.excuses),
            outcome_draft=str(values["outcome_draft"]),
        )

    def end(self, entry: OutcomeEntry, notes: str, *, recap: bool = True) -> EndedCall:
        """Save the outcome (UserError, nothing written, when incomplete); without ``recap``,
        the recap e-mail is left to ``Desk.draft_recap`` and ``Desk.save_recap``."""
        return self.desk.end_call(
            self.call.id, entry, notes=notes, stage=self.stage_key, excuses=list(self.excuses), recap=recap
        )

    # ------------------------------------------------------ what to show
    def recap(self, view: DebtorView) -> str:
        """The spoken recap of what is being agreed, once the form has been touched."""
        p = self.desk.presenter
        entry = self.draft.lenient_entry(p.clock.today())
        number = next((i.number for i in view.file.invoices if i.id == entry.invoice_id), "")
        contact = view.facts.get("contact", "")
        return self.desk.script.recap(entry if self.draft.touched else None, p, number, contact)

    def transfer_qr(self, view: DebtorView) -> tuple[list[str] | None, str]:
        """The EPC QR code for the first payment being agreed, with the reference the recap
        e-mail gives (``recap.transfer_request``), and its caption."""
        from callcoach.domain.epc import EpcError, epc_payload, qr_text_lines
        from callcoach.services.recap import transfer_request

        p = self.desk.presenter
        today = p.clock.today()
        request = transfer_request(view.file, self.draft.lenient_entry(today), self.desk.settings(), today)
        if request is None:
            return None, ""
        try:
            payload = epc_payload(request)
        except EpcError as exc:
            return None, str(exc)
        caption = p.labels.get("qr_caption", amount=p.money(request.amount_cents), reference=request.reference)
        return qr_text_lines(payload), caption
