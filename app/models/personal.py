"""Personal data protection: the one place that decides how ID and phone numbers read.

A model lists its personal columns in ``personal_fields`` and gets a ``<field>_masked`` property for
each (``310***********1234``). Lists, exports, the REST API and reports read only the masked
properties; the full value is shown on the record page to users who may edit the record, and each
such view is written to the audit log (``app/views/personal_data.py``).
"""
from app.codes import mask


def masked(field: str) -> property:
    return property(lambda record: mask(getattr(record, field)), doc=f"{field}, masked")


class PersonalData:
    """Mix in and name the columns; the masked properties are added when the class is defined."""

    personal_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for field in cls.__dict__.get("personal_fields", ()):
            setattr(cls, f"{field}_masked", masked(field))

    @classmethod
    def masked_name(cls, field: str) -> str:
        return f"{field}_masked" if field in cls.personal_fields else field
