"""One set of row rules: the quick path either gives up or gives exactly the careful path's
row (and warnings), on any row, proven over generated rows rather than one example file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach.importers.headers import match_columns
from callcoach.importers.rows import RowReader
from callcoach.importers.values import DateReader

HEADER = [
    "N° facture", "Client", "Date", "Échéance", "Montant TTC", "Réglé", "Reste à payer", "Statut", "Devise",
    "Délai de paiement", "Contact", "E-mail", "Type client", "Langue", "Adresse", "Décideur",
]  # fmt: skip
COLUMNS = match_columns(HEADER, {}).columns


def cells(*values: str) -> st.SearchStrategy[str]:
    """Typical values, the same with stray spaces or control characters, and anything at all."""
    typical = st.sampled_from(values)
    return st.one_of(
        typical,
        typical.map(lambda v: f" {v}"),
        typical.map(lambda v: f"{v}  "),
        typical.map(lambda v: v.replace(" ", "  ")),
        typical.map(lambda v: v + "\x1b[31m"),
        typical.map(lambda v: v.replace(" ", "\u00a0")),
        st.text(max_size=8),
    )


ROW = st.tuples(
    cells("F-1", "INV 2", "", "A|B"),
    cells("Dupont SARL", "Café du Port", "", "Ann"),
    cells("01/09/2026", "2026-09-01", "13/09/2026", "09/13/2026", "31/02/2026", "Jan 28 2021", ""),
    cells("01/10/2026", "2026-08-01", "30/09/2026", ""),
    cells("1 234,56", "100,00", "-10,00", "10.0000", "10.1250", "0", "12,345", "(5,00)", ""),
    cells("0", "50,00", "200,00", ""),
    cells("", "20,00", "500,00"),
    cells("", "open", "sent", "draft", "paid", "lost", "Partially Paid"),
    cells("", "EUR", "usd", "€", "EURO"),
    cells("", "30", "45 jours", "net", "9999"),
    cells("", "Marc Dupont"),
    cells("", "a@b.example", "nope"),
    cells("", "grand compte", "martian"),
    cells("", "fr", "EN", "xx"),
    cells("", "1 rue de la Paix\nParis"),
    cells("", "oui", "peut-être"),
).map(list)


@settings(max_examples=400)
@given(record=ROW, order=st.sampled_from([None, "dmy", "mdy"]), extra=st.sampled_from([0, 1, -1]))
def test_the_quick_path_gives_the_careful_rows_or_gives_up(record: list[str], order: str | None, extra: int) -> None:
    if extra > 0:
        record = [*record, "surplus"]
    elif extra < 0:
        record = record[:-3]
    path = Path("gen.csv")
    quick_reader = RowReader(path, HEADER, COLUMNS, 30, DateReader(order))
    careful_reader = RowReader(path, HEADER, COLUMNS, 30, DateReader(order))
    errors: list = []
    careful = careful_reader.careful(2, record, errors)
    quick = quick_reader.quick(2, record)
    if quick is not None:
        assert quick == careful
        assert quick_reader.warnings == careful_reader.warnings
    if careful is None:
        assert quick is None and errors
    else:
        assert not errors


def test_the_property_sees_both_paths_taken() -> None:
    """The generated rows are not all refused: plain clean rows do take the quick path."""
    reader = RowReader(Path("gen.csv"), HEADER, COLUMNS, 30, DateReader())
    clean = [
        "F-1",
        "Dupont SARL",
        "01/09/2026",
        "01/10/2026",
        "100,00",
        "",
        "",
        "sent",
        "EUR",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    assert reader.quick(2, clean) == reader.careful(2, clean, []) is not None
