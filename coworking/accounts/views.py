"""Sign-in, registration, sign-out, the language switch, and the pages the links in account
e-mails lead to (confirm an address, choose a new password). The account page itself is in
`account_views`."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_user, logout_user

from coworking.accounts import addresses, devices, passwords, service
from coworking.accounts.forms import (
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from coworking.errors import Conflict, DomainError, Gone, RateLimited
from coworking.web import attach_errors, home_url, local_path, safe_next

bp = Blueprint("accounts", __name__)


# The header's sign-in links carry a page's `next` on, once it is known to be safe.
bp.add_app_template_global(local_path)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next"))
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
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        try:
            # Pages and e-mails keep speaking the language the form was read in.
            user = service.register(form.email.data, form.password.data, form.name.data,
                                    client_address=request.remote_addr,
                                    language=str(get_locale()))
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return devices.remember(redirect(safe_next(form.next.data)), user)
    elif request.method == "POST":
        status = 422
    return render_template("accounts/register.html", form=form), status


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        service.end_sessions(current_user)
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(home_url())


@bp.post("/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            # Signed in, the choice is the member's: their next e-mails speak it too.
            service.set_language(current_user, form.lang.data)
    return redirect(safe_next(request.form.get("next")))


def link_gone(error, next_step):
    """The page a link from an e-mail leads to when it no longer works, with what to do."""
    return render_template("accounts/link_gone.html", message=error.message,
                           next_step=next_step), error.status


@bp.get("/verify-email/<token>")
def verify_email(token):
    try:
        user = addresses.verify(token)
    except Gone as error:
        return link_gone(error, "verify")
    flash(_("Thank you: %(email)s is confirmed.", email=user.email), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/email/verification")
def resend_verification():
    form = ResendVerificationForm()
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    back = safe_next(form.next.data) if form.next.data else url_for("accounts.account")
    if form.validate_on_submit():
        try:
            addresses.resend_verification(current_user, request.remote_addr)
        except (Conflict, RateLimited) as error:
            flash(str(error.message), "error")
        else:
            flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(back)


@bp.get("/confirm-email/<token>")
def confirm_email_change(token):
    try:
        user = addresses.confirm_change(token)
    except (Gone, Conflict) as error:
        return link_gone(error, "account")
    flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next"))
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            passwords.request_reset(form.email.data, request.remote_addr)
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
            if isinstance(error, RateLimited):
                headers["Retry-After"] = str(error.retry_after)
        else:
            # The same answer whether an account has the address or not.
            flash(_("If an account has the address %(email)s, we have sent it a link to "
                    "choose a new password. The link works for one hour.",
                    email=form.email.data.strip()), "success")
            return redirect(url_for("accounts.login", next=local_path(form.next.data) or None))
    elif request.method == "POST":
        status = 422
    return render_template("accounts/forgot_password.html", form=form), status, headers


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    form = ResetPasswordForm()
    status = 200
    if request.method == "GET" and not passwords.usable_reset_link(token):
        return link_gone(Gone(passwords.RESET_GONE), "reset")
    if form.validate_on_submit():
        try:
            user = passwords.reset(token, form.password.data)
        except Gone as error:
            return link_gone(error, "reset")
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
        else:
            if current_user.is_authenticated and current_user.id == user.id:
                logout_user()
            flash(_("Your new password is saved, and you are signed out everywhere. Your API "
                    "tokens and calendar links no longer work. Please sign in with the new "
                    "password."), "success")
            return redirect(url_for("accounts.login"))
    elif request.method == "POST":
        status = 422
    return render_template("accounts/reset_password.html", form=form), status


@bp.app_context_processor
def layout_forms():
    # Rendered, never filled from the request: error pages must not read a body too large.
    return {"logout_form": LogoutForm(formdata=None), "language_form": LanguageForm(formdata=None),
            "resend_form": ResendVerificationForm(formdata=None)}


from coworking.accounts import account_views  # noqa: E402,F401  (the account page's routes)
