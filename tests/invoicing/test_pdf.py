"""The PDF: it opens, says in German what § 14 (4) UStG asks for, and is a Factur-X invoice
(PDF/A-3b metadata, an output intent, embedded fonts, the EN 16931 XML as factur-x.xml).

veraPDF, the reference PDF/A validator, is a Java program that is not installed here, so
these tests check the parts of PDF/A-3 that can be read with pypdf; they do not replace it.
"""
import io
import re

import facturx
import pytest
from pypdf import PdfReader

from coworking.invoicing.formats import factur_x_xml, render_pdf
from tests.invoicing.documents import credit_note_for, make_buyer, make_document, make_seller

A4 = (595.28, 841.89)


def read(pdf):
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf):
    """The PDF's text, with runs of spaces (and the no-break space before €) made one."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in read(pdf).pages))


@pytest.fixture(scope="module")
def invoice():
    return make_document(
        lines=[("10er-Karte Mölln", 1, 12000), ("Tagespass", 2, 1500)],
        seller=make_seller(register="Amtsgericht Lübeck, HRB 1234"),
        buyer=make_buyer(company="Muster GmbH", vat_id="DE111111125",
                         buyer_reference="01053000-12345-67"))


@pytest.fixture(scope="module")
def invoice_pdf(invoice):
    return render_pdf(invoice)


def test_the_pdf_opens_as_one_a4_page(invoice_pdf):
    reader = read(invoice_pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.1)
    assert reader.metadata.title == "Rechnung MOELLN-2026-00001"
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"


def test_the_pdf_says_what_the_law_asks_for(invoice_pdf):
    text = text_of(invoice_pdf)
    for expected in (
            # seller, its tax number and VAT id, register, representative, bank details
            "Stadt Mölln", "Am Markt 12", "23879 Mölln", "Steuernummer: 22/293/12345",
            "USt-IdNr.: DE811234566", "Amtsgericht Lübeck, HRB 1234",
            "Vertreten durch: Ingo Schäper", "IBAN: DE02 1203 0000 0000 2020 51",
            "BIC: BYLADEM1001",
            # buyer, number, date, service period, the buyer's reference and VAT id
            "Muster GmbH", "Jana Beispiel", "Hauptstraße 5", "Rechnung MOELLN-2026-00001",
            "Datum 07.12.2026", "Leistungszeitraum 07.12.2026 – 04.06.2027",
            "Kundennummer M-000042", "Ihre Referenz 01053000-12345-67",
            "Ihre USt-IdNr. DE111111125",
            # lines: quantity, unit price, net, rate, VAT, gross
            "10er-Karte Mölln 1 120,00 € 100,84 € 19 % 19,16 € 120,00 €",
            "Tagespass 2 15,00 € 25,21 € 19 % 4,79 € 30,00 €",
            # net and VAT per rate, total, how and when it was paid
            "Summe netto 126,05 €", "USt 19 % auf 126,05 € 23,95 €", "Gesamtbetrag 150,00 €",
            "Bezahlt am 07.12.2026 (Kartenzahlung über Stripe)",
            "Seite 1 von 1"):
        assert expected in text, expected


@pytest.mark.parametrize("tax_mode, note", [
    ("small_business", "Steuerbefreiung für Kleinunternehmer nach § 19 Abs. 1 UStG"),
    ("exempt_public", "§ 2b UStG"),
])
def test_without_vat_the_pdf_shows_no_vat_and_says_why(tax_mode, note):
    text = text_of(render_pdf(make_document(tax_mode=tax_mode, method="on_site")))
    assert note in text
    assert "Gesamtbetrag 120,00 €" in text
    assert "19 %" not in text and "USt-Satz" not in text and "Summe netto" not in text
    assert "Bezahlt am 07.12.2026 (Zahlung vor Ort)" in text


def test_a_credit_note_names_the_invoice_it_corrects_and_shows_negative_amounts():
    text = text_of(render_pdf(credit_note_for(make_document())))
    assert "Rechnungskorrektur MOELLN-2026-00002" in text
    assert "Korrektur der Rechnung MOELLN-2026-00001 vom 07.12.2026" in text
    assert "Gesamtbetrag -120,00 €" in text
    assert "am 09.12.2026 erstattet" in text


def test_the_embedded_xml_is_the_factur_x_xml_of_the_document(invoice, invoice_pdf):
    filename, xml = facturx.get_xml_from_pdf(invoice_pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == factur_x_xml(invoice)
    root = read(invoice_pdf).trailer["/Root"]
    (filespec,) = [spec.get_object() for spec in root["/AF"]]
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"


def test_the_pdf_carries_pdf_a_3b_and_factur_x_metadata(invoice_pdf):
    reader = read(invoice_pdf)
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert "<fx:DocumentType>INVOICE</fx:DocumentType>" in xmp
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()  # the sRGB ICC profile


def test_every_font_is_embedded(invoice_pdf):
    reader = read(invoice_pdf)
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        (descendant,) = font["/DescendantFonts"]
        descriptor = descendant.get_object()["/FontDescriptor"].get_object()
        assert descriptor["/FontFile2"].get_object().get_data(), font["/BaseFont"]


def test_many_lines_run_onto_further_pages_each_with_the_sellers_details():
    lines = [(f"Tagespass {day:02d}.12.2026", 1, 1500) for day in range(1, 46)]
    pdf = render_pdf(make_document(lines=lines))
    reader = read(pdf)
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = re.sub(r"\s+", " ", page.extract_text())
        assert f"Seite {number} von {len(reader.pages)}" in text
        assert "Steuernummer: 22/293/12345" in text
    assert "Gesamtbetrag 675,00 €" in text_of(pdf)


def test_pdfs_rendered_one_after_another_each_show_their_own_text():
    """The parsed font is shared between renderings; its copies must not be."""
    first = render_pdf(make_document(buyer=make_buyer(name="Øystein Ærø")))
    second = render_pdf(make_document(buyer=make_buyer(name="Zoë Łukasiewicz")))
    assert "Øystein Ærø" in text_of(first) and "Zoë Łukasiewicz" not in text_of(first)
    assert "Zoë Łukasiewicz" in text_of(second) and "Øystein Ærø" not in text_of(second)
    assert "Øystein Ærø" in text_of(render_pdf(make_document(buyer=make_buyer(
        name="Øystein Ærø"))))


def test_a_buyer_abroad_gets_the_country_in_the_address():
    vienna = make_buyer().address.__class__(street="Ringstraße 1", postcode="1010",
                                            city="Wien", country="AT")
    text = text_of(render_pdf(make_document(buyer=make_buyer(address=vienna))))
    assert "1010 Wien ÖSTERREICH" in text


def test_a_name_the_typeface_cannot_draw_shows_a_mark_and_stays_whole_in_the_xml():
    document = make_document(buyer=make_buyer(name="山田 太郎", company="Café Ünal"))
    text = text_of(render_pdf(document))
    assert "Café Ünal" in text
    assert "\ufffd\ufffd \ufffd\ufffd" in text
    assert "山田 太郎" in factur_x_xml(document).decode("utf-8")


def test_a_seller_without_bank_details_prints_no_empty_bank_heading():
    text = text_of(render_pdf(make_document(seller=make_seller(iban="", bic="", bank_name=""))))
    assert "Bankverbindung" not in text and "IBAN" not in text
    assert "Steuernummer: 22/293/12345" in text


def test_the_document_information_equals_its_xmp_twins(invoice_pdf):
    """PDF/A: each entry of the information dictionary has an equal XMP property."""
    reader = read(invoice_pdf)
    info, xmp = reader.metadata, reader.xmp_metadata
    assert info.title == xmp.dc_title["x-default"] == "Rechnung MOELLN-2026-00001"
    assert [info.author] == xmp.dc_creator == ["Stadt Mölln"]
    assert info.subject == xmp.dc_description["x-default"]
    assert info.creator == xmp.xmp_creator_tool
    assert info.creation_date.replace(tzinfo=None) == xmp.xmp_create_date
    assert info.modification_date.replace(tzinfo=None) == xmp.xmp_modify_date
    assert set(info) == {"/Title", "/Author", "/Subject", "/Creator", "/CreationDate",
                         "/ModDate"}


def test_the_xmp_metadata_stream_is_plain_xml(invoice_pdf):
    """Readable by any PDF/A checker: PDF/A-1 forbade filtering it, later parts allow it."""
    metadata = read(invoice_pdf).trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in metadata
    assert (metadata["/Type"], metadata["/Subtype"]) == ("/Metadata", "/XML")
