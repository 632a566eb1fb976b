"""What the XML says: the business terms (BT-…) a buyer's system reads, for each tax mode,
for a credit note, and for the XRechnung against the XML embedded in the PDF."""
from lxml import etree

from coworking.invoicing.formats import factur_x_xml, render_xrechnung
from tests.invoicing.documents import credit_note_for, make_buyer, make_document, make_seller

NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
      "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"}
SELLER = "//ram:SellerTradeParty"
BUYER = "//ram:BuyerTradeParty"
TOTALS = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def parsed(xml):
    return etree.fromstring(xml)


def texts(tree, path):
    return [node.text for node in tree.xpath(path, namespaces=NS)]


def text(tree, path):
    found = texts(tree, path)
    assert len(found) == 1, (path, found)
    return found[0]


def schemes(tree, party):
    return {node.get("schemeID"): node.text
            for node in tree.xpath(f"{party}/ram:SpecifiedTaxRegistration/ram:ID", namespaces=NS)}


def test_the_two_xmls_differ_only_in_the_specification_identifier():
    document = make_document()
    xrechnung, embedded = render_xrechnung(document), factur_x_xml(document)
    assert text(parsed(xrechnung), "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") \
        == "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    assert text(parsed(embedded), "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") \
        == "urn:cen.eu:en16931:2017"
    assert xrechnung.replace(b"#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", b"") == embedded


def test_an_invoice_names_parties_contacts_process_and_period():
    tree = parsed(render_xrechnung(make_document()))
    assert text(tree, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") \
        == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert text(tree, "//rsm:ExchangedDocument/ram:ID") == "MOELLN-2026-00001"
    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert text(tree, "//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") \
        == "20261207"
    assert text(tree, f"{SELLER}/ram:Name") == "Stadt Mölln"
    assert text(tree, f"{SELLER}/ram:DefinedTradeContact/ram:PersonName") == "Ingo Schäper"
    assert text(tree, f"{SELLER}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication"
                      "/ram:CompleteNumber") == "+49 4542 803-0"
    assert text(tree, f"{SELLER}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication"
                      "/ram:URIID") == "rechnung@moelln.example.org"
    assert text(tree, f"{SELLER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']") \
        == "rechnung@moelln.example.org"
    assert text(tree, f"{BUYER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']") \
        == "jana@example.org"
    assert text(tree, f"{SELLER}/ram:PostalTradeAddress/ram:CityName") == "Mölln"
    assert text(tree, f"{BUYER}/ram:Name") == "Jana Beispiel"
    assert text(tree, f"{BUYER}/ram:ID") == "M-000042"
    assert schemes(tree, SELLER) == {"FC": "22/293/12345", "VA": "DE811234566"}
    assert texts(tree, "//ram:BillingSpecifiedPeriod//udt:DateTimeString") \
        == ["20261207", "20270604"]


def test_the_buyer_reference_is_the_leitweg_id_or_else_the_member_number():
    with_leitweg_id = make_document(buyer=make_buyer(buyer_reference="01053000-12345-67"))
    for document, expected in ((make_document(), "M-000042"),
                               (with_leitweg_id, "01053000-12345-67")):
        for xml in (render_xrechnung(document), factur_x_xml(document)):
            assert text(parsed(xml), "//ram:ApplicableHeaderTradeAgreement/ram:BuyerReference") \
                == expected


def test_amounts_are_paid_in_full_and_nothing_is_due():
    tree = parsed(render_xrechnung(make_document(
        lines=[("Tagespass", 2, 1500), ("10er-Karte", 1, 12000)])))
    assert texts(tree, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") \
        == ["25.21", "100.84"]
    assert text(tree, f"{TOTALS}/ram:LineTotalAmount") == "126.05"
    assert text(tree, f"{TOTALS}/ram:TaxBasisTotalAmount") == "126.05"
    assert text(tree, f"{TOTALS}/ram:TaxTotalAmount[@currencyID='EUR']") == "23.95"
    assert text(tree, f"{TOTALS}/ram:GrandTotalAmount") == "150.00"
    assert text(tree, f"{TOTALS}/ram:TotalPrepaidAmount") == "150.00"
    assert text(tree, f"{TOTALS}/ram:DuePayableAmount") == "0.00"
    assert texts(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") \
        == ["25.21", "100.84"]
    assert texts(tree, "//ram:NetPriceProductTradePrice/ram:BasisQuantity") == ["2"]
    assert texts(tree, "//ram:BilledQuantity[@unitCode='C62']") == ["2", "1"]
    assert "Bezahlt am 07.12.2026" in text(tree, "//ram:SpecifiedTradePaymentTerms/ram:Description")


def test_each_tax_mode_has_its_vat_category():
    standard = parsed(render_xrechnung(make_document()))
    assert texts(standard, "//ram:ApplicableTradeTax/ram:CategoryCode") == ["S", "S"]
    assert texts(standard, "//ram:ApplicableTradeTax/ram:RateApplicablePercent") \
        == ["19.00", "19.00"]
    assert texts(standard, "//ram:ApplicableTradeTax/ram:ExemptionReason") == []

    small = parsed(render_xrechnung(make_document(tax_mode="small_business")))
    assert texts(small, "//ram:ApplicableTradeTax/ram:CategoryCode") == ["E", "E"]
    assert "§ 19 Abs. 1 UStG" in text(small, "//ram:ApplicableTradeTax/ram:ExemptionReason")
    assert text(small, f"{TOTALS}/ram:TaxTotalAmount") == "0.00"

    public = parsed(render_xrechnung(make_document(tax_mode="exempt_public")))
    assert texts(public, "//ram:ApplicableTradeTax/ram:CategoryCode") == ["O", "O"]
    assert text(public, "//ram:ApplicableTradeTax/ram:ExemptionReasonCode") == "VATEX-EU-O"
    assert "§ 2b UStG" in text(public, "//ram:ApplicableTradeTax/ram:ExemptionReason")
    # Not subject to VAT: no rate on the line, 0 in the breakdown (XRechnung's BR-DE-14).
    assert texts(public, "//ram:ApplicableTradeTax/ram:RateApplicablePercent") == ["0.00"]


def test_a_document_not_subject_to_vat_names_no_vat_id_but_identifies_the_seller():
    tree = parsed(render_xrechnung(make_document(
        tax_mode="exempt_public", buyer=make_buyer(company="Muster GmbH", vat_id="DE111111125"))))
    assert schemes(tree, SELLER) == {"FC": "22/293/12345"}
    assert schemes(tree, BUYER) == {}
    assert text(tree, f"{SELLER}/ram:ID") == "22/293/12345"


def test_a_small_business_without_vat_id_gives_a_seller_identifier():
    tree = parsed(render_xrechnung(make_document(
        seller=make_seller(tax_mode="small_business", vat_id=""))))
    assert schemes(tree, SELLER) == {"FC": "22/293/12345"}
    assert text(tree, f"{SELLER}/ram:ID") == "22/293/12345"
    with_vat_id = parsed(render_xrechnung(make_document(tax_mode="small_business")))
    assert texts(with_vat_id, f"{SELLER}/ram:ID") == []


def test_a_credit_note_is_type_381_with_positive_amounts_and_names_the_invoice():
    credit_note = credit_note_for(make_document())
    assert credit_note.gross_cents == -12000
    tree = parsed(render_xrechnung(credit_note))
    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert text(tree, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") \
        == "MOELLN-2026-00001"
    assert text(tree, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime"
                      "/qdt:DateTimeString") == "20261207"
    assert text(tree, f"{TOTALS}/ram:GrandTotalAmount") == "120.00"
    assert text(tree, f"{TOTALS}/ram:TaxTotalAmount") == "19.16"
    assert texts(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == ["100.84"]
    assert "erstattet" in text(tree, "//ram:SpecifiedTradePaymentTerms/ram:Description")


def test_payment_means_say_how_it_was_paid():
    for method, code, label in (("stripe", "68", "Kartenzahlung über Stripe"),
                                ("sepa_debit", "68", "SEPA-Lastschrift über Stripe"),
                                ("on_site", "1", "Zahlung vor Ort")):
        tree = parsed(render_xrechnung(make_document(method=method)))
        assert text(tree, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == code
        assert text(tree, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:Information") == label


def test_notes_and_a_company_buyers_contact_are_carried():
    tree = parsed(render_xrechnung(make_document(
        notes=["Danke für deinen Besuch!"],
        buyer=make_buyer(company="Muster GmbH", vat_id="DE111111125"))))
    assert texts(tree, "//rsm:ExchangedDocument/ram:IncludedNote/ram:Content") \
        == ["Danke für deinen Besuch!"]
    assert text(tree, f"{BUYER}/ram:Name") == "Muster GmbH"
    assert text(tree, f"{BUYER}/ram:DefinedTradeContact/ram:PersonName") == "Jana Beispiel"
    assert schemes(tree, BUYER) == {"VA": "DE111111125"}
