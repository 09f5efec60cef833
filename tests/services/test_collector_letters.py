"""E-mails of a team: each is written in the language of the collector who made the call
(or sends the letters) and signed with their name; the client's own language, when their
file states it, comes first; without a collector, the ledger's settings decide. The call
script introduces the collector at the desk, not the ledger's owner."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import EmailRecord
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import collectors
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from tests.factories import import_file, write_export

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
CLOCK = Clock.fixed(NOW, UTC)


def _ledger(tmp_path: Path, engine: Engine, ledger_language: str) -> None:
    """Two clients with an e-mail address and no stated language, one who reads French."""
    export = write_export(
        tmp_path / "e.csv",
        [
            "N° facture;Client;Date;Échéance;Montant TTC;Contact;E-mail;Langue",
            "A-1;Alpha SARL;01/09/2026;01/10/2026;1 200,00;Ann Alpha;ann@alpha.example;",
            "B-1;Beta SA;01/08/2026;01/09/2026;800,00;Bob Beta;bob@beta.example;",
            "F-1;Forge SA;01/07/2026;01/08/2026;400,00;Fanny Forge;fanny@forge.example;fr",
        ],
    )
    import_file(engine, export, CLOCK)
    with session_scope(engine) as s:
        for name, value in (
            ("collector_name", "The Ledger Owner"),
            ("company", "Atelier Lumen"),
            ("email", "desk@lumen.example"),
            ("language", ledger_language),
        ):
            set_setting(s, name, value)


def _desks(engine: Engine) -> tuple[Desk, Desk]:
    with session_scope(engine) as s:
        camille = collectors.add_collector(s, name="Camille Martin", language="fr")
        sam = collectors.add_collector(s, name="Sam Okafor", language="en")
    return (
        Desk(engine, clock=CLOCK, lang="en", collector_id=camille.id),  # the desk's own language is not the letter's
        Desk(engine, clock=CLOCK, lang="fr", collector_id=sam.id),
    )


def _promise_recap(desk: Desk, debtor: str) -> EmailMessage:
    row = next(r for r in desk.call_list(settle=False) if r.name == debtor)
    call = desk.start_call(row.debtor_id, None)
    entry = OutcomeEntry(Outcome.PROMISE, amount_cents=50000, on=date(2026, 11, 30), method="transfer")
    ended = desk.end_call(call.id, entry, notes="", stage="close", excuses=[])
    assert ended.email_path is not None, ended.recap_missing
    msg = message_from_bytes(Path(ended.email_path).read_bytes(), policy=default)
    assert isinstance(msg, EmailMessage)
    return msg


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


def _signature(body: str) -> list[str]:
    """The lines after the closing formula: who signs."""
    lines = body.rstrip("\n").split("\n")
    closing = max(i for i, line in enumerate(lines) if line in ("Bien cordialement,", "Kind regards,"))
    return lines[closing + 1 :]


@pytest.mark.parametrize("ledger_language", ["fr", "en"])
def test_each_collectors_recap_is_in_their_language_and_signed_by_them(
    tmp_path: Path, engine: Engine, ledger_language: str
) -> None:
    _ledger(tmp_path, engine, ledger_language)
    camille, sam = _desks(engine)

    french = _promise_recap(camille, "Alpha SARL")
    english = _promise_recap(sam, "Beta SA")

    assert french["Subject"] == "Récapitulatif de notre entretien du 26 novembre — A-1"
    thanks = "Je vous remercie pour notre entretien téléphonique de ce jour. Comme convenu entre nous\u00a0:"
    assert thanks in _body(french)
    assert _signature(_body(french))[:2] == ["Camille Martin", "Atelier Lumen"]
    assert str(french["From"].addresses[0].display_name) == "Camille Martin"
    assert english["Subject"] == "Summary of our call of 26 November — B-1"
    assert "Thank you for speaking with me today. As agreed:" in _body(english)
    assert _signature(_body(english))[:2] == ["Sam Okafor", "Atelier Lumen"]
    assert str(english["From"].addresses[0].display_name) == "Sam Okafor"
    assert "The Ledger Owner" not in _body(french) + _body(english)
    with session_scope(engine) as s:
        written = {r.subject: r.collector_id for r in s.exec(select(EmailRecord)).scalars()}
    assert written == {french["Subject"]: camille.collector_id, english["Subject"]: sam.collector_id}


def test_a_client_who_reads_french_gets_french_from_an_english_speaking_collector(
    tmp_path: Path, engine: Engine
) -> None:
    _ledger(tmp_path, engine, "en")
    _, sam = _desks(engine)
    msg = _promise_recap(sam, "Forge SA")
    assert msg["Subject"].startswith("Récapitulatif de notre entretien")
    assert _signature(_body(msg))[0] == "Sam Okafor"


def test_a_collector_without_a_language_writes_in_the_ledgers(tmp_path: Path, engine: Engine) -> None:
    _ledger(tmp_path, engine, "en")
    with session_scope(engine) as s:
        dana = collectors.add_collector(s, name="Dana Petit")
    msg = _promise_recap(Desk(engine, clock=CLOCK, lang="fr", collector_id=dana.id), "Alpha SARL")
    assert msg["Subject"].startswith("Summary of our call")
    assert _signature(_body(msg))[0] == "Dana Petit"


def test_without_collectors_the_settings_sign_in_the_ledgers_language(tmp_path: Path, engine: Engine) -> None:
    _ledger(tmp_path, engine, "en")
    msg = _promise_recap(Desk(engine, clock=CLOCK, lang="fr"), "Alpha SARL")
    assert msg["Subject"].startswith("Summary of our call")
    assert _signature(_body(msg))[0] == "The Ledger Owner"


def test_the_script_introduces_the_collector_at_the_desk(tmp_path: Path, engine: Engine) -> None:
    _ledger(tmp_path, engine, "fr")
    camille, sam = _desks(engine)
    alpha = next(r.debtor_id for r in sam.call_list(settle=False) if r.name == "Alpha SARL")
    assert sam.debtor_view(alpha).facts["collector"] == "Sam Okafor"
    assert camille.debtor_view(alpha).facts["collector"] == "Camille Martin"
    assert Desk(engine, clock=CLOCK, lang="fr").debtor_view(alpha).facts["collector"] == "The Ledger Owner"
