"""The account page: name, language, e-mail address, password, reminders, calendar links,
API tokens and signing out everywhere. Each section posts its own form; a form with errors
comes back on the whole page with its errors beside its fields."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from coworking import clock
from coworking.accounts import (
    addresses,
    billing_rules,
    billing_service,
    devices,
    passwords,
    research_profile,
    service,
)
from coworking.accounts.forms import (
    AccountLanguageForm,
    BillingDetailsForm,
    EmailChangeForm,
    EndSessionsForm,
    NameForm,
    NewTokenForm,
    PasswordChangeForm,
    RemindersForm,
    ResearchForm,
    RevokeTokenForm,
)
from coworking.accounts.views import bp
from coworking.errors import DomainError, RateLimited
from coworking.web import attach_errors, home_url, local_path


def account_page(status=200, headers=None, new_token=None, **forms):
    """The page with every section; `forms` replace the blank ones (a form with errors)."""
    user = current_user
    shown = {
        "name_form": NameForm(formdata=None, data={"name": user.name}),
        "account_language_form": AccountLanguageForm(
            formdata=None, data={"language": user.language or str(get_locale())}),
        "email_form": EmailChangeForm(formdata=None),
        "password_form": PasswordChangeForm(formdata=None),
        "reminders_form": RemindersForm(formdata=None, data={"reminders": user.reminders}),
        "token_form": NewTokenForm(formdata=None),
        "end_sessions_form": EndSessionsForm(formdata=None),
        "revoke_form": RevokeTokenForm(formdata=None),
        "research_form": _research_form(user),
        "billing_form": billing_form(user),
    }
    shown.update(forms)
    # The page says where the address stands in its own section, not in the banner as well.
    page = render_template("accounts/account.html", tokens=service.api_tokens_of(user),
                           now=clock.utcnow(), new_token=new_token, hide_verify_banner=True,
                           **shown)
    return page, status, headers or {}


def _research_form(user):
    profile = research_profile.profile_of(user)
    return ResearchForm(formdata=None, data={"consent": profile.consent, **{
        question: answer or "" for question, answer in profile.answers().items()}})


def _refused(form, key, error):
    attach_errors(form, error)
    headers = ({"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited)
               else None)
    return account_page(error.status, headers, **{key: form})


def _section(form, key, change, done, anchor):
    """Validate one section's form, make its change, and come back to that section;
    `done` is the message, or a function of what the change returned that makes it."""
    if not form.validate_on_submit():
        return account_page(422, **{key: form})
    try:
        result = change(form)
    except DomainError as error:
        return _refused(form, key, error)
    flash(done(result) if callable(done) else done, "success")
    return redirect(url_for("accounts.account", _anchor=anchor))


@bp.get("/account")
@login_required
def account():
    return account_page()


def billing_form(user, submitted=False):
    """The billing details form: as submitted, or prefilled with what the member saved (their
    name and Germany before anything is)."""
    if submitted:
        form = BillingDetailsForm()
    else:
        details = billing_service.billing_details_of(user)
        form = BillingDetailsForm(formdata=None, data=(
            {name: getattr(details, name) for name in billing_service.FIELDS}
            if details is not None else {"name": user.name, "country": "DE"}))
    form.country.choices = [SelectChoice(code, name)
                            for code, name in billing_rules.country_choices()]
    return form


def _billing_step(form, status=200):
    """The billing details on a page of their own: a step of buying, which goes on at `next`."""
    return render_template("accounts/billing.html", form=form), status


@bp.get("/account/billing")
@login_required
def billing_details():
    form = billing_form(current_user)
    form.next.data = local_path(request.args.get("next"))
    return _billing_step(form)


@bp.post("/account/billing")
@login_required
def save_billing_details():
    """From the account page's section, or from the step of an order (with `next`)."""
    form = billing_form(current_user, submitted=True)
    after = local_path(form.next.data)
    if form.validate_on_submit():
        try:
            billing_service.save(current_user, form.values())
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("Your billing details are saved."), "success")
            return redirect(after or url_for("accounts.account", _anchor="billing"))
    if after:
        return _billing_step(form, 422)
    return account_page(422, billing_form=form)


@bp.post("/account/name")
@login_required
def rename():
    return _section(NameForm(), "name_form",
                    lambda form: service.rename(current_user, form.name.data),
                    _("Your name is saved."), "name")


@bp.post("/account/language")
@login_required
def choose_language():
    form = AccountLanguageForm()
    if not form.validate_on_submit():
        return account_page(422, account_language_form=form)
    language = form.language.data
    service.set_language(current_user, language)
    # This browser's choice too, or an earlier switch in this session would win.
    session["lang"] = language
    with force_locale(language):
        flash(_("Your language is saved."), "success")
    return redirect(url_for("accounts.account", _anchor="language"))


@bp.post("/account/reminders")
@login_required
def reminders():
    form = RemindersForm()
    wanted = bool(form.reminders.data)
    return _section(form, "reminders_form",
                    lambda form: service.set_reminders(current_user, wanted),
                    _("Reminders are on.") if wanted else _("Reminders are off."), "reminders")


@bp.post("/account/research")
@login_required
def research():
    form = ResearchForm()
    consent = bool(form.consent.data)
    return _section(form, "research_form",
                    lambda form: research_profile.set_research(
                        current_user, consent, form.answers() if consent else {}),
                    _("Thank you: your consent to the research is saved.") if consent
                    else _("You take no part in the research; nothing of yours goes into new "
                           "exports."), "research")


@bp.post("/account/email")
@login_required
def change_email():
    form = EmailChangeForm()
    return _section(
        form, "email_form",
        lambda form: addresses.request_change(current_user, form.new_email.data,
                                              form.current_password.data, request.remote_addr),
        lambda token: _("We sent a link to %(email)s. Your address changes when you open it.",
                        email=token.email), "email")


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return account_page(422, password_form=form)
    try:
        user = passwords.change(current_user, form.current_password.data, form.new_password.data)
    except DomainError as error:
        return _refused(form, "password_form", error)
    # Every session ended with the old password; this browser goes on with the new one.
    login_user(user)
    session.permanent = True
    flash(_("Your password is changed. Every other device is signed out."), "success")
    return devices.remember(redirect(url_for("accounts.account", _anchor="password")), user)


@bp.post("/account/tokens")
@login_required
def create_token():
    form = NewTokenForm()
    if not form.validate_on_submit():
        return account_page(422, token_form=form)
    try:
        secret, token = service.create_api_token_confirmed(
            current_user, form.current_password.data, form.name.data)
    except DomainError as error:
        return _refused(form, "token_form", error)
    # Shown in this answer only: it is stored hashed, and a redirect would lose it.
    return account_page(new_token={"secret": secret, "token": token})


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    if RevokeTokenForm().validate_on_submit():
        try:
            service.revoke_api_token(current_user, token_id)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The API token is revoked; programs using it can no longer sign in."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/sessions/end")
@login_required
def end_sessions():
    if EndSessionsForm().validate_on_submit():
        service.sign_out_everywhere(current_user)
        logout_user()
        flash(_("You are signed out on every device, this one too. Your API tokens and "
                "calendar links no longer work."), "success")
        return redirect(home_url())
    return redirect(url_for("accounts.account"))
