"""SME assistance: the six items and the before/after flags, one fieldset per item."""
from flask_babel import lazy_gettext as _l

from app.models import SmeAssistance
from app.models.programme.assistance import BEFORE_AFTER, SIX_ITEMS
from app.roles import SME_ASSISTANCE
from app.views.base import ScopedApi, scoped
from app.views.programme.base import ProgrammeView

ITEM_FIELDS = {item: [f"{item}_done", f"{item}_on", f"{item}_notes"] for item in SIX_ITEMS}
FLAG_FIELDS = [f"{flag}_{when}" for flag in BEFORE_AFTER for when in ("before", "after")]
HEADER_FIELDS = ["employer", "year", "team", "team_leader"]
ALL_FIELDS = HEADER_FIELDS + [field for fields in ITEM_FIELDS.values() for field in fields] + FLAG_FIELDS + [
    "notes"]


def _labels() -> dict:
    labels = {
        "employer": _l("Assisted employer"), "org_unit": _l("Township/street"), "year": _l("Year"),
        "team": _l("Assistance team"), "team_leader": _l("Team leader"), "notes": _l("Notes"),
        "items_progress": _l("Six items done"),
    }
    for item in SIX_ITEMS:  # shown in a fieldset named after the item
        labels.update({f"{item}_done": _l("Done"), f"{item}_on": _l("Date done"),
                       f"{item}_notes": _l("Notes on the item")})
    for flag, name in BEFORE_AFTER.items():
        labels.update({f"{flag}_before": _l("Before: %(flag)s", flag=name),
                       f"{flag}_after": _l("After: %(flag)s", flag=name)})
    return labels


class SmeAssistanceView(ProgrammeView):
    route_base = "/smeassistance"
    datamodel = scoped(SmeAssistance)
    class_permission_name = SME_ASSISTANCE
    list_title = _l("SME assistance")
    show_title = _l("SME assistance")
    add_title = _l("Add SME assistance")
    edit_title = _l("Edit SME assistance")
    label_columns = _labels()
    list_columns = ["year", "employer", "org_unit", "team", "items_progress", "declared_after",
                    "detected_after", "examined_after", "trained_after"]
    search_columns = ["year", "employer", "org_unit", "team", *FLAG_FIELDS]
    order_columns = ["year", "team"]
    base_order = ("year", "desc")
    add_fieldsets = edit_fieldsets = [
        (_l("Assistance"), {"fields": HEADER_FIELDS}),
        *[(name, {"fields": ITEM_FIELDS[item]}) for item, name in SIX_ITEMS.items()],
        (_l("Before and after the assistance"), {"fields": FLAG_FIELDS}),
        (_l("Notes"), {"fields": ["notes"]}),
    ]
    show_fieldsets = [
        (_l("Assistance"), {"fields": [*HEADER_FIELDS, "org_unit", "items_progress"]}), *add_fieldsets[1:]]
    description_columns = {
        "employer": _l("A small, medium or micro enterprise (Chongqing Annex 3)"),
        "team": _l("e.g. the occupational-health steward team, a technical support or service institution"),
    }


class SmeAssistanceApi(ScopedApi):
    resource_name = "smeassistance"
    datamodel = scoped(SmeAssistance)
    class_permission_name = SME_ASSISTANCE
    list_columns = ["id", "employer.id", "employer.name", "org_unit.id", "year", "team", "items_done"]
    show_columns = ["id", "employer.id", "org_unit.id", "items_done", *ALL_FIELDS[1:]]
    add_columns = edit_columns = ALL_FIELDS
    search_columns = ["year", "employer", "org_unit", "team"]
