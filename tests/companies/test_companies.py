"""Companies pay for their people: opening an account, inviting by link (used once, running
out), billing a booking to the company or not, its cover reaching or not (402), the admin
seeing days per employee and nothing else, leaving, and the monthly invoice per operator."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from coworking.bookings.models import Booking
from coworking.companies.models import CompanyCharge, CompanyInvoice
from coworking.companies.monthly import issue_month
from coworking.extensions import db
from coworking.invoicing.models import Invoice
from tests.factories import give_membership, make_plan, resources_of

BILLING = {"name": "Hanse Software GmbH", "street": "Am Markt 3", "postcode": "23879",
           "city": "Mölln", "country": "DE", "vat_id": "DE136695976"}
MONDAY = ("2027-03-01T09:00:00+01:00", "2027-03-01T17:00:00+01:00")
TUESDAY = ("2027-03-02T09:00:00+01:00", "2027-03-02T12:00:00+01:00")
TUESDAY_LATER = ("2027-03-02T13:00:00+01:00", "2027-03-02T15:00:00+01:00")


@pytest.fixture
def space(make_space, frozen):
    frozen.set("2027-02-26T10:00:00+01:00")
    space = make_space(desks=3, rooms=1)
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    return space


@pytest.fixture
def boss(api):
    return api(name="Bea Boss", covered=False)


@pytest.fixture
def company_id(boss, space):
    response = boss.post("/api/v1/companies", json={"name": "Hanse Software", "billing": BILLING})
    assert response.status_code == 201, response.json
    assert response.json["name"] == "Hanse Software"
    return response.json["id"]


def invite(boss, company_id, email="emma@example.org"):
    response = boss.post(f"/api/v1/companies/{company_id}/invitations", json={"email": email})
    assert response.status_code == 201, response.json
    return response.json


def token_of(url):
    return re.search(r"/companies/join/([^/?#]+)$", url).group(1)


@pytest.fixture
def employee(api, boss, company_id):
    member = api(name="Emma Employee", covered=False)
    answer = member.post("/api/v1/companies/join",
                         json={"token": token_of(invite(boss, company_id)["url"])})
    assert answer.status_code == 200, answer.json
    return member


def book(member, space, slot, desk=0, **extra):
    desk_id = resources_of(space)[desk].id
    return member.post("/api/v1/bookings", json={"resource_id": desk_id, "start": slot[0],
                                                 "end": slot[1], **extra})


def test_a_booking_billed_to_the_company_needs_no_cover_of_the_member(employee, space):
    response = book(employee, space, MONDAY, bill_to="company")

    assert response.status_code == 201, response.json
    assert response.json["status"] == "confirmed"
    assert response.json["payment"] is None
    charge = db.session.scalar(select(CompanyCharge))
    assert (charge.local_day, charge.unit_gross_cents) == (date(2027, 3, 1), 1500)


def test_without_bill_to_the_booking_is_the_members_own(employee, space):
    response = book(employee, space, MONDAY)

    assert response.status_code == 402  # the member has no cover of their own
    assert db.session.scalar(select(func.count(CompanyCharge.id))) == 0


def test_someone_outside_any_company_cannot_bill_one(api, space, company_id):
    stranger = api(covered=False)
    response = book(stranger, space, MONDAY, bill_to="company")

    assert response.status_code == 422
    assert "bill_to" in response.json["errors"]


def test_an_unknown_payer_is_named(employee, space):
    response = book(employee, space, MONDAY, bill_to="the moon")

    assert response.status_code == 422
    assert "bill_to" in response.json["errors"]


def test_the_company_pays_desk_days_only(employee, space):
    room = resources_of(space, "meeting_room")[0]
    response = employee.post("/api/v1/bookings", json={
        "resource_id": room.id, "start": TUESDAY[0], "end": TUESDAY[1], "bill_to": "company"})

    assert response.status_code == 402
    assert "desk days only" in response.json["detail"]


def test_a_plan_with_seats_covers_as_many_people_and_no_more(api, boss, company_id, employee,
                                                             space):
    plan = make_plan("Firmenplan", kind="monthly", price_cents=9900, spaces=[space],
                     days_per_month=8)
    from coworking.companies import service

    service.choose_plan(boss.user, company_id, plan.id, 1)
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    colleague = api(name="Carl Colleague", covered=False)
    colleague.post("/api/v1/companies/join",
                   json={"token": token_of(invite(boss, company_id, "carl@example.org")["url"])})

    refused = book(colleague, space, MONDAY, desk=1, bill_to="company")

    assert refused.status_code == 402
    assert "seats" in refused.json["detail"]
    assert book(employee, space, TUESDAY, bill_to="company").status_code == 201


def test_the_admin_sees_days_per_employee_and_nothing_else(boss, company_id, employee, space):
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    assert book(employee, space, TUESDAY, bill_to="company").status_code == 201
    # Two bookings on one day are one day used.
    assert book(employee, space, TUESDAY_LATER, bill_to="company").status_code == 201

    response = boss.get(f"/api/v1/companies/{company_id}/usage?month=2027-03")

    assert response.status_code == 200
    assert response.json == {"month": "2027-03", "members": [
        {"name": "Bea Boss", "days": 0}, {"name": "Emma Employee", "days": 2}]}
    text = response.get_data(as_text=True)
    for private in ("09:00", "T09", "Desk", space.slug, space.name):
        assert private not in text


def test_the_admin_page_shows_days_but_no_times_desks_or_spaces(client, login, boss,
                                                                 company_id, employee, space):
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    login(boss.user.email)

    page = client.get(f"/companies/{company_id}?month=2027-03",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Emma Employee" in page
    for private in ("09:00", "17:00", "Desk 1", space.name):
        assert private not in page


def test_an_employee_cannot_read_the_companys_usage(employee, company_id):
    assert employee.get(f"/api/v1/companies/{company_id}/usage?month=2027-03").status_code == 404


def test_a_bad_month_is_named(boss, company_id):
    response = boss.get(f"/api/v1/companies/{company_id}/usage?month=2027-13")

    assert response.status_code == 422
    assert "month" in response.json["errors"]


def test_an_invitation_works_once(api, boss, company_id):
    token = token_of(invite(boss, company_id)["url"])
    assert api(covered=False).post("/api/v1/companies/join", json={"token": token}).status_code == 200

    again = api(covered=False).post("/api/v1/companies/join", json={"token": token})

    assert again.status_code == 410
    assert "used already" in again.json["detail"]


def test_an_invitation_runs_out_after_a_week(api, boss, company_id, frozen):
    token = token_of(invite(boss, company_id)["url"])
    frozen.set("2027-03-06T10:00:00+01:00")

    late = api(covered=False).post("/api/v1/companies/join", json={"token": token})

    assert late.status_code == 410
    assert "ran out" in late.json["detail"]


def test_the_invitation_page_says_what_the_company_will_see(client, login, make_user, boss,
                                                           company_id):
    url = invite(boss, company_id)["url"]
    member = make_user(email="reader@example.org", covered=False)
    login(member.email)

    page = client.get(f"/companies/join/{token_of(url)}", headers={"Accept-Language": "en"})

    assert page.status_code == 200
    assert "will see on how many days" in page.get_data(as_text=True)


def test_bad_company_input_names_the_field(boss, space):
    response = boss.post("/api/v1/companies",
                         json={"name": "", "billing": {**BILLING, "postcode": "123"}})

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "billing.postcode"}
    invitation = boss.post("/api/v1/companies/1/invitations", json={"email": "x"})
    assert invitation.status_code == 404


def test_an_invalid_address_is_refused(boss, company_id):
    response = boss.post(f"/api/v1/companies/{company_id}/invitations",
                         json={"email": "not an address"})

    assert response.status_code == 422
    assert "email" in response.json["errors"]


def test_leaving_makes_later_bookings_the_members_own(client, login, boss, company_id,
                                                      employee, space, frozen):
    give_membership(employee.user, kind="monthly", all_spaces=True)
    ahead = book(employee, space, TUESDAY, bill_to="company")
    assert ahead.status_code == 201
    login(employee.user.email)
    page = client.get("/company")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)

    left = client.post("/company/leave", data={"csrf_token": token})

    assert left.status_code == 302
    assert db.session.get(Booking, ahead.json["id"]).status.value == "cancelled"
    refused = book(employee, space, TUESDAY, bill_to="company")
    assert refused.status_code == 422
    own = book(employee, space, TUESDAY)
    assert own.status_code == 201
    assert own.json["covered_by"] is not None
    usage = boss.get(f"/api/v1/companies/{company_id}/usage?month=2027-03").json
    assert usage["members"] == [{"name": "Bea Boss", "days": 0}]


def test_a_cancelled_booking_is_no_day_used(boss, company_id, employee, space):
    booking = book(employee, space, TUESDAY, bill_to="company").json
    assert employee.post(f"/api/v1/bookings/{booking['id']}/cancel").status_code == 200

    usage = boss.get(f"/api/v1/companies/{company_id}/usage?month=2027-03").json

    assert {"name": "Emma Employee", "days": 0} in usage["members"]


def test_one_invoice_per_operator_and_month_lists_the_days(boss, company_id, employee, space,
                                                           make_space, frozen):
    other = make_space(desks=1, rooms=0)
    make_plan("Tagespass", kind="day_pass", price_cents=1800, spaces=[other])
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    assert book(employee, space, TUESDAY, bill_to="company").status_code == 201
    assert book(employee, other, ("2027-03-03T09:00:00+01:00", "2027-03-03T12:00:00+01:00"),
                bill_to="company").status_code == 201
    frozen.set("2027-04-01T06:00:00+02:00")

    assert issue_month(date(2027, 3, 1)) == {"issued": 2, "skipped": 0}
    assert issue_month(date(2027, 3, 1)) == {"issued": 0, "skipped": 0}

    invoices = db.session.scalars(select(Invoice).order_by(Invoice.id)).all()
    assert [i.operator_id for i in invoices] == [space.operator_id, other.operator_id]
    first = invoices[0].document()
    assert first.buyer.company == "Hanse Software"
    assert [(line.quantity, line.gross_cents) for line in first.lines] == [(2, 3000)]
    assert first.payment.paid_at is None and first.payment.due_on == date(2027, 4, 15)
    assert invoices[1].gross_cents == 1800
    assert db.session.scalar(select(func.count(CompanyInvoice.id))) == 2
    page = boss.get(f"/companies/{company_id}").get_data(as_text=True)
    assert invoices[0].number in page and invoices[1].number in page
    pdf = boss.get(f"/companies/{company_id}/invoices/{invoices[0].id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert employee.get(f"/companies/{company_id}/invoices/{invoices[0].id}/pdf").status_code == 404


def test_the_command_issues_last_month(runner, boss, company_id, employee, space, frozen):
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    frozen.set("2027-04-02T06:00:00+02:00")

    result = runner.invoke(args=["companies", "invoice"])

    assert "2027-03: 1 issued" in result.output
    bad = runner.invoke(args=["companies", "invoice", "--month", "2027-4"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_the_booking_form_offers_the_company_and_bills_it_when_chosen(client, login, employee,
                                                                      space):
    from urllib.parse import quote

    desk = resources_of(space)[0]
    login(employee.user.email)
    page = client.get(f"/spaces/{space.slug}/book?resource={desk.id}&start={quote(MONDAY[0])}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Who pays" in page and "Hanse Software pays" in page
    fields = dict(re.findall(r'name="(csrf_token|resource_id|start|key)"[^>]*value="([^"]*)"',
                             page))

    booked = client.post(f"/spaces/{space.slug}/book",
                         data={**fields, "end": MONDAY[1], "bill_to": "company"})

    assert booked.status_code == 302, booked.get_data(as_text=True)[:2000]
    charge = db.session.scalar(select(CompanyCharge))
    assert charge is not None and charge.user_id == employee.user.id


def test_a_member_of_no_company_is_not_offered_one(client, login, make_user, space):
    from urllib.parse import quote

    member = make_user(email="solo@example.org")
    login(member.email)
    desk = resources_of(space)[0]
    page = client.get(f"/spaces/{space.slug}/book?resource={desk.id}&start={quote(MONDAY[0])}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Who pays" not in page


def test_deleting_the_account_leaves_the_company(client, boss, company_id, employee, space):
    assert book(employee, space, MONDAY, bill_to="company").status_code == 201
    export = employee.get("/api/v1/me/export").json
    assert [row["company_id"] for row in export["tables"]["company_member"]] == [company_id]

    gone = client.delete("/api/v1/me", json={"password": "correct horse"},
                         headers=employee.headers)

    assert gone.status_code == 204
    from coworking.companies.models import CompanyMember

    member = db.session.scalar(select(CompanyMember).where(
        CompanyMember.user_id == employee.user.id))
    assert member.left_at is not None
    # The booking ahead was cancelled with the account, so it is no day the company used.
    usage = boss.get(f"/api/v1/companies/{company_id}/usage?month=2027-03").json["members"]
    assert usage == [{"name": "Bea Boss", "days": 0}]
