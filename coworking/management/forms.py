"""Forms for running a space and for the admins' space pages: shape and format only; the
rules (ranges, names, time zones, hours) live in the management services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from coworking.management.affected import REASON_MAX
from coworking.management.hour_changes import CHOICE_LABELS
from coworking.management.resources import AMENITIES_MAX, CANCEL, MOVE, NAME_MAX
from coworking.management.spaces import STATES
from coworking.management.texts import LIMITS as TEXT_LIMITS
from coworking.spaces.models import ResourceKind, SpaceType
from coworking.spaces.service import WEEKDAYS

HOURS_HINT = _l("Such as 08:00–12:00, 13:00–18:00; empty: closed all day.")
REASON_LABEL = _l("Message to the members concerned (optional)")
SPACE_TYPE_CHOICES = [SelectChoice("", _l("not classified"))] + [
    SelectChoice(kind.value, kind.label) for kind in SpaceType]


def _reason_field():
    return StringField(REASON_LABEL, validators=[Optional(), Length(max=REASON_MAX)])


class ConfirmingForm(FlaskForm):
    """A change that may cancel bookings: `confirmed` carries the ids the host was shown."""

    confirmed = HiddenField()
    reason = _reason_field()

    def confirmed_ids(self):
        return {int(part) for part in (self.confirmed.data or "").split(",")
                if part.strip().isdecimal() and len(part.strip()) < 10}


class ResourceForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, k.label) for k in ResourceKind])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    capacity = IntegerField(_l("Capacity (people)"), default=1, validators=[InputRequired()])
    amenities = StringField(_l("Amenities (optional)"),
                            validators=[Optional(), Length(max=AMENITIES_MAX)])
    submit = SubmitField(_l("Add"))


class ResourceEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    capacity = IntegerField(_l("Capacity (people)"), validators=[InputRequired()])
    amenities = StringField(_l("Amenities (optional)"),
                            validators=[Optional(), Length(max=AMENITIES_MAX)])
    submit = SubmitField(_l("Save"))


class DeactivateForm(ConfirmingForm):
    choice = RadioField(_l("What happens to its bookings?"), validators=[Optional()],
                        validate_choice=False, default=MOVE,
                        choices=[SelectChoice(CANCEL, _l("Cancel them")),
                                 SelectChoice(MOVE, _l("Move them to another free one"))])
    submit = SubmitField(_l("Take out of service"))


class ButtonForm(FlaskForm):
    """A single button (reactivate, remove a closure or a host): the CSRF token only."""

    submit = SubmitField(_l("Confirm"))


class WeekFields(FlaskForm):
    """One text field per weekday, named as the services name the days."""

    monday = StringField(_l("Monday"), validators=[Length(max=200)])
    tuesday = StringField(_l("Tuesday"), validators=[Length(max=200)])
    wednesday = StringField(_l("Wednesday"), validators=[Length(max=200)])
    thursday = StringField(_l("Thursday"), validators=[Length(max=200)])
    friday = StringField(_l("Friday"), validators=[Length(max=200)])
    saturday = StringField(_l("Saturday"), validators=[Length(max=200)])
    sunday = StringField(_l("Sunday"), validators=[Length(max=200)])

    def days(self):
        return [getattr(self, name) for name in WEEKDAYS]

    def texts(self):
        return {name: getattr(self, name).data or "" for name in WEEKDAYS}


class OutcomeChoices:
    """What a change that hits bookings asks of the host: a default outcome, and one per
    booking on the confirmation page ("outcome-<id>"). The hours and closure forms share it,
    and hour_changes applies it."""

    on_conflict = SelectField(
        _l("What happens to the bookings hit"), default="cancel",
        choices=[SelectChoice(key, label) for key, label in CHOICE_LABELS.items()])

    def outcomes(self, formdata):
        """The host's choice per booking ("outcome-<id>"), where it differs from the default."""
        return {int(key.split("-", 1)[1]): value for key, value in formdata.items()
                if key.startswith("outcome-") and key.split("-", 1)[1].isdecimal()
                and len(key) < 20 and value in CHOICE_LABELS}


class HoursForm(OutcomeChoices, WeekFields):
    confirmed = HiddenField()
    reason = _reason_field()
    effective_from = DateField(_l("Applies from (today or later)"), validators=[Optional()])
    submit = SubmitField(_l("Save opening hours"))
    confirmed_ids = ConfirmingForm.confirmed_ids


class ClosureForm(OutcomeChoices, ConfirmingForm):
    start_date = DateField(_l("First closed day"), validators=[InputRequired()])
    end_date = DateField(_l("Last closed day"), validators=[InputRequired()])
    # Named as the service and the API name them, so their errors land beside these fields.
    start = TimeField(_l("Closed from (optional)"), validators=[Optional()])
    end = TimeField(_l("Open again at (optional)"), validators=[Optional()])
    closure_reason = StringField(_l("Reason (members see it)"),
                                 validators=[DataRequired(), Length(max=200)])
    closure_reason_en = StringField(_l("Reason in English (optional)"),
                                    validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add closure"))


class RulesForm(FlaskForm):
    horizon_days = IntegerField(_l("Bookable days ahead"), validators=[InputRequired()])
    min_notice_minutes = IntegerField(_l("Minimum notice in minutes"),
                                      validators=[InputRequired()])
    max_booking_minutes = IntegerField(_l("Longest booking in minutes"),
                                       validators=[InputRequired()])
    cancel_deadline_minutes = IntegerField(
        _l("Cancellation deadline in minutes before the start"), validators=[InputRequired()])
    no_show_grace_minutes = IntegerField(_l("Grace period in minutes"),
                                         validators=[InputRequired()])
    max_room_bookings = IntegerField(_l("Upcoming room bookings per member (empty: no limit)"),
                                     validators=[Optional()])
    max_desk_days = IntegerField(_l("Days ahead with a desk per member (empty: no limit)"),
                                 validators=[Optional()])
    submit = SubmitField(_l("Save booking rules"))


class HostForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    # Only for someone without an account yet: they are invited by e-mail.
    name = StringField(_l("Name (only for someone without an account)"),
                       validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Appoint as host"))


class TownForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    state = SelectField(_l("State"), choices=[SelectChoice("", "–")] + [
        SelectChoice(code, name) for code, name in sorted(STATES.items(), key=lambda s: s[1])])
    population = IntegerField(_l("Population (optional)"), validators=[Optional()])
    town_type = StringField(_l("Town type (code, optional)"),
                            validators=[Optional(), Length(max=60)])
    location_type = StringField(_l("Location type (code, optional)"),
                                validators=[Optional(), Length(max=60)])
    submit = SubmitField(_l("Add town"))


class SpaceForm(WeekFields):
    # The service checks what is required, so that every missing field is named at once.
    name = StringField(_l("Name"), validators=[Length(max=120)])
    slug = StringField(_l("Web address (slug)"), validators=[Length(max=60)])
    town_id = SelectField(_l("Town"), coerce=int, validate_choice=False)
    address = StringField(_l("Address"), validators=[Length(max=250)])
    timezone = StringField(_l("Time zone"), default="Europe/Berlin", validators=[Length(max=60)])
    slot_minutes = IntegerField(_l("Slot length in minutes"), default=30,
                                validators=[Optional()])
    space_type = SelectField(_l("Type of space (for research)"), choices=SPACE_TYPE_CHOICES,
                             validate_choice=False)
    operator_id = SelectField(_l("Operator"), coerce=int, validate_choice=False, default=0)
    submit = SubmitField(_l("Open the space"))


class CoordinateField(StringField):
    """A decimal degree, written with a point or a German comma; empty is None."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip().replace(",", ".")
        self.data = None
        if not text:
            return
        try:
            self.data = float(text)
        except ValueError:
            self.data = text
            raise ValueError(_l("Enter a number of degrees, such as 53.0013.")) from None
        if self.data != self.data or self.data in (float("inf"), float("-inf")):
            self.data = text
            raise ValueError(_l("Enter a number of degrees, such as 53.0013."))

    def _value(self):
        return "" if self.data is None else str(self.data)


def _text(label, name, area=False):
    kind = TextAreaField if area else StringField
    return kind(label, validators=[Optional(), Length(max=TEXT_LIMITS[name])])


class TextsForm(FlaskForm):
    """What visitors read about the space; lengths here, the rest in management.texts."""

    description = _text(_l("Short introduction"), "description", area=True)
    amenities = _text(_l("Amenities, one per line"), "amenities", area=True)
    access = _text(_l("How to get in"), "access", area=True)
    description_en = _text(_l("Short introduction in English"), "description_en", area=True)
    amenities_en = _text(_l("Amenities in English, one per line"), "amenities_en", area=True)
    access_en = _text(_l("How to get in, in English"), "access_en", area=True)
    contact_name = _text(_l("Contact person"), "contact_name")
    contact_email = _text(_l("Contact e-mail address"), "contact_email")
    contact_phone = _text(_l("Contact phone number"), "contact_phone")
    latitude = CoordinateField(_l("Latitude (optional)"))
    longitude = CoordinateField(_l("Longitude (optional)"))
    submit = SubmitField(_l("Save texts and contact"))

    MULTILINE = ("description", "amenities", "access", "description_en", "amenities_en",
                 "access_en")


class SpaceTypeForm(FlaskForm):
    space_type = SelectField(_l("Type of space"), choices=SPACE_TYPE_CHOICES,
                             validate_choice=False)
    submit = SubmitField(_l("Save"))
