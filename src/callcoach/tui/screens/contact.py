"""A contact learned during the call, kept in the file (domain 7.7): a short form on the desk.

The collector types the name, a direct line or the accountant's e-mail while the client is
still on the line; the contact is saved at once and shown in the checklist of the next call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from callcoach.domain.kinds import Authority, Civility
from callcoach.playbook import Labels
from callcoach.services.contacts import NewContact, contact_problems
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.footer import KeyFooter

INPUTS = ("name", "role", "phone", "email")


class ContactScreen(ModalScreen[str | None]):
    """Returns the saved contact's name, or None when cancelled."""

    CSS_PATH = Path(__file__).with_name("contact.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="contact.cancel"),
        Binding("ctrl+s", "save", "Save", id="contact.save", priority=True),
    ]

    def __init__(self, labels: Labels, debtor_name: str, on_save: Callable[[NewContact], str | None]) -> None:
        super().__init__()
        self.L = labels
        self.debtor_name = debtor_name
        self.on_save = on_save
        localise(self, labels)

    def compose(self) -> ComposeResult:
        L = self.L
        with Vertical(id="contact-form") as box:
            box.border_title = Content(f"{L['contact_title']} — {self.debtor_name}")
            yield Static(Content.styled(L["contact_hint"], "italic $text-muted"), id="contact-hint")
            yield self._row("name", Input(id="name", compact=True))
            civilities = [(L[f"civility_{c.value or 'none'}"], c.value) for c in Civility]
            yield self._row(
                "civility",
                Select(civilities, value=Civility.NONE.value, id="civility", allow_blank=False, compact=True),
            )
            yield self._row("role", Input(id="role", compact=True))
            yield self._row("phone", Input(id="phone", compact=True))
            yield self._row("email", Input(id="email", compact=True))
            authority = [(L[a.value], a.value) for a in Authority]
            yield self._row(
                "can_release",
                Select(authority, value=Authority.UNKNOWN.value, id="can_release", allow_blank=False, compact=True),
            )
            yield Static(id="errors", markup=False)
            with Horizontal(id="buttons"):
                yield Button(L["form_save"], id="save", variant="primary", compact=True)
                yield Button(L["form_cancel"], id="cancel", compact=True)
        yield KeyFooter()

    def _row(self, name: str, widget: Input | Select[str]) -> Horizontal:
        return Horizontal(Label(self.L[f"contact_{name}"], classes="field-label"), widget, classes="field")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def typed(self) -> NewContact:
        value = {name: self.query_one(f"#{name}", Input).value for name in INPUTS}
        civility = self.query_one("#civility", Select).value
        authority = self.query_one("#can_release", Select).value
        return NewContact(
            name=value["name"],
            civility=str(civility) if civility is not Select.NULL else "",
            role=value["role"],
            phone=value["phone"],
            email=value["email"],
            can_release_payment=str(authority) if authority is not Select.NULL else Authority.UNKNOWN.value,
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        new = self.typed()
        errors = contact_problems(new)
        if not errors:
            failure = self.on_save(new)
            if failure is None:
                self.dismiss(new.name.strip())
                return
            errors = [failure]
        shown = "\n".join(in_language(error, self.L) for error in errors)
        self.query_one("#errors", Static).update(Content.styled(shown, "$error"))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
