"""FEC samples: open balances per customer, and what is skipped with its reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from callcoach.importers.fec import read_fec
from tests.importers.samples import shared_sample


def fec(name: str) -> Path:
    return shared_sample("fec", name)


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
    assert ledger.skipped == ["SAS CHAMP DES GARR (41104251): in credit (-€56.03): nothing to call about"]


def test_partial_lettering_takes_the_open_invoices_from_the_balance_oldest_settled_first() -> None:
    ledger = read_fec(fec("0000000001FEC20220831.txt"))
    # Balances of the customer accounts (debits minus credits), added up by hand with awk.
    owed = {c.name: c.balance_cents for c in ledger.customers}
    assert owed == {
        "PROSOL GESTION": 2712329,
        "P MONTARNAL TRANSPORT PMT": 1807004,
        "LAURENT PRIMEURS": 666127,
        "SAS MOURLHON": 43888,
        "LE VERGER DE RETAYON": 30289,
    }
    for customer in ledger.customers:  # the open invoices make up the balance, never more
        assert sum(i.remaining_cents for i in customer.invoices) == customer.balance_cents
        assert all(0 < i.remaining_cents <= i.amount_cents for i in customer.invoices)
    laurent = next(c for c in ledger.customers if c.name == "LAURENT PRIMEURS")
    newest = max(i.issue_date for i in laurent.invoices)
    assert all(i.remaining_cents == i.amount_cents for i in laurent.invoices if i.issue_date == newest)
    disagreeing = [s for s in ledger.skipped if "lettering and balance disagree" in s]
    assert len(disagreeing) == 5
    assert (
        "LAURENT PRIMEURS (CLAURE): lettering and balance disagree (open entries €6,135.88, balance €6,661.27, "
        "lettered groups off by €525.39): open invoices taken from the balance, oldest settled first"
    ) in disagreeing
    assert "JULES NOURRIT (CNOURR): in credit (-€79.13): nothing to call about" in ledger.skipped


def test_the_collective_customer_account_is_reported_and_never_a_debtor() -> None:
    ledger = read_fec(shared_sample("exports", "neo_123456789FEC20500930.txt"))
    assert ledger.customers == []
    assert ledger.skipped == [
        "CLIENTS (411100000): the collective customer account, with no customer account under it "
        "(balance €128,200.50): not a debtor, nobody to call"
    ]


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


def test_a_readers_remarks_read_in_french_with_french_amounts() -> None:
    """What a reader says of a file (left aside, in credit) is worded by code in the
    collector's language, amounts in its format: no English on a French desk."""
    from callcoach.domain.money import Sum
    from callcoach.domain.worded import Remark
    from callcoach.playbook import Labels
    from callcoach.playbook.problems import say

    remark = Remark(
        "{name} ({key}): in credit ({balance}): nothing to call about",
        code="fec_in_credit",
        name="JULES NOURRIT",
        key="CNOURR",
        balance=Sum(-7913),
    )
    assert remark == "JULES NOURRIT (CNOURR): in credit (-€79.13): nothing to call about"
    assert say(remark, Labels("fr")) == "JULES NOURRIT (CNOURR) : compte créditeur (-79,13\xa0€) : rien à réclamer"
