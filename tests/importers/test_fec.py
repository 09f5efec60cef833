"""FEC samples: open balances per customer, and what is skipped with its reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from callcoach.importers.fec import read_fec

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "fec"


def fec(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def test_pipe_separated_zero_padded_export() -> None:
    ledger = read_fec(fec("111111111FEC20221231.TXT"))
    balances = {c.account: (c.name, c.balance_cents, len(c.invoices)) for c in ledger.customers}
    assert len(balances) == 18
    assert balances["41101050"] == ("COLRUYT RETAIL FRA", 643994, 1)
    assert balances["41102430"] == ("JARDIN DES PAPES", 248913, 4)
    assert balances["41104752"] == ("U EXPRESS MONTEUX", 25990, 2)
    assert sum(b for _, b, _ in balances.values()) == 1_447_255  # awk over the raw file: 14 472,55
    colruyt = next(c for c in ledger.customers if c.account == "41101050").invoices[0]
    assert (colruyt.piece, colruyt.issue_date, colruyt.due_date, colruyt.remaining_cents) == (
        "VE 0523",
        date(2023, 5, 9),
        date(2023, 6, 8),
        643994,
    )
    assert ledger.skipped == ["SAS CHAMP DES GARR (41104251): in credit (-56.03): nothing to call about"]


def test_opening_balances_never_lettered_are_reported_not_invented() -> None:
    ledger = read_fec(fec("0000000001FEC20220831.txt"))
    assert ledger.customers == []
    disagreeing = [s for s in ledger.skipped if "lettering and balance disagree" in s]
    assert len(disagreeing) == 5
    assert (
        "LAURENT PRIMEURS (CLAURE): lettering and balance disagree (open entries 6135.88, balance 6661.27, "
        "lettered groups off by 525.39): not imported, check the lettering"
    ) in disagreeing
    assert "JULES NOURRIT (CNOURR): in credit (-79.13): nothing to call about" in ledger.skipped


def test_till_receipts_produce_no_calls() -> None:
    ledger = read_fec(fec("000000000FEC20231231.txt"))
    assert ledger.customers == []
    assert sorted(ledger.skipped) == sorted(
        [
            "RECETTE CB (CCB): till receipts, not invoices: no calls",
            "RECETTE ESPECES (CESP): till receipts, not invoices: no calls",
            "RECETTES VIREMENT (CVIR): till receipts, not invoices: no calls",
            "RECETTE CHQ (CCHQ): till receipts, not invoices: no calls",
        ]
    )
