"""Invented invoice data for the pilot operators and the programme office, which `seed-demo`
fills in development only (marked `sample_data`, shown as "Beispieldaten"), so a newcomer can
buy a pass and see an invoice at once. Every number passes its checksum; none is real.

The five cover the three tax modes: a town's company charging VAT, a town not yet taxable
under § 2b UStG, an association as a small business under § 19 UStG."""

SAMPLE_NOTE = "Beispieldaten"

SAMPLES = {
    "programmbuero": {
        "legal_name": "StadtLabor Kleinstadt Programmbüro gGmbH (Beispieldaten)",
        "street": "Musterstraße 1", "postcode": "10115", "city": "Berlin",
        "representative": "Erika Beispiel, Geschäftsführerin",
        "register": "Amtsgericht Charlottenburg, HRB 000000 (Beispiel)",
        "tax_number": "27/815/08154", "vat_id": "DE136695976", "tax_mode": "standard",
        "invoice_prefix": "SLK", "iban": "DE62370400440532013001", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@programmbuero.example.org",
        "phone": "+49 30 0000 0000",
    },
    "wittenberge": {
        "legal_name": "Stadt Wittenberge (Beispieldaten)",
        "street": "Beispielplatz 1", "postcode": "19322", "city": "Wittenberge",
        "representative": "Max Muster, Bürgermeister",
        "tax_number": "048/815/08151", "vat_id": "DE811115368", "tax_mode": "standard",
        "invoice_prefix": "WITT", "iban": "DE35370400440532013002", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@wittenberge.example.org",
        "phone": "+49 3877 000000",
    },
    "diessen-am-ammersee": {
        "legal_name": "Markt Dießen am Ammersee (Beispieldaten)",
        "street": "Beispielweg 2", "postcode": "86911", "city": "Dießen am Ammersee",
        "representative": "Erika Muster, Erste Bürgermeisterin",
        "tax_number": "141/815/08152", "tax_mode": "exempt_public",
        "invoice_prefix": "DIESSEN", "iban": "DE08370400440532013003", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@diessen.example.org",
        "phone": "+49 8807 000000",
    },
    "dippoldiswalde": {
        "legal_name": "Coworking Dippoldiswalde e. V. (Beispieldaten)",
        "street": "Beispielgasse 3", "postcode": "01744", "city": "Dippoldiswalde",
        "representative": "Vorstand: Paula Beispiel",
        "register": "Amtsgericht Dresden, VR 0000 (Beispiel)",
        "tax_number": "201/123/12340", "tax_mode": "small_business",
        "invoice_prefix": "DIPPS", "iban": "DE78370400440532013004", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@dippoldiswalde.example.org",
        "phone": "+49 3504 000000",
    },
    "moelln": {
        "legal_name": "Wirtschaftsförderung Mölln GmbH (Beispieldaten)",
        "street": "Beispielstraße 4", "postcode": "23879", "city": "Mölln",
        "representative": "Jan Beispiel, Geschäftsführer",
        "register": "Amtsgericht Lübeck, HRB 0000 (Beispiel)",
        "tax_number": "21/815/08150", "vat_id": "DE243104824", "tax_mode": "standard",
        "invoice_prefix": "MOELLN", "iban": "DE51370400440532013005", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@moelln.example.org",
        "phone": "+49 4542 000000",
    },
    "oestrich-winkel": {
        "legal_name": "Stadt Oestrich-Winkel (Beispieldaten)",
        "street": "Beispielallee 5", "postcode": "65375", "city": "Oestrich-Winkel",
        "representative": "Lena Muster, Bürgermeisterin",
        "tax_number": "040/815/08155", "tax_mode": "exempt_public",
        "invoice_prefix": "OEWI", "iban": "DE24370400440532013006", "bic": "COBADEFFXXX",
        "bank_name": "Beispielbank", "email": "rechnung@oestrich-winkel.example.org",
        "phone": "+49 6723 000000",
    },
}

# The fields a sample fills; an operator with any of them set has been edited and keeps it.
SAMPLE_FIELDS = ("legal_name", "street", "postcode", "representative", "register",
                 "tax_number", "vat_id", "invoice_prefix", "iban", "bic", "bank_name", "email",
                 "phone")


def is_blank(operator):
    """Nobody has filled in any of its invoice data yet (the city a seed knows aside)."""
    return not any((getattr(operator, name) or "").strip() for name in SAMPLE_FIELDS)
