"""How a contact is named aloud and in writing: « Monsieur Chevalier », "Ms Roux", or the full name.

A French collector never says « Je suis bien avec Alain Chevalier ? »: with a known civility
the contact is « Monsieur Chevalier »; without one, the full name is the polite default. A
civility typed in front of an imported name (« M. Alain Chevalier ») counts as one.
"""

from __future__ import annotations

from callcoach.domain.kinds import Civility

# Titles a name may start with, as people type them; matched without case or trailing dot.
_PREFIXES: dict[str, Civility] = {
    "m": Civility.MR,
    "mr": Civility.MR,
    "monsieur": Civility.MR,
    "mme": Civility.MRS,
    "madame": Civility.MRS,
    "mrs": Civility.MRS,
    "ms": Civility.MRS,
    "mlle": Civility.MRS,
}

_SPOKEN = {
    "fr": {Civility.MR: "Monsieur", Civility.MRS: "Madame"},
    "en": {Civility.MR: "Mr", Civility.MRS: "Ms"},
}


def split_civility(name: str) -> tuple[Civility, str]:
    """``"M. Alain Chevalier"`` -> ``(MR, "Alain Chevalier")``; a name without a title is kept whole."""
    words = name.split()
    if len(words) >= 2:
        found = _PREFIXES.get(words[0].rstrip(".").lower())
        if found is not None:
            return found, " ".join(words[1:])
    return Civility.NONE, " ".join(words)


def civility_of(name: str, stored: str | None) -> tuple[Civility, str]:
    """The civility recorded for the contact, else the one written in front of the name."""
    title, bare = split_civility(name)
    if stored in (Civility.MR, Civility.MRS):
        return Civility(stored), bare
    return title, bare


def addressed(name: str, stored: str | None, lang: str) -> str:
    """The contact as the collector says and writes it: civility and last name, or the full name.

    With a civility, the last word is taken as the family name (« Alain Chevalier » ->
    « Monsieur Chevalier »); a compound family name is kept when the contact's name holds
    only it (« Madame de La Tour »)."""
    title, bare = civility_of(name, stored)
    if title == Civility.NONE or not bare:
        return bare
    words = bare.split()
    family = " ".join(words[1:]) if len(words) >= 2 and _starts_particle(words[1:]) else words[-1]
    return f"{_SPOKEN.get(lang, _SPOKEN['en'])[title]} {family}"


def _starts_particle(words: list[str]) -> bool:
    return bool(words) and words[0].lower() in {"de", "du", "des", "van", "von", "le", "la", "d'"}
