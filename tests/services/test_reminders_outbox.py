"""An e-mail whose record fails leaves no file in the outbox, and the run goes on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Contact, Debtor, EmailRecord, Invoice
from callcoach.domain.clock import Clock
from callcoach.services import reminders
from callcoach.services.settings import get_settings, set_setting

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_failed_record_leaves_no_file_and_the_others_are_written(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(engine) as s:
        set_setting(s, "email", "camille@lumen.example")
        for n, name in enumerate(("Alpha SA", "Beta SA")):
            debtor = Debtor(name=name, name_key=name.lower())
            s.add(debtor)
            s.flush()
            s.add(Contact(debtor_id=debtor.id, name=f"Contact {n}", email=f"c{n}@client.example"))
            s.add(
                Invoice(
                    debtor_id=debtor.id,
                    number=f"F-{n}",
                    issue_date=date(2026, 9, 1),
                    due_date=date(2026, 10, 1),
                    amount_cents=10_000,
                )
            )
    real = reminders.EmailRecord

    def failing_for_alpha(**values: object) -> object:
        if values["debtor_id"] == 1:  # after the file was written: it must go again
            raise RuntimeError("database is locked")
        return real(**values)

    monkeypatch.setattr(reminders, "EmailRecord", failing_for_alpha)
    outbox = tmp_path / "outbox"
    with session_scope(engine) as s:
        plans = reminders.send_reminders(s, clock=Clock.fixed(NOW, UTC), settings=get_settings(s), outbox=outbox)
    assert [(p.debtor_name, p.skipped, p.path is not None) for p in plans] == [
        ("Alpha SA", "not_written", False),
        ("Beta SA", None, True),
    ]
    assert [p.name for p in outbox.glob("*.eml")] == [Path(plans[1].path or "").name]
    with session_scope(engine) as s:
        assert [r.debtor_id for r in s.exec(select(EmailRecord)).scalars()] == [2]  # type: ignore[call-overload]
