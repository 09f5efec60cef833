"""E-invoices: CII (also embedded in Factur-X / ZUGFeRD PDFs) and UBL 2.1 / Peppol.

XML is parsed with defusedxml: entity declarations and external references are refused
(billion laughs, XXE). A PDF's embedded XML is read by ``einvoice_pdf``, in a child process
with a time and memory limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from callcoach.domain.iban import iban_is_valid, normalise_iban
from callcoach.domain.text import clean_field, clean_multiline
from callcoach.domain.worded import Remark
from callcoach.importers.einvoice_pdf import EInvoiceError, pdf_embedded_xml

__all__ = ["EInvoice", "EInvoiceError", "parse_xml", "read_einvoice"]

CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "credit_note",
}
# UNTDID 1001 document types callcoach knows how to follow up.
TYPE_CODES = {
    "380": "invoice",
    "389": "invoice",
    "386": "invoice",
    "751": "invoice",
    "381": "credit_note",
    "261": "credit_note",
    "384": "corrective",
    "326": "invoice",
}
MAX_PDF_BYTES = 50 * 1024 * 1024


@dataclass
class EInvoice:
    path: Path
    format: str  # cii, ubl, facturx
    number: str
    doc_type: str
    issue_date: date
    due_date: date | None
    due_basis: str  # stated, terms, estimated
    currency: str
    total_cents: int
    prepaid_cents: int
    due_cents: int
    buyer_name: str
    buyer_ids: list[str] = field(default_factory=list)
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    buyer_reference: str | None = None
    po_number: str | None = None
    payment_reference: str | None = None
    seller_iban: str | None = None
    terms: str | None = None
    copy_path: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_einvoice(path: Path, *, default_term_days: int = 30) -> EInvoice:
    data = _read(path)
    if path.suffix.lower() == ".pdf" and not data.startswith(b"%PDF"):
        raise EInvoiceError("{path}: not a PDF file", code="not_pdf_file", path=path)
    if data.startswith(b"%PDF"):
        xml = pdf_embedded_xml(path)
        invoice = parse_xml(xml, path, default_term_days=default_term_days)
        invoice.format = "facturx"
        invoice.copy_path = str(path.resolve())
        return invoice
    return parse_xml(data, path, default_term_days=default_term_days)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise EInvoiceError(
                "{path}: {value} MB is too large for an invoice",
                code="mb_too_large_for_invoice",
                path=path,
                value=size // 1000000,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise EInvoiceError("{path}: no such file", code="no_such_file", path=path) from None
    except PermissionError:
        raise EInvoiceError("{path}: permission denied", code="permission_denied", path=path) from None


def parse_xml(data: bytes, path: Path, *, default_term_days: int = 30) -> EInvoice:
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise EInvoiceError(
            "{path}: refused: the XML declares entities or external references ({kind})",
            code="refused_xml_declares_entities_external",
            path=path,
            kind=type(exc).__name__,
        ) from None
    except SafeET.ParseError as exc:
        raise EInvoiceError(
            "{path}: not well-formed XML ({exc})", code="not_well_formed_xml", path=path, exc=exc
        ) from None
    except (LookupError, ValueError) as exc:  # an unknown encoding in the XML declaration, and the like
        raise EInvoiceError("{path}: unreadable XML ({exc})", code="xml_unreadable", path=path, exc=exc) from None
    if root.tag == f"{{{CII['rsm']}}}CrossIndustryInvoice":
        invoice = _cii(root, path, default_term_days)
    elif root.tag in UBL_ROOTS:
        invoice = _ubl(root, path, default_term_days, UBL_ROOTS[root.tag])
    else:
        raise EInvoiceError(
            "{path}: not a CII or UBL invoice (root element {tag!r})",
            code="not_cii_ubl_invoice_root",
            path=path,
            tag=root.tag,
        )
    _check(invoice)
    return invoice


def _text(node, path: str, ns: dict[str, str]) -> str | None:  # type: ignore[no-untyped-def]
    found = node.find(path, ns)
    if found is None or found.text is None:
        return None
    return clean_field(found.text) or None


def _cents(value: str | None, what: str, path: Path) -> int | None:
    if value is None:
        return None
    try:
        return int((Decimal(value.strip()) * 100).quantize(Decimal(1)))
    except InvalidOperation:
        raise EInvoiceError(
            "{path}: {what}: not an amount: {value!r}", code="einvoice_not_an_amount", path=path, what=what, value=value
        ) from None


def _day(value: str | None, what: str, path: Path) -> date | None:
    if not value:
        return None
    raw = value.strip()
    try:
        if re.fullmatch(r"\d{8}", raw):
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise EInvoiceError(
            "{path}: {what}: not a date: {raw!r}", code="einvoice_not_a_date", path=path, what=what, raw=raw
        ) from None


def _cii(root, path: Path, default_term_days: int) -> EInvoice:  # type: ignore[no-untyped-def]
    t = lambda p: _text(root, p, CII)  # noqa: E731
    type_code = t("rsm:ExchangedDocument/ram:TypeCode") or ""
    sums = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    buyer = ".//ram:BuyerTradeParty/"
    address = [
        t(buyer + f"ram:PostalTradeAddress/ram:{part}")
        for part in ("LineOne", "LineTwo", "PostcodeCode", "CityName", "CountryID")
    ]
    return _assemble(
        path,
        "cii",
        number=t("rsm:ExchangedDocument/ram:ID"),
        type_code=type_code,
        doc_type=None,
        issue=_day(t(".//ram:IssueDateTime/udt:DateTimeString"), "issue date", path),
        due=_day(t(".//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"), "due date", path),
        terms=t(".//ram:SpecifiedTradePaymentTerms/ram:Description"),
        currency=t(".//ram:InvoiceCurrencyCode"),
        total=_cents(t(sums + "ram:GrandTotalAmount"), "total", path),
        prepaid=_cents(t(sums + "ram:TotalPrepaidAmount"), "prepaid amount", path),
        due_amount=_cents(t(sums + "ram:DuePayableAmount"), "amount due", path),
        buyer=t(buyer + "ram:Name"),
        ids=[t(buyer + "ram:SpecifiedLegalOrganization/ram:ID"), t(buyer + "ram:SpecifiedTaxRegistration/ram:ID")],
        address=address,
        contact=t(buyer + "ram:DefinedTradeContact/ram:PersonName"),
        phone=t(buyer + "ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        email=t(buyer + "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID")
        or _email(t(buyer + "ram:URIUniversalCommunication/ram:URIID")),
        buyer_reference=t(".//ram:BuyerReference"),
        po=t(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        payment_reference=t(".//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference"),
        iban=t(".//ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
        default_term_days=default_term_days,
    )


def _ubl(root, path: Path, default_term_days: int, kind: str) -> EInvoice:  # type: ignore[no-untyped-def]
    t = lambda p: _text(root, p, UBL)  # noqa: E731
    party = "cac:AccountingCustomerParty/cac:Party/"
    type_code = t("cbc:InvoiceTypeCode") or t("cbc:CreditNoteTypeCode") or ("381" if kind == "credit_note" else "380")
    payable = _cents(t("cac:LegalMonetaryTotal/cbc:PayableAmount"), "amount due", path)
    total = _cents(t("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"), "total", path)
    address = [
        t(party + f"cac:PostalAddress/{part}")
        for part in (
            "cbc:StreetName",
            "cbc:AdditionalStreetName",
            "cbc:PostalZone",
            "cbc:CityName",
            "cac:Country/cbc:IdentificationCode",
        )
    ]
    return _assemble(
        path,
        "ubl",
        number=t("cbc:ID"),
        type_code=type_code,
        doc_type=kind if kind == "credit_note" else None,
        issue=_day(t("cbc:IssueDate"), "issue date", path),
        due=_day(t("cbc:DueDate") or t("cac:PaymentMeans/cbc:PaymentDueDate"), "due date", path),
        terms=t("cac:PaymentTerms/cbc:Note"),
        currency=t("cbc:DocumentCurrencyCode"),
        total=total,
        prepaid=_cents(t("cac:LegalMonetaryTotal/cbc:PrepaidAmount"), "prepaid amount", path),
        due_amount=payable,
        buyer=t(party + "cac:PartyName/cbc:Name") or t(party + "cac:PartyLegalEntity/cbc:RegistrationName"),
        ids=[t(party + "cac:PartyLegalEntity/cbc:CompanyID"), t(party + "cac:PartyTaxScheme/cbc:CompanyID")],
        address=address,
        contact=t(party + "cac:Contact/cbc:Name"),
        phone=t(party + "cac:Contact/cbc:Telephone"),
        email=_email(t(party + "cac:Contact/cbc:ElectronicMail")),
        buyer_reference=t("cbc:BuyerReference"),
        po=t("cac:OrderReference/cbc:ID"),
        payment_reference=t("cac:PaymentMeans/cbc:PaymentID"),
        iban=t("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
        default_term_days=default_term_days,
    )


def _email(value: str | None) -> str | None:
    return value if value and "@" in value else None


def _assemble(
    path: Path,
    fmt: str,
    *,
    number,
    type_code,
    doc_type,
    issue,
    due,
    terms,
    currency,
    total,
    prepaid,  # type: ignore[no-untyped-def]
    due_amount,
    buyer,
    ids,
    address,
    contact,
    phone,
    email,
    buyer_reference,
    po,
    payment_reference,
    iban,
    default_term_days,
) -> EInvoice:
    if not number:
        raise EInvoiceError("{path}: no invoice number", code="no_invoice_number", path=path)
    kind = doc_type or TYPE_CODES.get(type_code)
    if kind is None:
        raise EInvoiceError(
            "{path}: unknown document type {type_code!r} (invoice 380, credit note 381, corrective 384)",
            code="unknown_document_type_invoice_380",
            path=path,
            type_code=type_code,
        )
    if issue is None:
        raise EInvoiceError("{path}: no issue date", code="no_issue_date", path=path)
    if not buyer:
        raise EInvoiceError("{path}: no buyer name", code="no_buyer_name", path=path)
    if total is None and due_amount is None:
        raise EInvoiceError("{path}: no total or amount due", code="no_total_amount_due", path=path)
    total = total if total is not None else due_amount
    prepaid = prepaid or 0
    amount_due = due_amount if due_amount is not None else total - prepaid
    if kind == "credit_note" and total > 0:  # a credit note states positive amounts: it is money owed to the client
        total, prepaid, amount_due = -total, -prepaid, -amount_due
    if kind == "invoice" and total < 0:  # a credit note sent as an invoice with a negative total
        kind = "credit_note"
    basis = "stated"
    if due is None:
        due, basis = _due_from_terms(terms, issue), "terms"
        if due is None:
            due, basis = (issue if total < 0 else issue + timedelta(days=default_term_days)), "estimated"
    if due < issue:
        raise EInvoiceError(
            "{path}: due date {due:%d/%m/%Y} is before the issue date {issue:%d/%m/%Y}",
            code="due_date_before_issue_date",
            path=path,
            due=due,
            issue=issue,
        )
    invoice = EInvoice(
        path=path,
        format=fmt,
        number=number,
        doc_type=kind,
        issue_date=issue,
        due_date=due,
        due_basis=basis,
        currency=(currency or "EUR").upper(),
        total_cents=total,
        prepaid_cents=prepaid,
        due_cents=amount_due,
        buyer_name=buyer,
        buyer_ids=[i for i in ids if i],
        address=clean_multiline(", ".join(a for a in address if a)) or None,
        contact=contact,
        phone=phone,
        email=email,
        buyer_reference=buyer_reference,
        po_number=po,
        payment_reference=payment_reference,
        seller_iban=normalise_iban(iban) if iban else None,
        terms=terms,
    )
    if invoice.seller_iban and not iban_is_valid(invoice.seller_iban):
        invoice.warnings.append(
            Remark(
                "{path}: the seller IBAN {iban} fails its check (mod 97)",
                code="seller_iban_check",
                path=path,
                iban=invoice.seller_iban,
            )
        )
    return invoice


_TERMS_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_TERMS_DAYS = re.compile(r"(\d{1,3})\s*(?:jours|days|tagen|tage|dagar|dagen)", re.IGNORECASE)


def _due_from_terms(terms: str | None, issue: date) -> date | None:
    """ "Zahlbar … netto bis 15.12.2024", "PAIEMENT 30 JOURS NET": the due date the text gives."""
    if not terms:
        return None
    m = _TERMS_DATE.search(terms)
    if m:
        try:
            found = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if found >= issue:
                return found
        except ValueError:
            pass
    m = _TERMS_DAYS.search(terms)
    if m:
        return issue + timedelta(days=int(m.group(1)))
    return None


def _check(invoice: EInvoice) -> None:
    if len(invoice.currency) != 3 or not invoice.currency.isalpha():
        raise EInvoiceError(
            "{path}: not a currency code: {currency!r}",
            code="not_currency_code",
            path=invoice.path,
            currency=invoice.currency,
        )
