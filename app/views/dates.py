"""Date and date-time fields of every form: the forms people type dates in are accepted — 2026-10-15,
2026/10/15, 2026.10.15, 20261015, 2026年10月15日, full-width digits too — and shown back as 2026-10-15; a
date that cannot be read is refused with the expected format. The picker that goes with them speaks the
page's language and starts the week on Monday (static/js/forms.js)."""
import re
import unicodedata
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeField

DATE_FORMAT, DATETIME_FORMAT = "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"
DATE_EXPECTED = _l("Enter the date as 2026-10-15 (2026/10/15 or 20261015 are accepted too)")
DATETIME_EXPECTED = _l("Enter the date and time as 2026-10-15 14:30 (the time may be left out)")

_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_RUN_TOGETHER = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})\s*秒?)?")


def _split(text: str, with_time: bool) -> tuple[re.Match, re.Match | None] | None:
    text = unicodedata.normalize("NFKC", text).strip()  # full-width digits and punctuation as ASCII
    for pattern in (_SEPARATED, _RUN_TOGETHER):
        day = pattern.match(text)
        if day is not None:
            rest = text[day.end():].strip(" T")
            if not rest:
                return day, None
            clock = _TIME.fullmatch(rest) if with_time else None
            return (day, clock) if clock is not None else None
    return None


def parse_date(text: str) -> date | None:
    """The date ``text`` names in one of the usual forms, or None when it names none."""
    found = _split(text, with_time=False)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found[0].groups()))
    except ValueError:  # 2026-02-30
        return None


def parse_datetime(text: str) -> datetime | None:
    """A date as ``parse_date`` reads it, optionally followed by a time (14:30 or 14:30:05)."""
    found = _split(text, with_time=True)
    if found is None:
        return None
    day, clock = found
    try:
        return datetime.combine(date(*(int(part) for part in day.groups())),
                                time(*(int(part) for part in clock.groups() if part is not None)) if clock
                                else time())
    except ValueError:
        return None


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
