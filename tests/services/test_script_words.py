"""The script says what is owed as a person would say it aloud (issue 18)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.presenting import Presenter
from callcoach.services.debtors import debtor_file, find_debtor
from callcoach.services.script import script_facts
from callcoach.services.settings import get_settings
from tests.factories import FR_HEADER, fr_line, import_file, write_export


def _facts(tmp_path: Path, engine: Engine, lang: str, lines: list[str]) -> dict[str, str]:
    clock = Clock.fixed(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    import_file(engine, write_export(tmp_path / "l.csv", [FR_HEADER, *lines]), clock)
    with session_scope(engine) as session:
        file = debtor_file(session, find_debtor(session, "Chevalier").id)  # type: ignore[arg-type]
        return script_facts(file, get_settings(session), Presenter(lang, clock))


def test_five_invoices_are_said_as_five_with_the_oldest_date_in_words(tmp_path: Path, engine: Engine) -> None:
    lines = [
        fr_line(f"F-{n}", "Chevalier SAS", date(2026, 4, n), date(2026, 5, 20 + n), "1 000,00") for n in range(1, 6)
    ]
    fr = _facts(tmp_path, engine, "fr", lines)
    assert fr["debt"] == (
        "Il reste 5\u202f000,00\u00a0€ à régler sur cinq factures ; la plus ancienne est échue depuis le 21 mai."
    )
    assert fr["lever_day"] == "vendredi 4 décembre"


def test_one_invoice_is_named_and_the_product_follows_a_noun(tmp_path: Path, engine: Engine) -> None:
    product = "Impression de 500 brochures (recto verso)"
    line = fr_line("F-9", "Chevalier SAS", date(2026, 10, 1), date(2026, 11, 1), "250,00", product=product)
    fr = _facts(tmp_path, engine, "fr", [line])
    assert fr["debt"] == "Il reste 250,00 € à régler sur la facture F-9, échue depuis le 1er novembre."
    assert fr["product"] == "d'impression de 500 brochures"  # « notre prestation d'impression de 500 brochures »
    en = _facts(tmp_path, engine, "en", [])
    assert en["debt"] == "There is €250.00 left to pay on invoice F-9, overdue since 1 November."


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_capture_line_fits_the_notes_pane_at_80_columns(lang: str) -> None:
    """A capture line that wraps sends End to the end of the screen line, and the answer lands
    in the wrong place: each line (indent, label, a space) fits the 36 columns of the pane."""
    from callcoach.services.script import Script

    for excuse in Script(lang).excuses:
        for label in excuse.capture:
            assert len(f"  {label} ") <= 30, (excuse.key, label)
            assert "…" not in label and "..." not in label, (excuse.key, label)  # one answer per line
