"""Personal data protection: the one place that decides how ID and phone numbers read.

A model lists its personal columns in ``personal_fields`` and gets a ``<field>_masked`` property for
each (``310***********1234``). Lists, exports, the REST API and reports read only the masked
properties; the full value is shown on the record page to users who may edit the record, and each
such view is written to the audit log (``app/views/personal_data.py``). The audit log shows a personal
value's old → new masked the same way (``masked_changes``), so it holds no way round the record page.
"""
from app.codes import mask

PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {}  # model name (as the audit log names it) → its fields


def masked(field: str) -> property:
    return property(lambda record: mask(getattr(record, field)), doc=f"{field}, masked")


def masked_changes(entity: str, changes: dict | None) -> dict:
    """An audit entry's {field: [old, new]} with each personal value masked as lists show it."""
    fields = PERSONAL_FIELDS.get(entity, ())

    def shown(value):
        if isinstance(value, list):  # [old, new]
            return [shown(item) for item in value]
        return mask(value) if isinstance(value, str) else value

    return {name: shown(value) if name in fields else value for name, value in (changes or {}).items()}


class PersonalData:
    """Mix in and name the columns; the masked properties are added when the class is defined."""

    personal_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for field in cls.__dict__.get("personal_fields", ()):
            setattr(cls, f"{field}_masked", masked(field))
        PERSONAL_FIELDS[cls.__name__] = cls.personal_fields

    @classmethod
    def masked_name(cls, field: str) -> str:
        return f"{field}_masked" if field in cls.personal_fields else field
