"""The two renderings of an issued document (a `coworking.invoicing.document.Document`):

- `render_pdf`: the PDF for people that is also a Factur-X / ZUGFeRD invoice (profile
  EN 16931): PDF/A-3b with the CII XML embedded as `factur-x.xml`;
- `render_xrechnung`: the XRechnung 3.0 in CII syntax, for public-sector buyers.

Both XMLs come from one builder and differ only in the specification identifier (BT-24): the
embedded one names the EN 16931 core, as the Factur-X profile requires, and otherwise meets
every XRechnung rule too (buyer reference, seller contact, electronic addresses, business
process), so the only finding the XRechnung schematron reports on it is the warning
BR-DE-21 ("BT-24 should name XRechnung").
"""
import facturx

from coworking.invoicing.formats.cii import EN16931, XRECHNUNG, cii_document
from coworking.invoicing.formats.layout import invoice_pdf
from coworking.invoicing.formats.pdfa import with_matching_metadata
from coworking.invoicing.formats.wording import TITLES, german_date

# drafthorse checks every XML against the Factur-X EN 16931 schema as it writes it.
SCHEMA = "FACTUR-X_EN16931"


def render_xrechnung(document):
    """The XRechnung (CII, UTF-8) of `document`."""
    return cii_document(document, guideline=XRECHNUNG).serialize(schema=SCHEMA)


def factur_x_xml(document):
    """The XML the PDF embeds as factur-x.xml."""
    return cii_document(document, guideline=EN16931).serialize(schema=SCHEMA)


def render_pdf(document):
    """The Factur-X PDF of `document`."""
    title = f"{TITLES[document.kind]} {document.number}"
    metadata = {
        "author": document.seller.legal_name,
        "title": title,
        "subject": f"{title} vom {german_date(document.issued_on)} von "
                   f"{document.seller.legal_name} an "
                   f"{document.buyer.company or document.buyer.name}",
    }
    return with_matching_metadata(facturx.generate_from_binary(
        invoice_pdf(document), factur_x_xml(document), flavor="factur-x", level="en16931",
        check_xsd=False, pdf_metadata=metadata, lang="de-DE", xmp_compression=False))
