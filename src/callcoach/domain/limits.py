"""How long an imported field may be, and how much of a value a message quotes.

An export is someone else's file: one unquoted 10 MB cell would otherwise become a
10-million-character debtor name that every list, screen and e-mail then carries. Each
field has a named limit, generous for real data; a longer value is refused with its line
and column like any other bad value. A message never quotes more than ``QUOTED`` characters
of what it read, so a 10 MB header line cannot become a 25 MB error message.
"""

from __future__ import annotations

from collections.abc import Iterable

from callcoach.domain.worded import Count, WordedError

# The longest value each imported field may hold, in characters.
FIELD_LIMITS: dict[str, int] = {
    "number": 64,  # an invoice number
    "customer": 300,  # a company or a person's name
    "contact": 200,
    "contact_role": 120,
    "phone": 40,
    "email": 254,  # the longest address SMTP allows
    "address": 1000,
    "identifier": 64,  # SIREN, SIRET, VAT number
    "po_number": 120,
    "product": 1000,
    "copy_path": 1000,
    "currency": 40,
    "status": 80,
    "kind": 80,
    "language": 40,
    "can_release_payment": 40,
    "payment_term_days": 80,
    "amount": 80,
    "paid": 80,
    "remaining": 80,
    "issue_date": 80,
    "due_date": 80,
}
OTHER_FIELD = 1000  # a field not named above
HEADER_CELL = 200  # a column title
HEADER_LINE = 20_000  # a whole header line (a hundred long column titles)
QUOTED = 60  # characters of a value a message shows


def limit_of(field: str) -> int:
    return FIELD_LIMITS.get(field, OTHER_FIELD)


def too_long(field: str, value: str) -> WordedError | None:
    """The reason a value is refused for its length, or None when it fits."""
    limit = limit_of(field)
    if len(value) <= limit:
        return None
    return WordedError(
        "too long: {length:,} characters (at most {most})", code="value_too_long", length=Count(len(value)), most=limit
    )


def over_limits(cells: Iterable[tuple[str, str]]) -> list[tuple[str, WordedError]]:
    """(field, reason) for each value over its field's limit."""
    found = []
    for field, value in cells:
        reason = too_long(field, value)
        if reason is not None:
            found.append((field, reason))
    return found


def header_too_long(line: str) -> WordedError | None:
    """The reason a header line is refused for its length (quoting only its start), or None."""
    if len(line) <= HEADER_LINE:
        return None
    return WordedError(
        "the header line is {length:,} characters long (at most {most:,}): {start}",
        code="header_line_too_long",
        length=Count(len(line)),
        most=Count(HEADER_LINE),
        start=quote(line),
    )


def quote(value: str, limit: int = QUOTED) -> str:
    """``value`` as a message quotes it: its start only when it is long, with its length."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"
