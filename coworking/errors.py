"""Domain errors: services raise them, views and the API turn them into messages."""


class DomainError(Exception):
    """A rule the request broke; `message` is shown to the person who made it."""

    status = 400
    code = "bad-request"
    extra = None  # further members of the problem details, e.g. a 402's offers

    def __init__(self, message, field=None, errors=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self._errors = errors

    @property
    def errors(self):
        """Field -> list of messages, for forms and RFC 9457 `errors`."""
        if self._errors is not None:
            return self._errors
        if self.field:
            return {self.field: [self.message]}
        return None


class InvalidInput(DomainError):
    status = 422
    code = "invalid-input"


class RuleViolation(DomainError):
    """A booking or account rule (opening hours, slot grid, horizon, ...) is broken."""

    status = 422
    code = "rule-violation"


class PaymentRequired(DomainError):
    """No membership or pass covers the booking; `offers` are the plans that would."""

    status = 402
    code = "payment-required"

    def __init__(self, message, offers):
        super().__init__(message)
        self.offers = offers
        self.extra = {"offers": offers}


class NotFound(DomainError):
    status = 404
    code = "not-found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class AuthenticationFailed(DomainError):
    status = 401
    code = "authentication-failed"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class EmailUnverified(Forbidden):
    """The member has not yet confirmed their e-mail address, which this step needs."""

    code = "email-unverified"


class Gone(DomainError):
    """A link sent by e-mail that was used already, ran out, or never existed."""

    status = 410
    code = "link-gone"


class Unavailable(DomainError):
    """A service the request needs (the payment provider) cannot be reached; try again later."""

    status = 503
    code = "unavailable"
    retry_after = 60


class RateLimited(DomainError):
    status = 429
    code = "rate-limited"

    def __init__(self, retry_after):
        from flask_babel import lazy_gettext as _l

        super().__init__(_l("Too many attempts. Please wait %(seconds)s seconds and try again.",
                            seconds=retry_after))
        self.retry_after = retry_after
