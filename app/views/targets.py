"""The city admin's indicator set: which indicators the city uses each year and their targets."""
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.models import IndicatorTarget
from app.roles import INDICATOR_TARGET
from app.views.base import scoped
from app.views.programme.base import ProgrammeView

CITIES_ONLY = [["level", FilterEqual, "city"]]


class IndicatorTargetView(ProgrammeView):
    route_base = "/indicatortargets"
    datamodel = scoped(IndicatorTarget)
    class_permission_name = INDICATOR_TARGET
    list_title = _l("Indicator targets")
    show_title = _l("Indicator target")
    add_title = _l("Add indicator target")
    edit_title = _l("Edit indicator target")
    label_columns = {"org_unit": _l("City"), "year": _l("Year"), "indicator": _l("Indicator"),
                     "used": _l("Used"), "comparison": _l("Comparison"), "target": _l("Target"),
                     "source_document": _l("Source document"), "notes": _l("Notes")}
    list_columns = ["year", "indicator", "used", "comparison", "target", "source_document"]
    add_columns = edit_columns = show_columns = ["org_unit", "year", "indicator", "used", "comparison", "target",
                                                 "source_document", "notes"]
    search_columns = ["year", "indicator", "used", "source_document"]
    order_columns = ["year", "indicator"]
    base_order = ("year", "desc")
    description_columns = {
        "target": _l("A rate in per cent (0–100); a count or a number per coordinator as it is"),
        "used": _l("Only the indicators used are shown in the rollup; a year without rows keeps the latest "
                   "earlier year's set"),
        "source_document": _l("The document the target comes from, e.g. 沧卫职健〔2020〕1号"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": CITIES_ONLY}


__all__ = ["IndicatorTargetView"]
