"""PDF/A wants every entry of a PDF's document information dictionary to equal its twin in
the XMP metadata. factur-x writes the keywords to the dictionary only, and takes the
dictionary's and the XMP's dates one after the other, so they can fall into two seconds.
This pass (a few milliseconds) drops the keywords and takes the XMP's dates."""
import io

from pypdf import PdfWriter


def with_matching_metadata(pdf):
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    xmp = writer.xmp_metadata
    entries = {key: value for key, value in writer.metadata.items() if key != "/Keywords"}
    writer.metadata = entries | {"/CreationDate": _pdf_date(xmp.xmp_create_date),
                                 "/ModDate": _pdf_date(xmp.xmp_modify_date)}
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_date(utc):
    """A PDF date string of the XMP's (naive, UTC) datetime."""
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")
