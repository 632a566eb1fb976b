"""An operator whose invoice data is complete (what `Operator.missing_fields` asks for) can
issue documents that pass every rule, in every tax mode, with a tax number or a VAT id
alone: the "complete" of the admin pages and the rules of the e-invoice agree."""
import pytest

from coworking.invoicing.formats import factur_x_xml, render_pdf, render_xrechnung
from tests.invoicing import schematron
from tests.invoicing.documents import credit_note_for, make_document, seller_of

ONLY_REQUIRED = {"register": "", "bic": "", "bank_name": ""}


@pytest.mark.parametrize("tax_mode", ["standard", "small_business", "exempt_public"])
@pytest.mark.parametrize("identified_by", ["tax_number", "vat_id"])
def test_a_complete_operator_issues_valid_documents(make_operator, tax_mode, identified_by):
    other = "vat_id" if identified_by == "tax_number" else "tax_number"
    operator = make_operator(tax_mode=tax_mode, **ONLY_REQUIRED, **{other: ""})
    assert operator.is_complete
    invoice = make_document(seller=seller_of(operator))
    for document in (invoice, credit_note_for(invoice)):
        for xml in (render_xrechnung(document), factur_x_xml(document)):
            assert schematron.errors(xml) == []
        assert render_pdf(document).startswith(b"%PDF")
