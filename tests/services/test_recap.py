"""Recap e-mails after a call, parsed back as a mail client would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from tests.factories import write_export

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.fixture
def desk(tmp_path: Path, engine: Engine) -> Desk:
    copy = tmp_path / "F-7.pdf"
    copy.write_bytes(b"%PDF-1.4 the invoice copy")
    export = write_export(
        tmp_path / "e.csv",
        [
            "N° facture;Client;Date;Échéance;Montant TTC;Contact;E-mail;Copie;Langue",
            f"F-7;Dupont SARL;01/09/2026;01/10/2026;1 200,00;Marc Dupont;marc@dupont.example;{copy};fr",
        ],
    )
    from tests.factories import import_file

    import_file(engine, export, Clock.fixed(NOW, UTC))
    with session_scope(engine) as s:
        for name, value in (
            ("collector_name", "Camille Martin"),
            ("company", "Atelier Lumen"),
            ("email", "camille@lumen.example"),
            ("iban", "FR7630006000011234567890189"),
            ("bic", "AGRIFRPP"),
        ):
            set_setting(s, name, value)
    return Desk(engine, clock=Clock.fixed(NOW, UTC), lang="fr")


def end_with(desk: Desk, entry: OutcomeEntry, excuses: list[str] | None = None):  # type: ignore[no-untyped-def]
    [row] = desk.call_list()
    call = desk.start_call(row.debtor_id, None)
    ended = desk.end_call(call.id, entry, notes="", stage="close", excuses=excuses or [])
    assert ended.email_path is not None
    return message_from_bytes(Path(ended.email_path).read_bytes(), policy=default)


def test_a_promise_recap(desk: Desk) -> None:
    msg = end_with(desk, OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer"))
    assert msg["To"].addresses[0].addr_spec == "marc@dupont.example"
    assert str(msg["To"].addresses[0].display_name) == "Marc Dupont"
    assert msg["From"].addresses[0].addr_spec == "camille@lumen.example"
    assert msg["Subject"] == "Récapitulatif de notre entretien du 26 novembre — F-7"
    body = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    agreed = "- vous procédez au règlement de 250,00\u00a0€ par virement, au plus tard le vendredi 27 novembre 2026."
    assert agreed in body
    assert "- F-7 du 01/09/2026\u00a0: 1\u202f200,00\u00a0€, dont 1\u202f200,00\u00a0€ restent à régler" in body
    # A French IBAN: the RF creditor reference, never the Belgian +++ one; the same in the QR code.
    assert (
        "IBAN\u00a0: FR7630006000011234567890189" in body and "Référence à indiquer\u00a0: RF33F7" in body
    )  # "F7RF00" mod 97 = 65: 98 - 65
    assert "+++" not in body
    assert "Total dû à ce jour\u00a0: 1\u202f200,00\u00a0€." in body
    assert "Cet accord couvre 250,00\u00a0€\u00a0; le solde, soit 950,00\u00a0€, reste dû." in body
    assert "ci-joint" not in body.lower()  # only the QR image is attached, and its own line says so
    assert "Je vous remercie de bien vouloir me confirmer votre accord par retour de ce message." in body
    [qr] = list(msg.iter_attachments())  # the EPC QR code for the agreed transfer
    assert (qr.get_filename(), qr.get_content_type()) == ("virement-sepa.png", "image/png")
    assert qr.get_content().startswith(b"\x89PNG")


def test_a_four_instalment_plan_recap_sums_to_the_amount(desk: Desk) -> None:
    msg = end_with(
        desk, OutcomeEntry(Outcome.PLAN, amount_cents=120000, count=7, on=date(2026, 11, 26), method="transfer")
    )
    body = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "- vous réglez 1\u202f200,00\u00a0€ en 7 échéances, par virement\u00a0:" in body
    # 1,200.00 / 7 = 171.43 rounded up, six times; the last takes the rounding: 171.42.
    for n in range(1, 7):
        assert f"    {n}. le " in body and "171,43\u00a0€" in body
    assert "    7. le 26/05/2027\u00a0: 171,42\u00a0€" in body
    assert "Cet accord couvre la totalité du montant dû (1\u202f200,00\u00a0€)." in body


def test_a_belgian_iban_gets_the_structured_communication_in_text_and_qr(desk: Desk, engine: Engine) -> None:
    from callcoach.domain.epc import epc_payload
    from callcoach.services.debtors import debtor_file
    from callcoach.services.recap import transfer_request

    with session_scope(engine) as s:
        set_setting(s, "iban", "BE71 0961 2345 6769")
    msg = end_with(desk, OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer"))
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Référence à indiquer\u00a0: +++000/0000/00707+++" in body
    with session_scope(engine) as s:
        file = debtor_file(s, 1)
        entry = OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer")
        from callcoach.services.settings import get_settings

        request = transfer_request(file, entry, get_settings(s), date(2026, 11, 26))
        assert request is not None and "+++000/0000/00707+++" in epc_payload(request)


def test_the_invoice_copy_is_attached_when_the_client_never_received_it(desk: Desk) -> None:
    msg = end_with(
        desk,
        OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 28), at=datetime(2026, 1, 1, 14).time()),
        excuses=["not_received"],
    )
    [attachment] = list(msg.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("F-7.pdf", "application/pdf")
    assert attachment.get_content() == b"%PDF-1.4 the invoice copy"
    assert (
        "Vous trouverez ci-joint une copie de la facture F-7." in msg.get_body(preferencelist=("plain",)).get_content()
    )


def test_the_recap_is_in_the_history(desk: Desk) -> None:
    [row] = desk.call_list()
    end_with(desk, OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer"))
    emails = [e.text for e in desk.timeline(row.debtor_id) if e.kind == "email"]
    assert emails == ["E-mail : Récapitulatif de notre entretien du 26 novembre — F-7 [prêt dans la boîte d'envoi]"]


def test_a_cheque_in_the_post_recap_states_the_cheque_and_gives_no_bank_transfer(desk: Desk) -> None:
    entry = OutcomeEntry(
        Outcome.PROMISE,
        amount_cents=120000,
        on=date(2026, 11, 28),
        method="cheque",
        cheque_number="0012345",
        sent_on=date(2026, 11, 25),
    )
    msg = end_with(desk, entry, ["cheque_in_post"])
    body = " ".join(msg.get_body(preferencelist=("plain",)).get_content().replace("\u00a0", " ").split())
    assert "votre chèque n° 0012345 de 1 200,00 €, envoyé le mercredi 25 novembre 2026" in body
    assert "au plus tard le samedi 28 novembre 2026" in body
    # Payment details match the method: whom the cheque is made out to, no account, no QR code.
    assert "Ordre du chèque : Atelier Lumen" in body
    assert "IBAN" not in body and "BIC" not in body and "QR" not in body and "virement" not in body
    assert list(msg.iter_attachments()) == []


def test_a_card_payment_recap_gives_no_bank_details(desk: Desk) -> None:
    msg = end_with(desk, OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="card"))
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "par carte bancaire" in body and "IBAN" not in body and "QR" not in body
    assert list(msg.iter_attachments()) == []


def test_the_desk_saves_the_call_first_shows_its_recap_then_writes_it(desk: Desk, isolated_home: Path) -> None:
    """``end_call(recap=False)`` is the desk's Ctrl+S: the call and its promise, no e-mail yet.
    ``draft_recap`` builds the recap in memory, writing nothing (the desk shows it at once);
    ``save_recap`` (the desk's worker) then writes those very bytes and records them."""
    from sqlalchemy import text

    def rows(sql: str) -> list[tuple[object, ...]]:
        with desk.engine.connect() as con:
            return [tuple(r) for r in con.execute(text(sql))]

    [row] = desk.call_list()
    call = desk.start_call(row.debtor_id, None)
    entry = OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer")
    ended = desk.end_call(call.id, entry, notes="by Friday", stage="close", excuses=[], recap=False)
    assert ended.email_path is None and ended.recap_missing == ""
    assert rows("select amount_cents from promise") == [(25000,)]
    draft, missing = desk.draft_recap(ended, entry)
    assert draft is not None and missing == ""
    assert draft.email.path is None and draft.email.to == "Marc Dupont <marc@dupont.example>"
    assert "250,00" in draft.email.body
    outbox = isolated_home / "data" / "outbox"
    assert rows("select count(*) from emailrecord") == [(0,)]
    assert not outbox.exists() or list(outbox.iterdir()) == []  # nothing on disk yet
    path = desk.save_recap(draft)
    assert path.parent == outbox and path.read_bytes() == draft.data  # what was shown is what is sent
    msg = message_from_bytes(path.read_bytes(), policy=default)
    assert msg["To"].addresses[0].addr_spec == "marc@dupont.example"
    assert rows("select call_id, path, subject from emailrecord") == [(call.id, str(path), draft.email.subject)]


def test_no_recap_is_drafted_without_an_address_and_the_desk_is_told_why(desk: Desk) -> None:
    from callcoach.db.engine import session_scope
    from callcoach.services.settings import set_setting

    with session_scope(desk.engine) as session:
        set_setting(session, "email", "")
    [row] = desk.call_list()
    call = desk.start_call(row.debtor_id, None)
    entry = OutcomeEntry(Outcome.PROMISE, amount_cents=25000, on=date(2026, 11, 27), method="transfer")
    ended = desk.end_call(call.id, entry, notes="by Friday", stage="close", excuses=[], recap=False)
    assert desk.draft_recap(ended, entry) == (None, "no_own_email")
