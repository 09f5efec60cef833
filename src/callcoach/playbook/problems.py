"""What went wrong, in the collector's language, for every interface.

An error with a code (``callcoach.errors.UserError``) is worded from the ``[errors]`` table
of the language's ``ui.toml``, its values put in by name. Messages without one (the rules'
``field: reason`` lines) still go through the older table described below.

The rules (domain and parsers) say it in English, as ``field: reason`` with the typed value
quoted, so the CLI and the logs read the same everywhere. The screens pass each message
through the ``[problems]`` table of the language's ``ui.toml``: a field name and a reason
pattern, where ``{x}`` and ``{y}`` stand for the parts that vary. A message the table does not know
is shown as it is, never lost.
"""

from __future__ import annotations

import re
from functools import cache

from callcoach.domain.worded import FieldNames, Problem
from callcoach.playbook import Labels, load

PLACES = ("x", "y", "z")  # the varying parts a reason may have, in its English and its translation


@cache
def _table(lang: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]], str]:
    problems = load("ui", lang).get("problems", {})
    fields = {str(k): str(v) for k, v in problems.get("fields", {}).items()}
    reasons = [(_pattern(str(k)), str(v)) for k, v in problems.get("reasons", {}).items()]
    return fields, reasons, str(problems.get("separator", ": "))


def _pattern(reason: str) -> re.Pattern[str]:
    text = re.escape(reason)
    for name in PLACES:
        text = text.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)")
    return re.compile(text + "$")


def say(error: BaseException | Problem | str, labels: Labels) -> str:
    """The error in ``labels``' language: by its code when it has one the playbook words (an
    error among its values worded the same way), else part by part through the older table."""
    if isinstance(error, Problem):
        fields, _, separator = _table(labels.lang)
        return f"{fields.get(error.field, error.field)}{separator}{say(error.reason, labels)}"
    code = getattr(error, "code", "")
    if code:
        template = load("ui", labels.lang).get("errors", {}).get(code)
        if isinstance(template, str):
            values = {name: _said(value, labels) for name, value in getattr(error, "values", {}).items()}
            try:
                return template.format(**values)
            except (KeyError, IndexError, ValueError, AttributeError):
                pass  # a user's own wording naming an unknown value: the English line, never lost
    parts = str(error).split("; ")
    if len(parts) == 1:
        return in_language(parts[0], labels)
    joiner = str(load("ui", labels.lang).get("problems", {}).get("joiner", "; "))
    return joiner.join(in_language(part, labels) for part in parts)


def _said(value: object, labels: Labels) -> object:
    """A value of an error in the reader's language: a nested error, an amount (``Sum``), the
    import fields a header lacks (``FieldNames``, by the ``[import_fields]`` table)."""
    if isinstance(value, FieldNames):
        names = load("commands", labels.lang).get("import_fields", {})
        return value.named({str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {})
    if isinstance(value, BaseException | Problem):
        return say(value, labels)
    if isinstance(value, list) and value and all(isinstance(v, BaseException | Problem) for v in value):
        joiner = str(load("ui", labels.lang).get("problems", {}).get("joiner", "; "))
        return joiner.join(say(v, labels) for v in value)
    said = getattr(value, "said", None)
    return said(labels.lang) if callable(said) else value


def in_language(text: str | BaseException | Problem, labels: Labels) -> str:
    if isinstance(text, BaseException | Problem):
        return say(text, labels)
    fields, reasons, separator = _table(labels.lang)
    if not fields and not reasons:
        return text
    field, sep, reason = text.partition(": ")
    if not sep or field not in fields:
        field, reason = "", text
    for pattern, template in reasons:
        match = pattern.match(reason)
        if match:
            reason = template
            for name, value in match.groupdict().items():
                reason = reason.replace("{" + name + "}", value)
            break
    return f"{fields[field]}{separator}{reason}" if field else reason
