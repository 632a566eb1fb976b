"""The invoice as people read it: one A4 page (more if there are many lines) in German, laid
out like a DIN 5008 letter, with every item § 14 (4) UStG asks for. Drawn with fpdf2 as
PDF/A-3b; `render_pdf` then embeds the XML."""
from babel import Locale
from fpdf import FPDF, FontFace

from coworking.invoicing.amounts import STANDARD_RATE
from coworking.invoicing.formats.typeface import FAMILY, add_typeface, printable
from coworking.invoicing.formats.wording import (
    TITLES,
    german_date,
    money,
    payment_sentence,
    percent,
)

INK, GREY, RULE = (20, 20, 20), (90, 90, 90), (170, 170, 170)
LEFT, RIGHT, TOP, FOOTER_HEIGHT = 20, 15, 15, 34
INFO_X, LABEL_WIDTH = 114, 31
PRODUCER = "pypdf"  # the name factur-x writes into the XMP metadata; PDF/A wants them alike
GERMAN = Locale("de")


def invoice_pdf(document):
    """The visible invoice as PDF/A-3b bytes, without the XML."""
    pdf = _InvoicePdf(document)
    pdf.add_page()
    _letterhead(pdf, document)
    _addresses(pdf, document)
    _title(pdf, document)
    _lines(pdf, document)
    _totals(pdf, document)
    _payment_and_notes(pdf, document)
    return bytes(pdf.output())


class _InvoicePdf(FPDF):
    def __init__(self, document):
        super().__init__(orientation="P", unit="mm", format="A4",
                         enforce_compliance="PDF/A-3B")
        self.document = document
        add_typeface(self)
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=FOOTER_HEIGHT + 6)
        self.set_producer(PRODUCER)
        self.set_lang("de-DE")
        self.set_title(f"{TITLES[document.kind]} {document.number}")
        self.set_author(document.seller.legal_name)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)

    def normalize_text(self, text):
        return super().normalize_text(printable(text))

    def footer(self):
        """The seller's legal and bank details on every page, and where the page stands."""
        seller = self.document.seller
        self.set_y(-FOOTER_HEIGHT)
        self.line(LEFT, self.get_y(), self.w - RIGHT, self.get_y())
        self.ln(1.5)
        columns = [
            [seller.legal_name, seller.address.street,
             f"{seller.address.postcode} {seller.address.city}",
             f"Vertreten durch: {seller.representative}" if seller.representative else "",
             seller.register],
            [f"Steuernummer: {seller.tax_number}" if seller.tax_number else "",
             f"USt-IdNr.: {seller.vat_id}" if seller.vat_id else "",
             f"Telefon: {seller.phone}" if seller.phone else "",
             f"E-Mail: {seller.email}" if seller.email else ""],
            ["Bankverbindung", seller.bank_name, f"IBAN: {_grouped(seller.iban)}",
             f"BIC: {seller.bic}" if seller.bic else ""] if seller.iban else [],
        ]
        top, width = self.get_y(), (self.w - LEFT - RIGHT) / 3
        self.set_font(FAMILY, size=7)
        self.set_text_color(*GREY)
        for index, column in enumerate(columns):
            self.set_xy(LEFT + index * width, top)
            text = "\n".join(part for part in column if part)
            self.multi_cell(width - 2, 3.4, text, align="L")
        self.set_xy(LEFT, self.h - 9)
        self.cell(0, 4, f"{TITLES[self.document.kind]} {self.document.number} · "
                        f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(*INK)


def _letterhead(pdf, document):
    seller = document.seller
    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(0, 7, seller.legal_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)
    pdf.set_text_color(*GREY)
    contact = " · ".join(part for part in (seller.phone, seller.email) if part)
    pdf.cell(0, 4.5, _one_line(seller.address), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 4.5, contact, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _addresses(pdf, document):
    """The buyer in the address window, the document's particulars beside it."""
    buyer = document.buyer
    pdf.set_xy(LEFT, 47)
    pdf.set_font(FAMILY, size=7)
    pdf.set_text_color(*GREY)
    pdf.cell(85, 4, f"{document.seller.legal_name} · {_one_line(document.seller.address)}")
    pdf.set_text_color(*INK)
    recipient = [buyer.company, buyer.name, buyer.address.street,
                 f"{buyer.address.postcode} {buyer.address.city}"]
    if buyer.address.country != document.seller.address.country:
        recipient.append(GERMAN.territories.get(buyer.address.country,
                                                buyer.address.country).upper())
    pdf.set_xy(LEFT, 53)
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(85, 5, "\n".join(part for part in recipient if part), align="L")

    particulars = [("Nummer", document.number), ("Datum", german_date(document.issued_on)),
                   _service_period(document), ("Kundennummer", buyer.member_number)]
    if buyer.buyer_reference and buyer.buyer_reference != buyer.member_number:
        particulars.append(("Ihre Referenz", buyer.buyer_reference))
    if buyer.vat_id:
        particulars.append(("Ihre USt-IdNr.", buyer.vat_id))
    pdf.set_y(53)
    for label, value in particulars:
        pdf.set_x(INFO_X)
        pdf.set_font(FAMILY, size=8.5)
        pdf.set_text_color(*GREY)
        pdf.cell(LABEL_WIDTH, 5, label)
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(pdf.w - RIGHT - INFO_X - LABEL_WIDTH, 5, value, align="L",
                       new_x="LMARGIN", new_y="NEXT")


def _service_period(document):
    if document.service_start == document.service_end:
        return "Leistungsdatum", german_date(document.service_start)
    return ("Leistungszeitraum",
            f"{german_date(document.service_start)} – {german_date(document.service_end)}")


def _title(pdf, document):
    pdf.set_xy(LEFT, max(pdf.get_y(), 80) + 10)
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(0, 8, f"{TITLES[document.kind]} {document.number}", new_x="LMARGIN", new_y="NEXT")
    if document.refers_to:
        pdf.set_font(FAMILY, size=10)
        issued = (f" vom {german_date(document.refers_to_issued_on)}"
                  if document.refers_to_issued_on else "")
        pdf.multi_cell(0, 5, f"Korrektur der Rechnung {document.refers_to}{issued}: "
                             "Die folgenden Beträge werden erstattet.",
                       align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _charges_vat(document):
    return any(tax.vat_category == STANDARD_RATE for tax in document.taxes)


def _lines(pdf, document):
    vat = _charges_vat(document)
    if vat:
        headings = ("Pos.", "Leistung", "Menge", "Einzelpreis brutto", "Netto", "USt-Satz",
                    "USt", "Brutto")
        widths = (10, 45, 14, 24, 22, 18, 19, 23)
    else:
        headings = ("Pos.", "Leistung", "Menge", "Einzelpreis", "Betrag")
        widths = (10, 99, 14, 26, 26)
    align = ("RIGHT", "LEFT") + ("RIGHT",) * (len(headings) - 2)
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", text_align=align,
                   borders_layout="HORIZONTAL_LINES", line_height=4.6, padding=(1.2, 1),
                   headings_style=FontFace(emphasis="BOLD")) as table:
        heading = table.row()
        for text in headings:
            heading.cell(text)
        for position, line in enumerate(document.lines, start=1):
            row = table.row()
            cells = [str(position), line.description, str(line.quantity),
                     money(line.unit_gross_cents, document.currency)]
            if vat:
                cells += [money(line.net_cents, document.currency),
                          percent(line.vat_basis_points),
                          money(line.vat_cents, document.currency)]
            cells.append(money(line.gross_cents, document.currency))
            for text in cells:
                row.cell(text)
    pdf.ln(3)


def _totals(pdf, document):
    rows = []
    if _charges_vat(document):
        rows.append(("Summe netto", money(document.net_cents, document.currency), ""))
        for tax in document.taxes:
            rows.append((f"USt {percent(tax.vat_basis_points)} auf "
                         f"{money(tax.taxable_cents, document.currency)}",
                         money(tax.vat_cents, document.currency), ""))
    rows.append(("Gesamtbetrag", money(document.gross_cents, document.currency), "B"))
    for label, amount, style in rows:
        pdf.set_x(INFO_X - 15)
        pdf.set_font(FAMILY, style, 10 if style else 9)
        pdf.cell(pdf.w - RIGHT - INFO_X - 15, 5.5, label)
        pdf.cell(30, 5.5, amount, align="R", new_x="LMARGIN", new_y="NEXT")
    if document.tax_note:
        pdf.ln(2)
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 4.6, document.tax_note, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _payment_and_notes(pdf, document):
    pdf.set_font(FAMILY, size=9.5)
    pdf.multi_cell(0, 5, payment_sentence(document), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 4.6, f"Zahlungsreferenz: {document.payment.reference}", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    for note in document.notes:
        pdf.ln(2)
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 4.6, note, align="L", new_x="LMARGIN", new_y="NEXT")


def _one_line(address):
    return f"{address.street}, {address.postcode} {address.city}"


def _grouped(iban):
    compact = iban.replace(" ", "")
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
