"""Org units: the city → district → township tree."""
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.models import OrgUnit
from app.models.org import LEVELS
from app.roles import ORG_UNIT
from app.views.base import ScopedApi, ScopedModelView, scoped


class OrgUnitView(ScopedModelView):
    route_base = "/orgunits"
    datamodel = scoped(OrgUnit)
    class_permission_name = ORG_UNIT
    list_title = show_title = _l("Org units")
    add_title = _l("Add org unit")
    edit_title = _l("Edit org unit")
    label_columns = {"level": _l("Level"), "level_label": _l("Level"), "code": _l("Code"),
                     "name": _l("Name"), "parent": _l("Parent unit"), "path": _l("Code path")}
    list_columns = ["code", "name", "level_label", "parent", "path"]
    show_columns = ["code", "name", "level_label", "parent", "path"]
    add_columns = edit_columns = ["level", "code", "name", "parent"]
    search_columns = ["name", "code", "level", "parent"]
    order_columns = ["code", "name", "path"]
    base_order = ("path", "asc")
    add_form_extra_fields = edit_form_extra_fields = {
        "level": SelectField(_l("Level"), choices=list(LEVELS.items())),
    }
    description_columns = {
        "code": _l("City and district: 6-digit GB/T 2260 code; township: 2 digits within its district"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "parent": [["level", FilterNotEqual, "township"]],
    }



class OrgUnitApi(ScopedApi):
    resource_name = "orgunit"
    datamodel = scoped(OrgUnit)
    class_permission_name = ORG_UNIT
    list_columns = show_columns = ["id", "level", "code", "name", "parent.id", "path"]
    add_columns = edit_columns = ["level", "code", "name", "parent"]
