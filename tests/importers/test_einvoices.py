"""Every e-invoice sample, field by field, against values read from its XML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from callcoach.importers.einvoice import EInvoiceError, read_einvoice
from tests.importers.samples import shared_sample

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def sample(relative: str) -> Path:
    return shared_sample(relative)


# file, number, type, issue, due, due basis, currency, total, prepaid, due amount, buyer, identifiers
CASES = [
    (
        "cii/akretion_factur-x-minimum.xml",
        "F20260023",
        "invoice",
        date(2026, 1, 31),
        date(2026, 3, 2),
        "estimated",
        "EUR",
        10490,
        0,
        10490,
        "LE CLIENT",
        ["987654321"],
    ),
    (
        "cii/cen_CII_example2_NOK.xml",
        "TOSL108",
        "invoice",
        date(2013, 6, 30),
        date(2013, 7, 20),
        "stated",
        "NOK",
        180178,
        100000,
        80178,
        "The Buyercompany",
        ["987654321", "NO987654321MVA"],
    ),
    (
        "cii/cen_huf_example_cii.xml",
        "21/001003559/996",
        "invoice",
        date(2021, 10, 5),
        date(2021, 11, 1),
        "stated",
        "HUF",
        8785900,
        0,
        8785900,
        "HIL Heeresinstandsetzungslogistik GmbH",
        ["DE242688168"],
    ),
    (
        "cii/drafthorse_zugferd_2p3_EN16931_Einfach_DueDate.xml",
        "471102",
        "invoice",
        date(2024, 11, 15),
        date(2024, 12, 15),
        "stated",
        "EUR",
        52987,
        0,
        52987,
        "Kunden AG Mitte",
        [],
    ),
    (
        "cii/drafthorse_zugferd_2p3_EN16931_Rechnungskorrektur.xml",
        "RK21012345",
        "corrective",
        date(2024, 11, 15),
        date(2024, 11, 15),
        "estimated",
        "EUR",
        -879,
        0,
        -879,
        "MUSTER-KUNDE GMBH",
        [],
    ),
    (
        "facturx/akretion_invoice_EN16931.pdf",
        "F20260023",
        "invoice",
        date(2026, 1, 31),
        date(2026, 3, 2),
        "stated",
        "EUR",
        10490,
        0,
        10490,
        "LE CLIENT",
        ["987654321", "FR 05 987 654 321"],
    ),
    (
        "facturx/mustang_EN16931_Einfach.pdf",
        "471102",
        "invoice",
        date(2024, 11, 15),
        date(2024, 12, 15),
        "terms",
        "EUR",
        52987,
        0,
        52987,
        "Kunden AG Mitte",
        [],
    ),
    (
        "facturx/mustang_EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf",
        "47110815",
        "invoice",
        date(2025, 12, 1),
        date(2025, 12, 31),
        "stated",
        "GBP",
        102191,
        50000,
        52191,
        "Metallbau Leipzig GmbH & Co. KG",
        [],
    ),
    (
        "facturx/mustang_Facture_F20180027.pdf",
        "F20180027",
        "invoice",
        date(2018, 12, 31),
        date(2019, 1, 30),
        "stated",
        "EUR",
        11000,
        1000,
        10000,
        "LE CLIENT",
        ["98765432100029", "FR 05 987 654 321"],
    ),
    (
        "facturx/mustang_validAvoir_FR_type380_BASICWL.pdf",
        "AV-2017-0005",
        "credit_note",
        date(2017, 11, 16),
        date(2017, 11, 16),
        "stated",
        "EUR",
        -23347,
        0,
        -23347,
        "Ma jolie boutique",
        ["78787878400035", "FR19787878784"],
    ),
    (
        "ubl/akretion_ubl-21-en16931.xml",
        "F124212",
        "invoice",
        date(2026, 6, 17),
        date(2026, 7, 16),
        "stated",
        "EUR",
        30803,
        10000,
        20803,
        "Ma jolie Trading Brand",
        ["787878784", "FR19787878784"],
    ),
    (
        "ubl/cen_issue116_SEK_penalty_interest.xml",
        "2018210",
        "invoice",
        date(2018, 2, 8),
        date(2018, 3, 7),
        "stated",
        "SEK",
        83000,
        0,
        83000,
        "Project services AB",
        ["1234512345", "SE123451234501"],
    ),
    (
        "ubl/cen_ubl-tc434-creditnote1_BE.xml",
        "018304 / 28865",
        "credit_note",
        date(2019, 9, 23),
        date(2019, 9, 23),
        "estimated",
        "EUR",
        -10011,
        0,
        -10011,
        "My Customer Company S.A.",
        ["0000000295", "BE0000000295"],
    ),
    (
        "ubl/cen_ubl-tc434-example8_NL_statutory_interest.xml",
        "1100512149",
        "invoice",
        date(2014, 11, 10),
        date(2014, 11, 24),
        "stated",
        "EUR",
        109978,
        0,
        109978,
        "Klant",
        [],
    ),
]


@pytest.mark.parametrize(
    (
        "relative",
        "number",
        "kind",
        "issue",
        "due",
        "basis",
        "currency",
        "total",
        "prepaid",
        "due_amount",
        "buyer",
        "ids",
    ),
    CASES,
)
def test_sample_fields(
    relative: str,
    number: str,
    kind: str,
    issue: date,
    due: date,
    basis: str,
    currency: str,
    total: int,
    prepaid: int,
    due_amount: int,
    buyer: str,
    ids: list[str],
) -> None:
    invoice = read_einvoice(sample(relative))
    assert (invoice.number, invoice.doc_type, invoice.issue_date, invoice.due_date, invoice.due_basis) == (
        number,
        kind,
        issue,
        due,
        basis,
    )
    assert (invoice.currency, invoice.total_cents, invoice.prepaid_cents, invoice.due_cents) == (
        currency,
        total,
        prepaid,
        due_amount,
    )
    assert (invoice.buyer_name, invoice.buyer_ids) == (buyer, ids)


def test_contacts_references_and_copy() -> None:
    pdf = read_einvoice(sample("facturx/akretion_invoice_EN16931.pdf"))
    assert (pdf.contact, pdf.phone, pdf.email) == ("Buyer contact name", "01 01 25 45 87", "buyer@buyer.com")
    assert (pdf.buyer_reference, pdf.po_number, pdf.payment_reference) == ("SERVEXEC", "PO201925478", "F20260023BUYER")
    assert pdf.seller_iban == "FR2012542547256985425874698" and pdf.warnings == []
    assert pdf.copy_path == str(sample("facturx/akretion_invoice_EN16931.pdf").resolve())
    ubl = read_einvoice(sample("ubl/akretion_ubl-21-en16931.xml"))
    assert (ubl.contact, ubl.phone, ubl.email) == (
        "Mme Laëtitia Durand",
        "+33 7 42 12 42 12",
        "laetita.durand@jolieboutique.com",
    )
    assert (ubl.buyer_reference, ubl.po_number, ubl.terms) == ("120943", "PO1242", "30 jours net")
    nok = read_einvoice(sample("cii/cen_CII_example2_NOK.xml"))
    assert (nok.contact, nok.phone, nok.email, nok.po_number) == ("John Doe", "5121230", "john@buyercompany.no", "123")
    assert "Anytown" in (nok.address or "")


def test_an_iban_failing_its_check_is_reported() -> None:
    invoice = read_einvoice(sample("facturx/mustang_Facture_F20180027.pdf"))
    assert [str(w) for w in invoice.warnings] == [
        f"{sample('facturx/mustang_Facture_F20180027.pdf')}: the seller IBAN FR7612542547256985425874698 "
        "fails its check (mod 97)"
    ]


def test_due_date_before_issue_date_is_refused() -> None:
    with pytest.raises(EInvoiceError, match=r"due date 10/05/2013 is before the issue date 25/08/2013"):
        read_einvoice(sample("cii/cen_CII_business_example_02_due_before_issue.xml"))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol3;</rsm:CrossIndustryInvoice>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&xxe;</Invoice>"""


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (BILLION_LAUGHS, "laughs.xml", "refused: the XML declares entities"),
        (XXE, "xxe.xml", "refused: the XML declares entities"),
        (b"<html><body>hello</body></html>", "page.xml", "not a CII or UBL invoice"),
        (b"<Invoice", "broken.xml", "not well-formed XML"),
        (b"this is not a pdf", "fake.pdf", "not a PDF file"),
    ],
)
def test_hostile_and_broken_files_are_refused(tmp_path: Path, content: bytes, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EInvoiceError, match=reason):
        read_einvoice(path)


def test_a_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = sample("facturx/mustang_EN16931_Einfach.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(EInvoiceError, match=r"(not a readable PDF|without Factur-X data)"):
        read_einvoice(path)


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(sample("facturx/mustang_EN16931_Einfach.pdf")))
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(EInvoiceError, match="encrypted"):
        read_einvoice(path)


def test_a_pdf_with_only_other_attachments(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("../../etc/evil.xml", b"<x/>")
    path = tmp_path / "other.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(EInvoiceError, match=r"a PDF without Factur-X data \(embedded files: \.\./\.\./etc/evil\.xml\)"):
        read_einvoice(path)
    assert not (tmp_path.parent / "etc").exists()
