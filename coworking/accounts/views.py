"""Sign-in, registration, sign-out, the account page and the language switch."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coworking import clock
from coworking.accounts import devices, service
from coworking.accounts.forms import LanguageForm, LoginForm, LogoutForm, RegisterForm, RevokeTokenForm
from coworking.errors import DomainError, RateLimited

bp = Blueprint("accounts", __name__)


def safe_next(target):
    """Only redirect to paths on this site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("spaces.overview")


def attach_errors(form, error):
    """Show a service error beside its field, or above the form when it names none."""
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
    if not error.errors or not any(hasattr(form, n) for n in error.errors):
        form.form_errors.append(error.message)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        device = devices.read(request.cookies.get(devices.COOKIE_NAME))
        try:
            user = service.authenticate(form.email.data, form.password.data, request.remote_addr,
                                        known_device=device)
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
            if isinstance(error, RateLimited):
                return render_template("accounts/login.html", form=form), 429, {
                    "Retry-After": str(error.retry_after)}
        else:
            login_user(user, remember=False)
            session.permanent = True
            return devices.remember(redirect(safe_next(form.next.data)), user, device)
    elif request.method == "POST":
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = service.register(form.email.data, form.password.data, form.name.data,
                                    client_address=request.remote_addr)
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return devices.remember(redirect(url_for("spaces.overview")), user)
    elif request.method == "POST":
        status = 422
    return render_template("accounts/register.html", form=form), status


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        service.end_sessions(current_user)
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("spaces.overview"))


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", tokens=service.api_tokens_of(current_user),
                           now=clock.utcnow(), revoke_form=RevokeTokenForm())


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


@bp.post("/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(request.form.get("next")))


@bp.app_context_processor
def layout_forms():
    # Rendered, never filled from the request: error pages must not read a body too large.
    return {"logout_form": LogoutForm(formdata=None), "language_form": LanguageForm(formdata=None)}
