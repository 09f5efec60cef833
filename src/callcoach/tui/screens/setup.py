"""The collector's own details, asked on the first start and editable later (Ctrl+P).

The script introduces the collector by name and company (domain 4.1) and the recap e-mail
carries the bank details (domain 5.3): without them every call starts with a gap. The
screen can be skipped; it comes back on the next start while name or company is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from callcoach.domain.iban import iban_is_valid, normalise_iban
from callcoach.domain.latecosts import INDEMNITY_CURRENCY
from callcoach.services.desk import Desk
from callcoach.services.errors import UserError
from callcoach.services.latecosts import indemnity_of
from callcoach.services.settings import LATE_RULES
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.footer import KeyFooter

LANGUAGES = {"fr": "Français", "en": "English"}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class SetupResult:
    """What the screen changed: the desk redraws, and rebuilds itself if the language moved."""

    language: str


class SetupScreen(ModalScreen[SetupResult | None]):
    CSS_PATH = Path(__file__).with_name("setup.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Later", id="setup.skip"),
        Binding("ctrl+s", "save", "Save", id="setup.save", priority=True),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.L = desk.presenter.labels
        localise(self, self.L)

    def compose(self) -> ComposeResult:
        L, settings = self.L, self.desk.settings()
        with Vertical(classes="dialog") as box:
            box.border_title = Content(L["setup_title"])
            with VerticalScroll(id="setup-fields"):
                yield Static(Content(L["setup_intro"]), classes="intro")
                yield self._row("collector_name", Input(settings.collector_name, id="collector_name", compact=True))
                yield self._row("company", Input(settings.company, id="company", compact=True))
                yield self._row("email", Input(settings.email, id="email", compact=True))
                yield self._row("iban", Input(settings.iban, id="iban", compact=True))
                yield Static("", id="iban-check", classes="check")
                languages = [(name, code) for code, name in LANGUAGES.items()]
                yield self._row(
                    "language",
                    Select(languages, value=settings.language or self.desk.lang, id="language", compact=True),
                )
                euros = self.desk.presenter.money  # the indemnity is in euros, in the money format of every amount
                rules = [
                    (L.get(f"setup_late_{rule}", indemnity=euros(indemnity_of(rule), INDEMNITY_CURRENCY)), rule)
                    for rule in LATE_RULES
                ]
                yield self._row("late_rule", Select(rules, value=settings.late_rule, id="late_rule", compact=True))
            yield Static("", id="setup-errors", classes="errors")
            with Horizontal(classes="buttons"):
                yield Button(L["setup_save"], id="save", variant="primary", compact=True)
                yield Button(L["setup_skip"], id="skip", compact=True)
        yield KeyFooter()

    def _row(self, name: str, widget: Input | Select[str]) -> Horizontal:
        return Horizontal(Label(self.L[f"setup_{name}"], classes="field-label"), widget, classes="field")

    def on_mount(self) -> None:
        self.query_one("#setup-errors", Static).display = False
        self._check_iban()
        empty = next((i for i in self.query(Input) if not i.value.strip()), None)
        (empty or self.query_one("#collector_name", Input)).focus()

    @on(Input.Changed, "#iban")
    def _check_iban(self) -> None:
        """Checked as it is typed: a wrong digit found now is a payment not lost later."""
        value = self.query_one("#iban", Input).value
        check = self.query_one("#iban-check", Static)
        check.set_class(not value.strip(), "-empty")
        if not value.strip():
            check.update("")
        elif iban_is_valid(value):
            check.update(Content.styled(self.L.get("setup_iban_ok", iban=_grouped(value)), "$success"))
        else:
            check.update(Content.styled(self.L["setup_iban_bad"], "$error"))

    def _values(self) -> tuple[dict[str, str], list[str]]:
        typed = ("collector_name", "company", "email", "iban")
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in typed}
        for name in ("language", "late_rule"):
            chosen = self.query_one(f"#{name}", Select).value
            if chosen is not Select.NULL:
                values[name] = str(chosen)
        errors = []
        if values["email"] and not EMAIL.fullmatch(values["email"]):
            errors.append(self.L.get("setup_email_bad", value=values["email"]))
        if values["iban"] and not iban_is_valid(values["iban"]):
            errors.append(self.L.get("setup_iban_bad_value", value=values["iban"]))
        return values, errors

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values, errors = self._values()
        if not errors:
            try:
                self.desk.save_settings(values)
            except UserError as exc:
                errors.append(in_language(exc, self.L))
        if errors:
            shown = self.query_one("#setup-errors", Static)
            shown.display = True
            shown.update(Content.styled("\n".join(errors), "$error"))
            return
        self.dismiss(SetupResult(language=values.get("language", self.desk.lang)))

    @on(Button.Pressed, "#skip")
    def _skip(self) -> None:
        self.dismiss(None)


def _grouped(iban: str) -> str:
    """FR76 3000 6000 …: read back in groups of four, as printed on a bank statement."""
    plain = normalise_iban(iban)
    return "\u00a0".join(plain[i : i + 4] for i in range(0, len(plain), 4))
