"""Invoices and credit notes: a member's own, one document with its PDF and XRechnung, and
for admins an operator's month and the accountant's journal."""
from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking import clock
from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import json_fields, query_fields
from coworking.api.memberships import membership_json
from coworking.errors import InvalidInput
from coworking.invoicing import journal, service
from coworking.memberships import holdings, refunds
from coworking.operators import admin
from coworking.spaces.service import all_slugs

JOURNAL_FORMATS = ("csv", "datev")


@bp.get("/me/invoices")
@login_required
def my_invoices():
    return jsonify([service.as_json(invoice) for invoice in service.invoices_of(current_user)])


@bp.get("/invoices/<int:invoice_id>")
@login_required
def get_invoice(invoice_id):
    return jsonify(service.as_json(service.visible_invoice(current_user, invoice_id)))


def _download(body, mimetype, name):
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/invoices/<int:invoice_id>/pdf")
@login_required
def invoice_pdf(invoice_id):
    invoice = service.visible_invoice(current_user, invoice_id)
    return _download(service.pdf_of(invoice), "application/pdf",
                     service.file_name(invoice, "pdf"))


@bp.get("/invoices/<int:invoice_id>/xrechnung")
@login_required
def invoice_xrechnung(invoice_id):
    invoice = service.visible_invoice(current_user, invoice_id)
    return _download(service.xrechnung_of(invoice), "application/xml",
                     service.file_name(invoice, "xml"))


def _month():
    """The `month` query parameter as (first day, first day of the next month)."""
    span = service.parse_month(request.args.get("month"))
    if span is None:
        raise InvalidInput(_l("The request has invalid fields."),
                           errors={"month": [_l("Not a month in the form YYYY-MM.")]})
    return span


@bp.get("/operators/<slug>/invoices")
@login_required
def operator_invoices(slug):
    operator = admin.operator_to_edit(current_user, slug)
    first, after = _month()
    return jsonify([service.as_json(invoice)
                    for invoice in service.operator_documents(operator, first, after)])


@bp.get("/operators/<slug>/journal")
@login_required
def operator_journal(slug):
    operator = admin.operator_to_edit(current_user, slug)
    first, after = _month()
    fields = query_fields()
    kind = fields.choice("format", JOURNAL_FORMATS, required=False) or "csv"
    fields.raise_if_invalid()
    documents = service.operator_documents(operator, first, after)
    if kind == "datev":
        body = journal.journal_datev(operator, documents, first, after.fromordinal(
            after.toordinal() - 1))
        return _download(body, "text/csv; charset=windows-1252",
                         f"EXTF_Buchungsstapel_{operator.slug}_{first:%Y-%m}.csv")
    return _download(journal.journal_csv(operator, documents), "text/csv; charset=utf-8",
                     f"journal_{operator.slug}_{first:%Y-%m}.csv")


@bp.post("/memberships/<int:membership_id>/refund")
@login_required
def refund_membership(membership_id):
    """Admins; 409 when nothing is paid (or it is refunded already)."""
    fields = json_fields()
    reason = fields.string("reason", 500)
    if reason is not None and not reason.strip():
        fields.errors["reason"] = [_l("This field is required.")]
    fields.raise_if_invalid()
    membership = refunds.refund_plan(current_user, membership_id, reason.strip())
    (holding,) = holdings.holdings([membership])
    return jsonify(membership_json(holding, all_slugs(), clock.utcnow()))
