"""Research consent: given, changed and taken back, with its time; answers only with it."""
import pytest
from sqlalchemy import select

from coworking.accounts.research_profile import ResearchProfile
from coworking.audit import AuditEntry
from coworking.extensions import db
from tests.factories import csrf_token

ANSWERS = {"work_mode": "commute", "commute_km_band": "25-50", "employment": "freelancer",
           "residence": "town"}


def put(caller, body):
    return caller.post("/api/v1/me/research", json=body,
                       environ_overrides={"REQUEST_METHOD": "PUT"})


def test_consent_with_answers_is_kept_with_its_time(api, frozen):
    member = api()
    response = put(member, {"consent": True, "profile": ANSWERS})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["consent"] is True
    assert body["consented_at"] == "2027-03-01T06:00:00+00:00"
    assert body["withdrawn_at"] is None
    assert body["profile"] == ANSWERS
    assert member.get("/api/v1/me/research").get_json() == body


def test_withdrawing_clears_the_answers_and_the_history_shows_both(api, frozen):
    member = api()
    put(member, {"consent": True, "profile": ANSWERS})
    frozen.set("2027-03-01T08:00:00+01:00")
    body = put(member, {"consent": False}).get_json()
    assert body["consent"] is False
    assert body["withdrawn_at"] == "2027-03-01T07:00:00+00:00"
    assert body["profile"] == dict.fromkeys(ANSWERS)
    profile = db.session.get(ResearchProfile, member.user.id)
    assert profile.work_mode is None and profile.residence is None
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "user", AuditEntry.target_id == member.user.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["research.consent", "research.withdraw"]
    history = member.get("/api/v1/me/export").get_json()["research_consent_history"]
    assert [entry["action"] for entry in history] == actions


def test_answers_are_optional(api, frozen):
    body = put(api(), {"consent": True}).get_json()
    assert body["consent"] is True and set(body["profile"].values()) == {None}


@pytest.mark.parametrize("body, field", [
    ({"consent": "yes"}, "consent"),
    ({}, "consent"),
    ({"consent": True, "profile": "commuter"}, "profile"),
    ({"consent": True, "profile": {"work_mode": "car"}}, "profile.work_mode"),
    ({"consent": True, "profile": {"income": "high"}}, "profile.income"),
    ({"consent": False, "profile": {"residence": "town"}}, "profile"),
    # Was a 500: a list was looked up among the choices.
    ({"consent": False, "profile": {"work_mode": [None, None]}}, "profile.work_mode"),
    ({"consent": True, "profile": {"employment": ["founder"]}}, "profile.employment"),
    ({"consent": True, "profile": {"residence": 1}}, "profile.residence"),
])
def test_bad_bodies_name_the_field_and_change_nothing(api, frozen, body, field):
    member = api()
    response = put(member, body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.get(ResearchProfile, member.user.id) is None


def test_signed_out_is_401(client):
    assert client.put("/api/v1/me/research", json={"consent": True}).status_code == 401


def test_the_account_page_gives_and_takes_back_consent(client, make_user, login, frozen):
    member = make_user(email="rosa@example.org")
    login("rosa@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert "unter einem Pseudonym" in page and "Forschung" in page
    token = csrf_token(client, "/account")
    response = client.post("/account/research", data={
        "csrf_token": token, "research-consent": "y", "research-work_mode": "home_office",
        "research-commute_km_band": "", "research-employment": "founder",
        "research-residence": "region"})
    assert response.status_code == 302
    profile = db.session.get(ResearchProfile, member.id)
    assert (profile.consent, profile.work_mode, profile.commute_km_band, profile.residence) == (
        True, "home_office", None, "region")
    page = client.get("/account").get_data(as_text=True)
    assert 'value="home_office" selected' in page or "selected value=\"home_office\"" in page
    client.post("/account/research", data={"csrf_token": token, "research-work_mode": "other"})
    db.session.expire_all()
    profile = db.session.get(ResearchProfile, member.id)
    assert profile.consent is False and profile.work_mode is None


def test_an_unknown_answer_in_the_form_is_a_form_error(client, make_user, login, frozen):
    member = make_user(email="uwe@example.org")
    login("uwe@example.org")
    response = client.post("/account/research", data={
        "csrf_token": csrf_token(client, "/account"), "research-consent": "y",
        "research-work_mode": "helicopter"})
    assert response.status_code == 422
    assert db.session.get(ResearchProfile, member.id) is None
