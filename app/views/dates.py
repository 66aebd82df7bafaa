"""Date and date-time fields of every form: the forms people type dates in are accepted (app/dates.py) and
shown back as 2026-10-15; a date that cannot be read is refused with the expected format. The picker that goes
with them speaks the page's language and starts the week on Monday (static/js/forms.js)."""
from wtforms import DateField, DateTimeField

from app.dates import DATE_EXPECTED, DATETIME_EXPECTED, parse_date, parse_datetime

DATE_FORMAT, DATETIME_FORMAT = "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"


class PortalDateField(DateField):
    """A date typed in any of the usual forms, shown back as 2026-10-15."""

    parse, expected, shown_as = staticmethod(parse_date), DATE_EXPECTED, DATE_FORMAT

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("format", None)
        super().__init__(label, validators, format=self.shown_as, **kwargs)

    def process_formdata(self, valuelist):
        text = " ".join(valuelist).strip()
        if not text:
            self.data = None
            return
        self.data = self.parse(text)
        if self.data is None:
            raise ValueError(str(self.expected))

    def _value(self):
        if self.data:
            return self.data.strftime(self.shown_as)
        return " ".join(self.raw_data) if self.raw_data else ""


class PortalDateTimeField(PortalDateField, DateTimeField):
    """A date and time typed in any of the usual forms, shown back as 2026-10-15 14:30:00."""

    parse, expected, shown_as = staticmethod(parse_datetime), DATETIME_EXPECTED, DATETIME_FORMAT


def portal_date_field(unbound):
    """The portal's date field in place of a date field Flask-AppBuilder made from a column (same label,
    validators, widget), or the field as it was."""
    for theirs, ours in ((DateTimeField, PortalDateTimeField), (DateField, PortalDateField)):
        if unbound.field_class is theirs:
            return ours(*unbound.args, **unbound.kwargs)
    return unbound
