"""`POST /api/v1/contracts/cancel`: 202 whatever the address (the answer tells nothing), at
once for the signed-in account, by e-mailed link otherwise; bad input named; limited like
the password reset."""
import pytest

from coworking.memberships.service import buy, confirm_payment_on_site
from tests.api.test_api_contract import assert_problem, check
from tests.billing.paying import fresh
from tests.factories import make_plan

CANCEL = "/api/v1/contracts/cancel"
EN = {"Accept-Language": "en"}


@pytest.fixture
def plan_holder(make_space, make_user, frozen):
    space = make_space(desks=1, rooms=0)
    monthly = make_plan("Monat", kind="monthly", price_cents=9900, spaces=[space])
    member = make_user(email="mo@example.org", covered=False)
    membership, _payment = buy(member, monthly.id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    return member, membership


def test_signed_out_the_answer_is_the_same_for_any_address(client, plan_holder):
    member, membership = plan_holder
    answers = []
    for email in (member.email, "nobody@example.org"):
        response = client.post(CANCEL, json={"email": email}, headers=EN)
        check(response, CANCEL, "post")
        assert response.status_code == 202
        answers.append(response.json)
    assert answers[0] == answers[1] == {"received_at": "2027-03-01T07:00:00+01:00",
                                        "confirmation": "email", "contracts": []}
    assert fresh(membership).cancel_at_period_end is False  # the link decides


def test_signed_in_it_takes_effect_at_once(api, plan_holder):
    member, membership = plan_holder
    response = api(member).post(CANCEL, json={"email": "MO@example.org ",
                                              "membership_id": membership.id})
    check(response, CANCEL, "post")
    assert response.status_code == 202
    assert response.json["confirmation"] == "done"
    assert response.json["contracts"] == [{"membership_id": membership.id,
                                           "ends_at": "2027-04-01T08:00:00+02:00"}]
    assert fresh(membership).cancel_at_period_end is True


def test_someone_elses_contract_is_not_touched(api, plan_holder, make_user):
    _member, membership = plan_holder
    stranger = make_user(email="stranger@example.org")
    response = api(stranger).post(CANCEL, json={"email": "stranger@example.org",
                                                "membership_id": membership.id})
    assert response.status_code == 202 and response.json["contracts"] == []
    response = api(stranger).post(CANCEL, json={"email": "mo@example.org"})
    assert response.status_code == 202 and response.json["confirmation"] == "email"
    assert fresh(membership).cancel_at_period_end is False


@pytest.mark.parametrize("body, field", [
    ({}, "email"), ({"email": "not an address"}, "email"), ({"email": 7}, "email"),
    ({"email": "mo@example.org", "membership_id": "3"}, "membership_id"),
    ({"email": "mo@example.org", "membership_id": 0}, "membership_id"),
    ({"email": "mo@example.org", "kind": "sometimes"}, "kind"),
    ({"email": "mo@example.org", "kind": "extraordinary"}, "reason"),
    ({"email": "mo@example.org", "reason": "x" * 1001}, "reason"),
    ({"email": "mo@example.org", "name": "tab\there"}, "name")])
def test_bad_input_is_a_422_naming_the_field(client, plan_holder, body, field):
    response = client.post(CANCEL, json=body, headers=EN)
    check(response, CANCEL, "post")
    assert_problem(response, 422, field)
    assert fresh(plan_holder[1]).cancel_at_period_end is False


def test_signed_out_without_a_name_a_long_address_is_no_422(client, plan_holder):
    """The address stands for the name then; one longer than a name was refused as `name`,
    a field not sent."""
    email = "a@" + ".".join(["b" * 63] * 3) + "." + "c" * 60
    assert len(email) == 254
    response = client.post(CANCEL, json={"email": email}, headers=EN)
    check(response, CANCEL, "post")
    assert response.status_code == 202


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post(CANCEL, data="email=mo@example.org",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_requests_are_limited_per_address_like_the_password_reset(client, plan_holder):
    for email in ("mo@example.org", "nobody@example.org"):
        for _ in range(5):
            assert client.post(CANCEL, json={"email": email}).status_code == 202
        limited = client.post(CANCEL, json={"email": email}, headers=EN)
        check(limited, CANCEL, "post")
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert client.post(CANCEL, json={"email": "third@example.org"}).status_code == 202
