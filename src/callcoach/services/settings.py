"""The collector's own details and rules, kept with the ledger (one row)."""

from __future__ import annotations

from sqlmodel import Session

from callcoach.db.tables import CollectorSettings
from callcoach.services.converters import as_record
from callcoach.services.errors import UserError
from callcoach.services.records import SettingsRecord

EDITABLE = (
    "collector_name",
    "company",
    "phone",
    "email",
    "iban",
    "bic",
    "language",
    "default_payment_term_days",
    "first_reminder_days",
    "second_reminder_days",
    "formal_notice_days",
    "small_debt_cents",
    "promise_grace_days",
    "plan_max_months",
    "double_call_hours",
    "retention_years",
    "late_rule",
    "contract_rate",
)

# What the first start asks for: who calls, for whom, where the money goes, in which
# language, and which late-payment law applies (domain 4.1, 5.3, 6).
SETUP_FIELDS = ("collector_name", "company", "email", "iban", "language", "late_rule")
LATE_RULES = ("fr", "be", "none")


def needs_setup(settings: SettingsRecord) -> bool:
    """The script introduces the collector by name and company (domain 4.1): without them
    the first start asks."""
    return not (settings.collector_name.strip() and settings.company.strip())


def set_settings(session: Session, values: dict[str, str]) -> SettingsRecord:
    """Several settings at once, all or none: the first bad value stops the transaction."""
    settings = get_settings(session)
    for name, value in values.items():
        settings = set_setting(session, name, value)
    return settings


def get_settings(session: Session) -> SettingsRecord:
    """The settings in force, written with their defaults on a new ledger."""
    return as_record(SettingsRecord, _settings_row(session))


def _settings_row(session: Session) -> CollectorSettings:
    settings = session.get(CollectorSettings, 1)
    if settings is None:
        from callcoach.db.engine import is_read_only

        settings = CollectorSettings(id=1)
        if is_read_only(session.get_bind()):
            return settings  # the defaults, not written to a file that cannot take them
        session.add(settings)
        session.flush()
    return settings


def settings_in_force(session: Session) -> SettingsRecord:
    """The settings, or the defaults, read without writing (a read-only ledger stays so)."""
    return as_record(SettingsRecord, session.get(CollectorSettings, 1) or CollectorSettings())


def late_rule(session: Session) -> str:
    """The late-payment rule in force, read without writing the settings row."""
    settings = session.get(CollectorSettings, 1)
    return settings.late_rule if settings is not None else CollectorSettings().late_rule


def set_setting(session: Session, name: str, value: str) -> SettingsRecord:
    if name not in EDITABLE:
        raise UserError(
            "unknown setting {name!r} (settings: {names})",
            code="setting_unknown",
            name=name,
            names=", ".join(EDITABLE),
        )
    settings = _settings_row(session)
    current = getattr(settings, name)
    if isinstance(current, int):
        if not value.strip().isdigit():
            raise UserError(
                "{name} takes a whole number, not {value!r}", code="setting_not_whole_number", name=name, value=value
            )
        setattr(settings, name, int(value))
    else:
        if name == "iban" and value.strip():
            from callcoach.domain.iban import iban_is_valid, normalise_iban

            if not iban_is_valid(value):
                raise UserError(
                    "{value!r} is not a valid IBAN (its mod-97 check fails or its form is wrong)",
                    code="iban_invalid",
                    value=value,
                )
            value = normalise_iban(value)
        if name == "late_rule" and value not in LATE_RULES:
            raise UserError("late_rule is fr (French statutory), be (Belgian) or none", code="late_rule_unknown")
        if name == "contract_rate":
            value = check_contract_rate(value)
        if name == "language" and value not in ("fr", "en", ""):
            raise UserError("language is fr or en (or empty to follow the system)", code="language_unknown")
        setattr(settings, name, value.strip())
    session.add(settings)
    return as_record(SettingsRecord, settings)


def check_contract_rate(value: str) -> str:
    """The contractual rate checked against the legal floor (a late-costs rule, kept there)."""
    from callcoach.services.latecosts import check_contract_rate as check

    return check(value)
