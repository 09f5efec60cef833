"""The overview's figures as tables of words and numbers, shared by the screen, the
terminal reports and their CSV and JSON forms, so all four say the same thing.

Each table keeps two forms of every row: ``cells`` as the collector reads them (money in
their language), ``values`` as a spreadsheet or a program wants them (plain numbers,
ISO dates). Texts come from the playbook's ``overview.toml``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from callcoach.domain.money import cents_to_decimal
from callcoach.playbook import Labels
from callcoach.presenting import Presenter
from callcoach.services.overview import Aging, Dso, Forecast, Results

FIGURES = ("aging", "dso", "forecast", "results")


@dataclass
class FigureTable:
    key: str  # aging, dso, forecast, results
    title: str
    columns: list[str]
    cells: list[list[str]] = field(default_factory=list)
    values: list[list[object]] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)
    bar: int | None = None  # index of the value column drawn as a bar
    summary: list[str] = field(default_factory=list)  # the figure in a sentence or two
    notes: list[str] = field(default_factory=list)  # definitions
    caption: str = ""  # the definition in one short line, for the screen
    empty: str = ""

    def add(self, key: str, cells: list[str], values: list[object]) -> None:
        self.row_keys.append(key)
        self.cells.append(cells)
        self.values.append(values)


class FigureWords:
    """Formats figures in the collector's language."""

    def __init__(self, presenter: Presenter) -> None:
        self.p = presenter
        self.L = Labels(presenter.lang, "overview")

    def days(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        text = f"{value:.1f}" if value != value.to_integral() else f"{value:.0f}"
        return text.replace(".", ",") if self.p.lang == "fr" else text

    def percent(self, value: Decimal | Fraction | None) -> str:
        if value is None:
            return "—"
        number = Decimal(value.numerator) / Decimal(value.denominator) * 100 if isinstance(value, Fraction) else value
        return f"{number.quantize(Decimal(1))} %" if self.p.lang == "fr" else f"{number.quantize(Decimal(1))}%"

    def bucket(self, key: str) -> str:
        return self.L[f"bucket_{key}"]

    # ---------------------------------------------------------------- aging
    def aging(self, figure: Aging) -> FigureTable:
        L, p = self.L, self.p
        table = FigureTable(
            "aging",
            L["aging_title"],
            [L["currency"], L["bucket"], L["amount"], L["invoices"], L["debtors"], L["credit"]],
            bar=2,
            notes=[L["aging_note"]],
            caption=L["aging_caption"],
            empty=L["aging_empty"],
        )
        for cur in figure.currencies:
            for b in cur.buckets:
                table.add(
                    f"{cur.currency}:{b.key}",
                    [cur.currency, self.bucket(b.key), p.money(b.amount_cents, cur.currency), str(b.invoices),
                     str(b.debtors), p.money(b.credit_cents, cur.currency) if b.credit_cents else ""],
                    [cur.currency, self.bucket(b.key), cents_to_decimal(b.amount_cents), b.invoices, b.debtors,
                     cents_to_decimal(b.credit_cents)],
                )  # fmt: skip
            table.add(
                f"{cur.currency}:disputed",
                [cur.currency, L["bucket_disputed"], p.money(cur.disputed_cents, cur.currency),
                 str(cur.disputed_invoices), str(cur.disputed_debtors), ""],
                [cur.currency, L["bucket_disputed"], cents_to_decimal(cur.disputed_cents), cur.disputed_invoices,
                 cur.disputed_debtors, Decimal(0)],
            )  # fmt: skip
            total = p.money(cur.total_cents, cur.currency)
            table.summary.append(L.get("currency_line", currency=cur.currency, what=L["bucket_total"], amount=total))
            if cur.disputed_cents:  # a line of its own: an amount is never cut across two lines
                table.summary.append(f"{L['bucket_disputed']} {p.money(cur.disputed_cents, cur.currency)}")
        return table

    # ------------------------------------------------------------------ DSO
    def dso(self, figure: Dso) -> FigureTable:
        L, p = self.L, self.p
        table = FigureTable(
            "dso",
            L["dso_title"],
            [L["currency"], L["month"], L["receivables"], L["dso"], L["days_late"]],
            bar=3,
            notes=[L["dso_definition"], L["dso_undated"]],
            caption=L["dso_caption"],
            empty=L["dso_empty"],
        )
        for cur in figure.currencies:
            for point in cur.points:
                shown = self.days(point.dso) if point.complete else L.get("dso_floor", days=self.days(point.dso))
                table.add(
                    f"{cur.currency}:{point.month.isoformat()}",
                    [cur.currency, self.month(point.month), p.money(point.receivables_cents, cur.currency), shown,
                     self.days(point.days_late)],
                    [cur.currency, point.as_of.isoformat(), cents_to_decimal(point.receivables_cents), point.dso,
                     point.days_late if point.days_late is not None else ""],
                )  # fmt: skip
            latest = cur.latest
            now = self.days(latest.dso) if latest.complete else L.get("dso_floor", days=self.days(latest.dso))
            late = (
                L.get("dso_paid_late", days=self.days(cur.days_late))
                if cur.days_late is not None
                else L["dso_paid_none"]
            )
            table.summary.append(f"{L.get('dso_now', currency=cur.currency, days=now)} · {late}")
        return table

    def month(self, first: date) -> str:
        return first.strftime("%m/%Y")

    # ------------------------------------------------------------- forecast
    def forecast(self, figure: Forecast) -> FigureTable:
        L, p = self.L, self.p
        table = FigureTable(
            "forecast",
            L["forecast_title"],
            [L["currency"], L["week"], L["promised"], L["expected"], L["promises"]],
            bar=3,
            notes=[L.get("forecast_weighting", rate=self.percent(figure.ledger_rate))],
            caption=L.get("forecast_caption", rate=self.percent(figure.ledger_rate)),
            empty=L["forecast_empty"],
        )
        for cur in figure.currencies:
            for week in cur.weeks:
                table.add(
                    f"{cur.currency}:{week.start.isoformat()}",
                    [cur.currency, p.day(week.start), p.money(week.promised_cents, cur.currency),
                     p.money(week.expected_cents, cur.currency), str(week.promises)],
                    [cur.currency, week.start.isoformat(), cents_to_decimal(week.promised_cents),
                     cents_to_decimal(week.expected_cents), week.promises],
                )  # fmt: skip
            table.summary.append(
                L.get(
                    "forecast_total",
                    currency=cur.currency,
                    promised=p.money(cur.promised_cents, cur.currency),
                    expected=p.money(cur.expected_cents, cur.currency),
                )
            )
        return table

    # -------------------------------------------------------------- results
    def results(self, figure: Results) -> FigureTable:
        L, p = self.L, self.p
        currencies = figure.currencies
        columns = [L["week"], L["calls"], L["per_day"], L["reached"], L["agreed"], L["kept"], L["broken"]]
        table = FigureTable(
            "results",
            L["results_title"],
            columns + [f"{L['collected']} {c}" for c in currencies or ["EUR"]],
            bar=1,
            notes=[L["results_note"]],
            caption=L["results_caption"],
        )
        for week in figure.weeks:
            money = [p.money(week.collected.get(c, 0), c) for c in currencies or ["EUR"]]
            table.add(
                week.start.isoformat(),
                [p.day(week.start), str(week.calls), self.days(week.per_day), self.percent(week.reached_rate),
                 str(week.agreed), str(week.kept), str(week.broken), *money],
                [week.start.isoformat(), week.calls, week.per_day if week.per_day is not None else "",
                 week.reached_rate if week.reached_rate is not None else "", week.agreed, week.kept, week.broken,
                 *[cents_to_decimal(week.collected.get(c, 0)) for c in currencies or ["EUR"]]],
            )  # fmt: skip
        total = {c: sum(w.collected.get(c, 0) for w in figure.weeks) for c in currencies}
        table.summary.append(
            L.get(
                "results_total",
                calls=sum(w.calls for w in figure.weeks),
                reached=sum(w.reached for w in figure.weeks),
                agreed=sum(w.agreed for w in figure.weeks),
                kept=sum(w.kept for w in figure.weeks),
                broken=sum(w.broken for w in figure.weeks),
                collected=" + ".join(p.money(v, c) for c, v in total.items()) or p.money(0),
            )
        )
        for who in figure.collectors:  # team mode: one line per collector
            table.summary.append(
                L.get("results_collector", name=who.name, calls=who.calls, reached=who.reached, agreed=who.agreed)
            )
        return table

    def table(self, key: str, figure: Any) -> FigureTable:
        return getattr(self, key)(figure)  # type: ignore[no-any-return]


# ------------------------------------------------------------ machine forms
def as_json(figure: Any) -> str:
    """The service's figure as JSON: amounts in cents, dates ISO, rates as decimals."""
    return json.dumps(_plain(figure), ensure_ascii=False, indent=2)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("total_cents", "overdue_cents", "promised_cents", "expected_cents", "ledger_rate"):
            if hasattr(type(value), name):
                out[name] = _plain(getattr(value, name))
        if hasattr(type(value), "reached_rate"):
            out["reached_rate"], out["per_day"] = _plain(value.reached_rate), _plain(value.per_day)
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    if isinstance(value, Decimal):
        return str(value)
    return value


def csv_bytes(table: FigureTable, lang: str) -> bytes:
    """The table for a spreadsheet in the collector's language (French: ';' and decimal
    commas), every text cell made inert against formulas."""
    import csv
    import io

    from callcoach.domain.text import neutralise_formula

    delimiter, comma = (";", True) if lang == "fr" else (",", False)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_formula(c) for c in table.columns])
    for values in table.values:
        row = []
        for value in values:
            if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
                text = str(value)
                row.append(text.replace(".", ",") if comma else text)
            else:
                row.append(neutralise_formula(str(value)))
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig" if lang == "fr" else "utf-8")
