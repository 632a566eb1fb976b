"""The admins' page of an operator's invoices and credit notes per month, with the journal
downloads for the accountant (`/admin/operators/<slug>/invoices?month=YYYY-MM`). Members
find their own documents on the account page."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from coworking import clock, permissions
from coworking.invoicing import service
from coworking.invoicing.formats.wording import local_date
from coworking.operators import admin
from coworking.page_access import only_for

bp = Blueprint("invoice_admin", __name__, url_prefix="/admin/operators")


@bp.app_template_global()
def member_invoices(user):
    """The account page's "Rechnungen": the member's own invoices and credit notes."""
    return service.invoices_of(user)


only_for(bp, permissions.can_manage_operators)


def _shift(first, months):
    index = first.year * 12 + first.month - 1 + months
    return first.replace(year=index // 12, month=index % 12 + 1)


@bp.get("/<slug>/invoices")
def month(slug):
    operator = admin.operator_to_edit(current_user, slug)
    span = service.parse_month(request.args.get("month")) if request.args.get("month") \
        else service.parse_month(f"{local_date(clock.utcnow()):%Y-%m}")
    if span is None:
        abort(404)
    first, after = span
    documents = service.operator_documents(operator, first, after)
    return render_template(
        "invoicing/admin_month.html", operator=operator, first=first, month=f"{first:%Y-%m}",
        documents=[(invoice, invoice.document()) for invoice in documents],
        previous=f"{_shift(first, -1):%Y-%m}", following=f"{_shift(first, 1):%Y-%m}",
        totals={key: sum(getattr(invoice, key) for invoice in documents)
                for key in ("net_cents", "vat_cents", "gross_cents")})
