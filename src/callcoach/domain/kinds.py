"""The closed vocabularies of the ledger, stored as plain strings so SQL stays portable."""

from enum import StrEnum


class OrgKind(StrEnum):
    """Who pays decides whom to ask for (domain 2.8)."""

    LARGE_ACCOUNT = "large_account"
    PUBLIC_BODY = "public_body"
    MULTI_SITE = "multi_site"
    SMALL_COMPANY = "small_company"
    INDIVIDUAL = "individual"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    DISPUTED = "disputed"
    CANCELLED = "cancelled"


class Authority(StrEnum):
    """Whether a contact can actually release the payment (domain 2.1)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """What a call ended with; drives what happens next."""

    PROMISE = "promise"
    PLAN = "plan"
    DISPUTE = "dispute"
    CALLBACK = "callback"
    WRONG_PERSON = "wrong_person"
    NO_ANSWER = "no_answer"
    REFUSED = "refused"
    ALREADY_PAID = "already_paid"
    GATEKEEPER = "gatekeeper"  # someone else answered: a slot to reach the person is taken
    VOICEMAIL = "voicemail"


class NonPaymentReason(StrEnum):
    """Why the client has not paid, learned on the first call (domain 7.2); the objective follows."""

    CASH_STRAIN = "cash_strain"
    OVERSIGHT = "oversight"
    DISPUTE = "dispute"
    PROCESS_FAULT = "process_fault"
    BAD_FAITH = "bad_faith"


class NextStep(StrEnum):
    """How a call without agreement still closes on a dated step (domain 7.6)."""

    CALLBACK = "callback"
    WRITTEN_REMINDER = "written_reminder"
    FORMAL_NOTICE = "formal_notice"
    LEGAL_ACTION = "legal_action"
    STOP_DELIVERIES = "stop_deliveries"


class Civility(StrEnum):
    """How a contact is addressed: « Monsieur Chevalier », « Madame Roux », or by full name."""

    MR = "mr"
    MRS = "mrs"
    NONE = ""


class PromiseStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELLED = "cancelled"


class DisputeStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class FollowUpKind(StrEnum):
    CALLBACK = "callback"
    CHECK_PAYMENT = "check_payment"
    SEND_DOCUMENT = "send_document"
    COMMITMENT = "commitment"
    CONSEQUENCE = "consequence"
    WRITTEN_REMINDER = "written_reminder"


class Consequence(StrEnum):
    """Steps announced to the client (domain 3.4): each must be carried out or withdrawn."""

    FORMAL_NOTICE = "formal_notice"
    LEGAL_ACTION = "legal_action"
    STOP_DELIVERIES = "stop_deliveries"


class Fault(StrEnum):
    """Process faults met during calls (domain 5.6)."""

    WRONG_ADDRESS = "wrong_address"
    MISSING_PO = "missing_po"
    MISSING_DOCUMENT = "missing_document"
    DISSATISFIED = "dissatisfied"


class PaymentMethod(StrEnum):
    TRANSFER = "transfer"
    CHEQUE = "cheque"
    CARD = "card"
    DIRECT_DEBIT = "direct_debit"
    CASH = "cash"
