"""What happens to accounts that someone must hear of by e-mail, as domain events.

A link's secret travels on the event object only, for the subscriber that writes the
e-mail; `payload()`, which is stored in the outbox table, never carries it.
"""
from coworking.events import Event


class AccountEvent(Event):
    def __init__(self, user):
        self.user = user

    def payload(self):
        return {"user_id": self.user.id if self.user is not None else None}


class VerificationRequested(AccountEvent):
    """A link that confirms the account's address is on its way to that address."""

    name = "account.verification_requested"

    def __init__(self, user, secret, expires_at):
        super().__init__(user)
        self.secret, self.expires_at = secret, expires_at


class PasswordResetRequested(AccountEvent):
    """Someone asked to reset the password of `email`; `user` is None when no account has
    that address (nothing is sent then, but the request looks the same from outside)."""

    name = "account.password_reset_requested"

    def __init__(self, user, email, secret, expires_at):
        super().__init__(user)
        self.email, self.secret, self.expires_at = email, secret, expires_at


class HostInvited(AccountEvent):
    """An admin appointed someone without an account as host of `space_name`: their new
    account waits for a password, which the invitation's link lets them choose."""

    name = "account.host_invited"

    def __init__(self, user, space_name, secret, expires_at):
        super().__init__(user)
        self.space_name, self.secret, self.expires_at = space_name, secret, expires_at


class EmailChangeRequested(AccountEvent):
    """A link that makes `new_email` the account's address is on its way to that address."""

    name = "account.email_change_requested"

    def __init__(self, user, new_email, secret, expires_at):
        super().__init__(user)
        self.new_email, self.secret, self.expires_at = new_email, secret, expires_at


class EmailChanged(AccountEvent):
    """The account's address changed; the old one is told, in case it was not its owner."""

    name = "account.email_changed"

    def __init__(self, user, old_email):
        super().__init__(user)
        self.old_email = old_email



class CredentialsEnded(AccountEvent):
    """Everything that signs in as the user stopped working at once (a password reset, or
    signing out everywhere): packages that keep keys of their own (calendar feed URLs) end
    theirs in the same unit of work."""

    name = "account.credentials_ended"


class AccountDeleted(AccountEvent):
    """The member deleted their account: packages above privacy (a company the member
    belonged to) let go of them in the same unit of work."""

    name = "account.deleted"
