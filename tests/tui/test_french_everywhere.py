"""With the French desk, no English word anywhere a collector looks (issue 18).

The walk goes through every screen, the command palette, the keys panel, each outcome of
the end-of-call form with its problems, the notices; each frame is read as painted (the
SVG export) and checked against a list of English words that are not also French.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from textual.command import CommandList, CommandPalette
from textual.screen import ModalScreen
from textual.widgets import Select

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from callcoach.tui.app import CallCoachApp, crash_screen
from tests.english import english_words, svg_text
from tests.factories import import_file, write_export
from tests.waiting import until

HEADER = (
    "N° facture;Client;Type client;Date;Échéance;Délai de paiement;Montant TTC;Réglé;Statut;Bon de commande;"
    "Prestation;Contact;Fonction;Décideur;Téléphone;E-mail;Adresse"
)
LINES = [
    "B-1;Boulangerie Martin;petite entreprise;01/02/2026;01/03/2026;30 jours;1 200,00;200,00;partiellement réglée;"
    ";Refonte du site vitrine;Jeanne Martin;Gérante;oui;04 72 00 00 01;jeanne@boulangerie.example;"
    "3 rue Neuve, 69002 Lyon",
    "B-2;Boulangerie Martin;petite entreprise;01/04/2026;01/05/2026;30 jours;300,00;;ouverte;"
    ";Maintenance du site web (mensuelle);Jeanne Martin;Gérante;oui;04 72 00 00 01;jeanne@boulangerie.example;"
    "3 rue Neuve, 69002 Lyon",
    "M-1;Mairie de Vienne;organisme public;01/01/2026;01/02/2026;30 jours;4 500,00;;ouverte;"
    ";Impression de brochures;Luc Bernard;Comptable;inconnu;04 74 00 00 02;;Place de l'Hôtel de Ville, 38200 Vienne",
    "G-1;Garage Dupuis;grand compte;01/01/2026;31/03/2026;60 jours;9 800,00;;ouverte;"
    ";Signalétique;;;;;compta@garage-dupuis.example;",
]
SIZE = (120, 40)
# Inside the half-years the bundled late-payment rates cover, so the late costs are worked out.
NOW = datetime(2026, 6, 22, 9, 0, tzinfo=UTC)


def _ledger(tmp_path: Path, engine: Engine, *, with_settings: bool) -> Desk:
    clock = Clock.fixed(NOW)
    import_file(engine, write_export(tmp_path / "grand-livre.csv", [HEADER, *LINES]), clock)
    if with_settings:
        with session_scope(engine) as session:
            for name, value in (
                ("collector_name", "Camille Martin"),
                ("company", "Atelier Lumen"),
                ("email", "camille@lumen.example"),
                ("phone", "01 99 00 12 34"),
                ("iban", "FR7630006000011234567890189"),
            ):
                set_setting(session, name, value)
    return Desk(engine, clock=clock, lang="fr")


def no_match_shown(app: CallCoachApp) -> bool:
    return any(option.id == CommandPalette._NO_MATCHES for option in app.screen.query_one(CommandList).options)


class Walk:
    """Every frame seen, with the English words each one shows."""

    def __init__(self, app: CallCoachApp, pilot) -> None:  # type: ignore[no-untyped-def]
        self.app, self.pilot = app, pilot
        self.leaks: dict[str, list[str]] = {}
        self.frames = 0

    async def look(self, where: str, *keys: str) -> str:
        if keys:
            await self.pilot.press(*keys)
        await self.app.workers.wait_for_complete()
        if isinstance(self.app.screen, ModalScreen):
            # Only the dialog is read: the desk beneath, cut by its edges, is read on its own frames.
            self.app.screen.styles.background = "black"
        await self.pilot.pause()
        text = svg_text(self.app.export_screenshot())
        self.frames += 1
        found = english_words(text)
        if found:
            lines = [line.strip() for line in text.splitlines() if english_words(line)]
            self.leaks[f"{where} ({type(self.app.screen).__name__})"] = found + lines[:4]
        return text


async def test_the_french_desk_shows_no_english(tmp_path: Path, engine: Engine) -> None:
    desk = _ledger(tmp_path, engine, with_settings=True)
    app = CallCoachApp(desk, recover=False)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await walk.look("desk")
        await walk.look("keys panel on the list", "f1")
        await walk.look("palette", "ctrl+p")
        await walk.look("palette, no match", *"zzzz")
        # The palette says "no match" after its own half-second countdown.
        await until(lambda: no_match_shown(app), what='"no match" in the palette')
        await walk.look("palette, no match shown")
        await walk.look("desk again", "escape")
        await walk.look("in a call", "f2", *"Rappel demande")
        await walk.look("keys panel on the notes")
        await walk.look("excuse picker", "f4")
        await walk.look("excuse answer", "enter")
        for stage in ("listen", "negotiate", "close"):
            await walk.look(f"script {stage}", "f6")
        await walk.look("contact form", "f10")
        await walk.look("contact form, problems", "ctrl+s")
        await walk.look("contact form closed", "escape")
        await walk.look("plan calculator", "f8")
        await walk.look("plan closed", "escape")
        await walk.look("payment form", "f9")
        await walk.look("payment form closed", "escape")
        await walk.look("end-of-call form", "f1", "f3")
        form = app.screen
        for outcome in Outcome:
            form.query_one("#outcome", Select).value = str(outcome)
            await walk.look(f"outcome {outcome}")
            if outcome not in (Outcome.PROMISE, Outcome.WRONG_PERSON):  # the others miss a field: their problems
                await walk.look(f"outcome {outcome}, problems", "ctrl+s")
        form.query_one("#outcome", Select).value = "promise"
        await pilot.pause()
        await walk.look("recap to review", "ctrl+s")
        await walk.look("desk after the call", "escape")
        await walk.look("double call question", "f2")
        await walk.look("history", "n", "f7")
        await walk.look("history closed", "escape")
        await walk.look("overview", "ctrl+o")
        await walk.look("overview closed", "escape")
        L = desk.presenter.labels
        app.push_screen(crash_screen(L, L.get("crash_body", where=L["crash_no_call"], log="crash-20260622.log")))
        await walk.look("crash screen")
    assert walk.frames > 30
    assert walk.leaks == {}


async def test_the_first_start_in_french_shows_no_english(tmp_path: Path, engine: Engine) -> None:
    app = CallCoachApp(_ledger(tmp_path, engine, with_settings=False), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await walk.look("setup screen")
        await walk.look("setup screen, bad values", *"x", "tab", *"pas-un-iban", "ctrl+s")
        await walk.look("setup skipped", "escape")
    assert walk.leaks == {}


def test_the_word_check_finds_english_and_lets_french_through() -> None:
    assert english_words("Cursor up · Copy selected text · Search for commands…") == [
        "cursor",
        "up",
        "copy",
        "selected",
        "text",
        "search",
        "for",
        "commands",
    ]
    assert english_words("Il reste 29 585,90 € à régler sur cinq factures ; date, contact, plan, total, note") == []
    assert english_words("Configurez-les avec `callcoach settings` ou « callcoach send » ; /home/the/outbox") == []
