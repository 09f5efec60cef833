"""Cell values that mean the same thing in French and English exports."""

from __future__ import annotations

import re

from callcoach.domain.kinds import Authority, InvoiceStatus, OrgKind
from callcoach.domain.text import name_key

STATUS = {
    InvoiceStatus.OPEN: (
        "open",
        "unpaid",
        "due",
        "overdue",
        "late",
        "partial",
        "partially paid",
        "pending",
        "sent",
        "viewed",
        "authorised",
        "authorized",
        "approved",
        "awaiting payment",
        "awaiting",
        "financed",
        "envoye",
        "envoyee",
        "emise",
        "validee",
        "en cours",
        "a regler",
        "financee",
        "ouvert",
        "ouverte",
        "impaye",
        "impayee",
        "en attente",
        "a payer",
        "en retard",
        "partiel",
        "partiellement regle",
        "partiellement reglee",
        "partiellement payee",
    ),
    InvoiceStatus.PAID: (
        "paid",
        "settled",
        "closed",
        "paye",
        "payee",
        "regle",
        "reglee",
        "solde",
        "soldee",
        "acquitte",
        "acquittee",
    ),
    InvoiceStatus.DISPUTED: (
        "disputed",
        "dispute",
        "in dispute",
        "litige",
        "en litige",
        "contest",
        "contestee",
        "conteste",
        "litigieux",
    ),
    InvoiceStatus.CANCELLED: ("cancelled", "canceled", "void", "voided", "annule", "annulee", "written off"),
    # Never sent: nobody owes it yet. Skipped and counted, never called about.
    "draft": ("draft", "unsent", "not sent", "brouillon", "non envoye", "non envoyee", "proforma", "pro forma"),
}

KIND = {
    OrgKind.LARGE_ACCOUNT: (
        "large account",
        "large",
        "key account",
        "grand compte",
        "grands comptes",
        "grande entreprise",
    ),
    OrgKind.PUBLIC_BODY: (
        "public body",
        "public",
        "public sector",
        "organisme public",
        "collectivite",
        "administration",
        "secteur public",
        "etablissement public",
    ),
    OrgKind.MULTI_SITE: ("multi site", "multisite", "multi sites", "multi-site", "groupe multi sites"),
    OrgKind.SMALL_COMPANY: (
        "small company",
        "small business",
        "sme",
        "tpe",
        "pme",
        "petite entreprise",
        "artisan",
        "commercant",
    ),
    OrgKind.INDIVIDUAL: ("individual", "person", "private", "particulier", "personne physique"),
}

AUTHORITY = {
    Authority.YES: ("yes", "y", "true", "1", "x", "oui", "o", "vrai"),
    Authority.NO: ("no", "n", "false", "0", "non", "faux"),
    Authority.UNKNOWN: ("unknown", "?", "inconnu", "inconnue", "ne sait pas", "nsp", "a verifier", "à vérifier"),
}


def _index(table: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {name_key(word): str(value) for value, words in table.items() for word in words}


_STATUS = _index(STATUS)
_KIND = _index(KIND)
_AUTHORITY = _index(AUTHORITY)
_FIRST_NUMBER = re.compile(r"\d+")


def status(value: str) -> str | None:
    return _STATUS.get(name_key(value))


def kind(value: str) -> str | None:
    return _KIND.get(name_key(value))


def authority(value: str) -> str | None:
    return _AUTHORITY.get(name_key(value))


def term_days(value: str) -> int | None:
    """``30``, ``30 jours``, ``45 days end of month``: the number of days."""
    m = _FIRST_NUMBER.search(value)
    return int(m.group()) if m else None
