"""What the services hand the CLI and the TUI is plain data, never a database row.

Every name the interfaces import from ``callcoach.services`` is walked: a function's return
type, a service object's public methods' return types, and every field of the dataclasses and
pydantic models they return, through lists, tuples, dicts and unions. A ``callcoach.db.tables``
class anywhere in there fails the test; so does a function left without a return type, which
the type checker (tests/test_types.py) would not hold to its word. mypy proves each service
returns what it declares; this test proves what it declares is plain.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlmodel import SQLModel

from callcoach.db.tables import Invoice

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "callcoach"


def _imported_from_services() -> dict[tuple[str, str], list[str]]:
    """(services module, name) -> where the CLI or the TUI imports it."""
    found: dict[tuple[str, str], list[str]] = {}
    for folder in ("cli", "tui"):
        for path in sorted((SRC / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("callcoach.services"):
                    continue
                for alias in node.names:
                    module, name = node.module or "", alias.name
                    if isinstance(getattr(importlib.import_module(module), name, None), types.ModuleType):
                        module, name = f"{module}.{name}", "*"  # a services module: all it offers
                    found.setdefault((module, name), []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _namespace(module: types.ModuleType) -> dict[str, Any]:
    """The module's globals and the names it imports only for the type checker."""
    names = dict(vars(module))
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__name__, "exec"), names)
    return names


def _hints(owner: Any, module: types.ModuleType) -> dict[str, Any]:
    return typing.get_type_hints(owner, globalns=_namespace(module))


def _rows_in(kind: Any, seen: set[Any], path: str) -> list[str]:
    """Where a table class hides in ``kind``: itself, its type arguments, its fields."""
    origin = typing.get_origin(kind)
    if origin is not None or isinstance(kind, types.UnionType):
        return [row for arg in typing.get_args(kind) for row in _rows_in(arg, seen, path)]
    if not isinstance(kind, type) or kind in seen:
        return []
    seen.add(kind)
    if issubclass(kind, SQLModel):
        return [f"{path} -> {kind.__module__}.{kind.__name__}"]
    module = inspect.getmodule(kind)
    if dataclasses.is_dataclass(kind) or (issubclass(kind, BaseModel) and kind is not BaseModel):
        hints = _hints(kind, module) if module else {}
        return [row for name, hint in hints.items() for row in _rows_in(hint, seen, f"{path}.{name}")]
    return []


def _returns(func: Any, module: types.ModuleType, where: str) -> list[str]:
    hints = _hints(func, module)
    if "return" not in hints:
        return [f"{where}: no return type"]
    return _rows_in(hints["return"], set(), where)


def _service_object(kind: type, module: types.ModuleType, where: str) -> list[str]:
    """A class the interfaces drive (Desk, CallSession...): each public method's result."""
    problems: list[str] = []
    for name, member in inspect.getmembers(kind):
        if name.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
            continue
        func = member.fget if isinstance(member, property) else member
        if func.__module__ == kind.__module__ or func.__qualname__.startswith(kind.__name__):
            problems += _returns(func, inspect.getmodule(func) or module, f"{where}.{name}")
    return problems


def _offered(module: types.ModuleType, name: str) -> list[tuple[str, Any]]:
    if name != "*":
        return [(name, getattr(module, name))]
    return [
        (n, value)
        for n, value in vars(module).items()
        if not n.startswith("_") and getattr(value, "__module__", None) == module.__name__
    ]


def _problems(module_name: str, name: str) -> list[str]:
    module = importlib.import_module(module_name)
    problems: list[str] = []
    for shown, value in _offered(module, name):
        where = f"{module_name}.{shown}"
        home = inspect.getmodule(value) or module
        if inspect.isfunction(value):
            problems += _returns(value, home, where)
        elif isinstance(value, type) and issubclass(value, SQLModel):
            problems.append(f"{where} is a table")
        elif isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, BaseModel)):
            problems += _rows_in(value, set(), where)
            problems += _service_object(value, home, where)
        elif isinstance(value, type) and not issubclass(value, BaseException):
            problems += _service_object(value, home, where)
    return problems


def test_the_interfaces_import_from_the_services() -> None:
    """The walk below has something to walk (the desk, the debtor file, the settings...)."""
    names = {name for _module, name in _imported_from_services()}
    assert {"Desk", "debtor_file", "find_debtor", "get_settings", "CallSession"} <= names


def test_no_database_row_comes_back_from_a_service_the_interfaces_call() -> None:
    problems = [
        f"{problem} (imported at {', '.join(sorted(set(places))[:2])})"
        for (module, name), places in sorted(_imported_from_services().items())
        for problem in _problems(module, name)
    ]
    assert not problems, "\n".join(problems)


@dataclasses.dataclass(frozen=True)
class _Leaky:
    invoices: list[Invoice | None]


def _leaky() -> tuple[_Leaky, ...]:
    return ()


def test_the_walk_finds_a_row_where_one_hides() -> None:
    """The check itself can fail: a row inside a frozen record inside a list is found."""
    [found] = _returns(_leaky, inspect.getmodule(_leaky), "leaky")
    assert found == "leaky.invoices -> callcoach.db.tables.Invoice"


def _rows_among(value: Any, path: str, seen: set[int]) -> list[str]:
    """Database rows reachable from a value the desk handed out."""
    if id(value) in seen or isinstance(value, str | bytes | int | float | bool | type(None)):
        return []
    seen.add(id(value))
    if isinstance(value, SQLModel):
        return [f"{path}: {type(value).__name__}"]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif isinstance(value, BaseModel):
        parts = dict(value)
    elif isinstance(value, dict):
        parts = {str(k): v for k, v in value.items()}
    elif isinstance(value, list | tuple | set | frozenset):
        parts = {str(i): v for i, v in enumerate(value)}
    else:
        return []
    return [row for name, part in parts.items() for row in _rows_among(part, f"{path}.{name}", seen)]


def test_the_desk_hands_out_no_row_on_the_demo_ledger(tmp_path: Path) -> None:
    """The same, seen at run time: what the desk's screens read for a demo debtor, and the
    call they start and end, holds values only."""
    from callcoach.domain.clock import Clock
    from callcoach.domain.kinds import Outcome
    from callcoach.domain.outcomes import OutcomeEntry
    from callcoach.services.desk import Desk
    from callcoach.services.store import open_ledger
    from tests.conftest import TODAY
    from tests.safety.helpers import demo_ledger

    desk = Desk(open_ledger(demo_ledger(tmp_path)), clock=Clock.fixed(TODAY), lang="fr")
    [first, *_] = desk.call_list(settle=False)
    view = desk.debtor_view(first.debtor_id)
    call = desk.start_call(first.debtor_id, None)
    ended = desk.end_call(call.id, OutcomeEntry(outcome=Outcome.WRONG_PERSON), notes="n", stage="close", excuses=[])
    handed = {
        "view": view,
        "settings": desk.settings(),
        "call": call,
        "ended": ended,
        "timeline": desk.timeline(first.debtor_id),
        "day": desk.day_figures(),
    }
    assert view.file.invoices and view.file.contacts  # a real file was read
    assert _rows_among(handed, "desk", set()) == []
