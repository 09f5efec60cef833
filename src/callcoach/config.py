"""Process settings: which database and which language, from flags, environment or a file.

The collector's own details (name, IBAN, thresholds) live in the database with the
ledger; this is only what must be known before the database is opened.
"""

from __future__ import annotations

import locale
import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

LANGUAGES = ("fr", "en")


def _config_file() -> Path:
    explicit = os.environ.get("CALLCOACH_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from callcoach.locations import config_dir

    return config_dir() / "config.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALLCOACH_", extra="ignore")

    db: str | None = None  # a ledger file, or a postgresql:// URL for a team's server
    lang: str | None = None
    collector: str | None = None  # who is at this window, on a team's ledger (CALLCOACH_COLLECTOR)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_starttls: bool = True
    smtp_password: str | None = None  # from CALLCOACH_SMTP_PASSWORD; never stored in the ledger

    @classmethod
    def settings_customise_sources(  # type: ignore[no-untyped-def]
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)


def system_language() -> str:
    """French when the system locale is French, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def resolve_language(explicit: str | None, ledger_setting: str | None = None) -> str:
    """--lang, then CALLCOACH_LANG or the config file, then the ledger's setting, then the system."""
    lang = (explicit or Settings().lang or ledger_setting or system_language()).lower()[:2]
    if lang not in LANGUAGES:
        refused = ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
        refused.lang = lang  # type: ignore[attr-defined]  # for the caller's own wording of it
        raise refused
    return lang
