"""The team drill: four collectors on one ledger for a minute, everything at once.

Each simulated collector is what a desk window does, with its own engine (as another
process would have): it takes the next debtor of its list, claims the call (F2), types
notes that are saved as they go, ends the call with an outcome, and now and then records a
payment. Meanwhile an import brings new invoices in. Afterwards the ledger is read back:

- double claims: two collectors holding calls on one debtor at overlapping moments (the
  claims as each collector saw them, on the monotonic clock) or a debtor with two open calls;
- lost writes: an ended call whose notes or outcome are not the ones written, a call made
  up or left open, a payment missing, an imported invoice missing.

    python scripts/team_drill.py                       # SQLite file, 60 s
    python scripts/team_drill.py --engine postgresql   # a throwaway local cluster
    python scripts/team_drill.py --db postgresql://…   # a server of yours (an empty database)
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

TODAY = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
COLLECTORS = ("Camille Martin", "Sam Okafor", "Inès Moreau", "Luc Girard")


@dataclass
class Tally:
    name: str
    # debtor, then the span in which the call was surely held: from the claim's return to the
    # moment its end was asked (a colleague's claim inside that span is a double claim).
    claims: list[tuple[int, float, float]] = field(default_factory=list)
    ended: dict[int, tuple[str, str]] = field(default_factory=dict)  # call id: notes, outcome
    payments: list[tuple[int, int]] = field(default_factory=list)  # debtor, cents
    refused: int = 0
    payments_refused: int = 0
    retried: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class Report:
    engine: str
    seconds: float
    calls: int
    refused: int
    payments: int
    imported: int
    double_claims: list[str]
    lost_writes: list[str]
    failures: list[str]

    @property
    def ok(self) -> bool:
        return not (self.double_claims or self.lost_writes or self.failures) and self.calls > 0

    def lines(self) -> list[str]:
        return [
            f"engine           {self.engine}, {len(COLLECTORS)} collectors for {self.seconds:.0f} s",
            f"calls ended      {self.calls} (claims refused because a colleague held the debtor: {self.refused})",
            f"payments         {self.payments}; invoices imported meanwhile: {self.imported}",
            f"double claims    {len(self.double_claims)}" + "".join(f"\n  {d}" for d in self.double_claims[:5]),
            f"lost writes      {len(self.lost_writes)}" + "".join(f"\n  {w}" for w in self.lost_writes[:5]),
            f"failures         {len(self.failures)}" + "".join(f"\n  {f}" for f in self.failures[:5]),
        ]


def _retrying(tally: Tally, step, *args, **kwargs):  # type: ignore[no-untyped-def]
    from callcoach.services.calls import CallTaken
    from callcoach.services.errors import StoreError

    for _ in range(50):
        try:
            return step(*args, **kwargs)
        except CallTaken:
            raise
        except StoreError:  # busy: the desk says so and the collector tries again
            tally.retried += 1
            time.sleep(0.05)
    raise AssertionError("the ledger stayed busy for 2.5 s")


def _outcome(n: int):  # type: ignore[no-untyped-def]
    from datetime import time as clock_time
    from datetime import timedelta

    from callcoach.domain.kinds import Outcome
    from callcoach.domain.outcomes import OutcomeEntry

    if n % 3 == 0:
        return OutcomeEntry(outcome=Outcome.CALLBACK, on=TODAY.date() + timedelta(days=2), at=clock_time(10, 0))
    return OutcomeEntry(outcome=Outcome.WRONG_PERSON)


def _collector(location: Path | str, member: int, tally: Tally, until: float, seed: int) -> None:
    from callcoach.domain.clock import Clock
    from callcoach.services.calls import CallTaken
    from callcoach.services.desk import Desk
    from callcoach.services.errors import UserError
    from callcoach.services.store import open_ledger

    pick = random.Random(seed)
    engine = open_ledger(location)
    desk = Desk(engine, clock=Clock.fixed(TODAY, UTC), lang="en", collector_id=member)
    n = 0
    try:
        while time.monotonic() < until:
            rows = _retrying(tally, desk.call_list, settle=False, limit=12)
            debtor = pick.choice([r.debtor_id for r in rows])
            try:
                call = _retrying(tally, desk.start_call, debtor, None)
            except CallTaken:
                tally.refused += 1
                continue
            claimed = time.monotonic()  # from here until the end is asked, the call is surely held
            n += 1
            notes = ""
            for word in range(pick.randint(2, 6)):
                notes += f"{tally.name[:3]}{n}w{word} "
                _retrying(tally, desk.save_draft, call.id, notes=notes, stage="listen", excuses=[], outcome_draft="")
            final, done = notes + f"end {n}", _outcome(n)
            tally.claims.append((debtor, claimed, time.monotonic()))
            _retrying(tally, desk.end_call, call.id, done, notes=final, stage="close", excuses=[])
            tally.ended[call.id] = (final, str(done.outcome))
            if n % 4 == 0:
                cents = pick.randint(1, 50) * 100
                try:
                    _retrying(tally, desk.record_debtor_payment, debtor, cents, TODAY.date(), "transfer")
                except UserError:  # more than is left to pay (colleagues paid meanwhile): refused, as on the desk
                    tally.payments_refused += 1
                else:
                    tally.payments.append((debtor, cents))
    except Exception as exc:
        tally.failures.append(f"{tally.name}: {type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def _import_once(engine, path: Path) -> None:  # type: ignore[no-untyped-def]
    from callcoach.domain.clock import Clock
    from callcoach.services.importing import import_csv
    from callcoach.services.units import unit_of_work

    with unit_of_work(engine) as session:
        import_csv(session, path, clock=Clock.fixed(TODAY, UTC))


def _importer(location: Path | str, folder: Path, until: float, imported: list[str], failures: list[str]) -> None:
    from callcoach.services.store import open_ledger

    engine = open_ledger(location)
    batch = 0
    try:
        while time.monotonic() < until:
            batch += 1
            numbers = [f"T{batch:03d}-{i}" for i in range(5)]
            lines = ["N° facture;Client;Date;Échéance;Montant TTC"] + [
                f"{number};Nouveau client {batch}-{i};01/10/2026;31/10/2026;{100 + i},00"
                for i, number in enumerate(numbers)
            ]
            path = folder / f"new-{batch}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            _retrying(Tally("import"), _import_once, engine, path)
            imported.extend(numbers)
            time.sleep(2.0)
    except Exception as exc:
        failures.append(f"import: {type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def _ledger(location: Path | str, folder: Path) -> list[int]:
    """The demo ledger, with the team: the collectors' ids."""
    from callcoach.domain.clock import Clock
    from callcoach.services import collectors
    from callcoach.services.demo import build_demo
    from callcoach.services.moving import move_ledger
    from callcoach.services.store import open_ledger
    from callcoach.services.units import unit_of_work

    if isinstance(location, Path):
        build_demo(location, reset=True, clock=Clock.fixed(TODAY))
    else:  # the demo built in a file, then moved up, as a freelancer who hires would
        source_path = folder / "demo.sqlite"
        build_demo(source_path, reset=True, clock=Clock.fixed(TODAY))
        source, target = open_ledger(source_path), open_ledger(location)
        move_ledger(source, target, target_name="drill")
        source.dispose()
        target.dispose()
    engine = open_ledger(location)
    with unit_of_work(engine) as session:
        team = [collectors.add_collector(session, name=name).id for name in COLLECTORS]
    engine.dispose()
    return team


def run_drill(location: Path | str, seconds: float, folder: Path) -> Report:
    team = _ledger(location, folder)
    before = _paid_by_debtor(location)
    tallies = [Tally(name) for name in COLLECTORS]
    imported: list[str] = []
    failures: list[str] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_collector, args=(location, member, tally, until, seed))
        for seed, (member, tally) in enumerate(zip(team, tallies, strict=True))
    ]
    threads.append(threading.Thread(target=_importer, args=(location, folder, until, imported, failures)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    failures += [f for t in tallies for f in t.failures]
    failures += [f"{t.name} never finished" for t, th in zip(tallies, threads, strict=False) if th.is_alive()]
    return Report(
        engine="sqlite" if isinstance(location, Path) else "postgresql",
        seconds=seconds,
        calls=sum(len(t.ended) for t in tallies),
        refused=sum(t.refused for t in tallies),
        payments=sum(len(t.payments) for t in tallies),
        imported=len(imported),
        double_claims=_double_claims(tallies) + _open_twice(location),
        lost_writes=_lost_writes(location, tallies, imported, before),
        failures=failures,
    )


def _double_claims(tallies: list[Tally]) -> list[str]:
    held: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    for tally in tallies:
        for debtor, claimed, ended in tally.claims:
            held[debtor].append((claimed, ended, tally.name))
    found = []
    for debtor, spans in held.items():
        for i, (start_a, end_a, who_a) in enumerate(spans):
            for start_b, end_b, who_b in spans[i + 1 :]:
                if start_a < end_b and start_b < end_a:
                    found.append(f"debtor {debtor}: {who_a} and {who_b} held it at once")
    return found


def _open_twice(location: Path | str) -> list[str]:
    from sqlalchemy import func, select

    from callcoach.db.tables import Call
    from callcoach.services.store import open_ledger
    from callcoach.services.units import unit_of_work

    engine = open_ledger(location)
    with unit_of_work(engine, write=False) as session:
        rows = session.execute(
            select(Call.debtor_id, func.count())
            .where(Call.ended_at.is_(None))  # type: ignore[union-attr]
            .group_by(Call.debtor_id)
            .having(func.count() > 1)
        ).all()
    engine.dispose()
    return [f"debtor {debtor}: {n} open calls" for debtor, n in rows]


def _paid_by_debtor(location: Path | str) -> dict[int, int]:
    from sqlalchemy import func, select

    from callcoach.db.tables import Invoice, Payment
    from callcoach.services.store import open_ledger
    from callcoach.services.units import unit_of_work

    engine = open_ledger(location)
    with unit_of_work(engine, write=False) as session:
        rows = session.execute(
            select(Invoice.debtor_id, func.coalesce(func.sum(Payment.amount_cents), 0))
            .join(Payment, Payment.invoice_id == Invoice.id)
            .group_by(Invoice.debtor_id)
        ).all()
    engine.dispose()
    return {int(debtor): int(cents) for debtor, cents in rows}


def _lost_writes(location: Path | str, tallies: list[Tally], imported: list[str], before: dict[int, int]) -> list[str]:
    from sqlalchemy import select

    from callcoach.db.tables import Call, Invoice
    from callcoach.services.store import open_ledger
    from callcoach.services.units import unit_of_work

    engine = open_ledger(location)
    with unit_of_work(engine, write=False) as session:
        calls = {row.id: (row.notes, row.outcome, row.ended_at) for row in session.execute(select(Call)).scalars()}
        numbers = set(session.execute(select(Invoice.number)).scalars())
    engine.dispose()
    after = _paid_by_debtor(location)
    lost = []
    written = {call_id: done for t in tallies for call_id, done in t.ended.items()}
    for call_id, (notes, outcome) in written.items():
        if call_id not in calls:
            lost.append(f"call {call_id}: missing")
        elif calls[call_id][:2] != (notes, outcome) or calls[call_id][2] is None:
            lost.append(f"call {call_id}: notes or outcome not as written")
    lost += [f"call {call_id}: not made by any collector" for call_id in set(calls) - set(written)]
    paid: dict[int, int] = defaultdict(int)
    for tally in tallies:
        for debtor, cents in tally.payments:
            paid[debtor] += cents
    for debtor, cents in paid.items():
        # A payment larger than what is owed is kept apart, never lost: it is counted here too.
        found = after.get(debtor, 0) - before.get(debtor, 0)
        if found != cents:
            lost.append(f"debtor {debtor}: payments of {cents} cents recorded, {found} found")
    lost += [f"invoice {number}: imported but missing" for number in imported if number not in numbers]
    return lost


def new_database(server: str, name: str) -> str:
    """An empty database on ``server`` (a URL without database) for the drill."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{server}/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", help="a server database of yours (empty), instead of a throwaway one")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="callcoach-drill."))
    cluster: Path | None = None
    try:
        location: Path | str
        if args.db:
            location = args.db
        elif args.engine == "postgresql":
            cluster = Path(tempfile.mkdtemp(prefix="callcoach-drill-pg."))  # the server's user must reach it
            url = (
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "pg_cluster.sh"), "start", str(cluster)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            location = new_database(url, "drill")
        else:
            location = folder / "ledger.sqlite"
        report = run_drill(location, args.seconds, folder)
        print("\n".join(report.lines()))
        print("ok" if report.ok else "FAILED")
        return 0 if report.ok else 1
    finally:
        if cluster is not None:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg_cluster.sh"), "stop", str(cluster)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
