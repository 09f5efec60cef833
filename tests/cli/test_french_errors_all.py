"""Every error message the code can raise reads as French on a French desk (issue 18).

The messages are found in the source itself (each ``…Error("…")`` or ``…Error(f"…")`` whose
text is written there). An error with a ``code`` is worded from the playbook's ``[errors]``
table: its French must exist, name only values the raise site gives, and read as French.
The few without one (the readers' and the rules' own ``field: reason`` lines) go, varying
parts filled with a number, through what the command line and the screens use: split at
"; ", each part through the ``[problems]`` table. The command line, the services and the
screens raise none without a code. A new message without its French, or a reworded one
whose French no longer matches, fails here, naming the file and line.
"""

from __future__ import annotations

import ast
import string
from datetime import date, datetime
from pathlib import Path

from callcoach.importers.reading import _SIGNATURES, KIND_CODES
from callcoach.playbook import Labels, load
from callcoach.playbook.problems import say
from tests.cli.test_french_cli import names_typed
from tests.english import english_words

SRC = Path(__file__).resolve().parents[2] / "src" / "callcoach"
ERRORS = {
    "UserError",
    "StoreError",
    "ImportRefused",
    "AmountError",
    "DateError",
    "ImportFileError",
    "CallTaken",
    "EInvoiceError",
    "FecError",
    "RowError",
    "DateOrderError",
    "WordedError",
    "problem",
    "Remark",
}
VALUE = "42"
# Typed values and setting names a message quotes for the collector to type: not prose.
TYPED = frozenset({"late", "rule", "be", "none", "paid", "withdrawn", "reason", "of"})


# Values a template formats as what they are (a date, a time).
EXAMPLES = {
    "paid_on": date(2026, 11, 26),
    "due": date(2026, 11, 26),
    "issue": date(2026, 10, 27),
    "day": date(2026, 11, 26),
}
EXAMPLES |= {"since": datetime(2026, 11, 26, 14, 5)}
# Raised with a code built where they are (files.WriteFailed, importing.ImportRefused).
BUILT_CODES = {"file_disk_full": {"path", "detail"}, "file_denied": {"path", "detail"}, "file_io": {"path", "detail"}}
BUILT_CODES |= {"import_bad_lines": {"path", "count"}}
BUILT_CODES |= {f"not_text_{key}": {"path", "kind"} for key in KIND_CODES.values()}
BUILT_CODES |= {f"plan_{key}": set() for key in ("count", "too_small", "nothing", "first", "per_month", "offer")}
# Every layer: no error is raised without its code.
CODED_LAYERS = ("cli", "services", "tui", "domain", "importers", "playbook")


def _error_calls() -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS:
                found.append((path, node))
    return found


def coded_errors() -> list[tuple[str, str, str, set[str]]]:
    """(where, code, English template, value names given) for every error raised with a code."""
    found = []
    for path, node in _error_calls():
        code = next((k.value for k in node.keywords if k.arg == "code"), None)
        at = 1 if node.func.id == "problem" else 0  # problem(field, "reason", code=...)
        if not (isinstance(code, ast.Constant) and len(node.args) > at and isinstance(node.args[at], ast.Constant)):
            continue
        given = {k.arg for k in node.keywords if k.arg not in (None, "code")}
        found.append((f"{path.relative_to(SRC)}:{node.lineno}", code.value, node.args[at].value, given))
    return found


def names_in(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def raised_messages() -> list[tuple[str, str]]:
    """(where, message) for every error raised without a code, with a message written in the source."""
    found = []
    for path, node in _error_calls():
        if any(k.arg == "code" for k in node.keywords):
            continue
        if True:
            if not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                text = first.value
            elif isinstance(first, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else VALUE for v in first.values)
            else:
                continue
            found.append((f"{path.relative_to(SRC)}:{node.lineno}", text))
    return found


def with_real_values(text: str) -> list[str]:
    """A message whose varying part is itself words (the kind of file met) with each of them."""
    if text.endswith(f"this is {VALUE}, not a text export"):
        return [text.replace(f"this is {VALUE}", f"this is {kind}") for _, kind in _SIGNATURES if "text" not in kind]
    if text.endswith(f"is a folder, not {VALUE}"):
        return [text.replace(f"not {VALUE}", "not an export")]
    return [text]


def row_reasons() -> list[tuple[str, str]]:
    """(where, reason) for every reason a reader gives a refused row as a written-out text
    (``fail(field, "…")``, ``RowError(path, line, column, "…")``) instead of a coded error."""
    found = []
    for path in sorted((SRC / "importers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            at = {"fail": 1, "RowError": 3}.get(node.func.id)
            if at is None or len(node.args) <= at:
                continue
            reason = node.args[at]
            if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", reason.value))
            elif isinstance(reason, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else VALUE for v in reason.values)
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", text))
    return found


def test_every_reason_a_reader_gives_a_row_has_a_code() -> None:
    assert row_reasons() == []  # each is a WordedError with its code, checked with the others above


def test_every_coded_error_has_its_french_naming_the_values_it_is_given() -> None:
    french = load("ui", "fr")["errors"]
    allowed = names_typed() | TYPED
    coded = coded_errors()
    assert len(coded) > 100  # the scan really reads the code
    problems = []
    for where, code, english, given in coded:
        template = french.get(code)
        if template is None:
            problems.append(f"{where}: {code} has no French in fr/ui.toml [errors]")
            continue
        if names_in(template) - given or names_in(english) - given:
            problems.append(f"{where}: {code} names {names_in(template) | names_in(english)}, given {given}")
            continue
        said = template.format(**{name: EXAMPLES.get(name, VALUE) for name in names_in(template)})
        if english_words(said, allowed):
            problems.append(f"{where}: {code} -> {said!r} {english_words(said, allowed)}")
    for code, given in BUILT_CODES.items():
        if code not in french or names_in(french[code]) - given:
            problems.append(f"{code}: no French, or naming values it is not given")
    assert problems == [], "\n".join(problems)


def test_no_error_is_raised_without_a_code() -> None:
    uncoded = [where for where, _ in raised_messages() if where.startswith(CODED_LAYERS)]
    assert uncoded == []
    # Nor re-raised as its text alone (``UserError(str(exc))``), which would lose the code.
    rewrapped = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, node in _error_calls()
        if node.args
        and node.func.id != "RowError"  # type: ignore[attr-defined]  # its first value is the file
        and isinstance(node.args[0], ast.Call)
        and getattr(node.args[0].func, "id", "") == "str"
        and not any(k.arg == "code" for k in node.keywords)
    ]
    assert rewrapped == []


def test_rewording_an_english_message_cannot_lose_its_french() -> None:
    from callcoach.errors import UserError

    error = UserError(
        "{name}: on legal hold ({hold}); not erased", code="debtor_legal_hold_not_erased", name="Alpha", hold="procès"
    )
    reworded = UserError(
        "{name} is under a legal hold ({hold})", code="debtor_legal_hold_not_erased", name="Alpha", hold="procès"
    )
    assert str(error) == "Alpha: on legal hold (procès); not erased"
    assert (
        say(error, Labels("fr"))
        == say(reworded, Labels("fr"))
        == "Alpha : sous conservation légale (procès) ; rien n'a été effacé"
    )
