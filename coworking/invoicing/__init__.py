"""Invoices and credit notes: issued by the selling operator when a payment settles,
immutable once issued, rendered as a Factur-X PDF and an XRechnung."""
