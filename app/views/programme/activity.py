"""Training and promotion activities of a township."""
from flask_babel import lazy_gettext as _l

from app.models import TrainingActivity
from app.roles import TRAINING_ACTIVITY
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView


class TrainingActivityView(ProgrammeView):
    route_base = "/trainingactivities"
    datamodel = scoped(TrainingActivity)
    class_permission_name = TRAINING_ACTIVITY
    list_title = _l("Training and promotion")
    show_title = _l("Training or promotion activity")
    add_title = _l("Add training or promotion activity")
    edit_title = _l("Edit training or promotion activity")
    label_columns = {
        "held_on": _l("Date"), "org_unit": _l("Township/street"), "kind": _l("Kind"), "topic": _l("Topic"),
        "organiser": _l("Organised by"), "venue": _l("Venue"), "audience_count": _l("Participants"),
        "employers": _l("Employers reached"), "employer_count": _l("Employers reached"), "notes": _l("Notes"),
    }
    list_columns = ["held_on", "org_unit", "kind", "topic", "audience_count", "employer_count"]
    list_loads = ("employers",)
    add_columns = edit_columns = show_columns = ["org_unit", "held_on", "kind", "topic", "organiser", "venue",
                                                 "audience_count", "employers", "notes"]
    search_columns = ["held_on", "org_unit", "kind", "topic", "organiser", "employers"]
    order_columns = ["held_on", "topic", "audience_count"]
    base_order = ("held_on", "desc")
    description_columns = {
        "audience_count": _l("People who took part or were reached"),
        "employers": _l("Employers of this township that were trained or visited"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}


class TrainingActivityApi(ScopedApi):
    resource_name = "trainingactivity"
    datamodel = scoped(TrainingActivity)
    class_permission_name = TRAINING_ACTIVITY
    list_columns = ["id", "held_on", "org_unit.id", "org_unit.name", "kind", "topic", "audience_count"]
    show_columns = ["id", "held_on", "org_unit.id", "kind", "topic", "organiser", "venue", "audience_count",
                    "employers.id", "employers.name", "notes"]
    add_columns = edit_columns = ["org_unit", "held_on", "kind", "topic", "organiser", "venue",
                                  "audience_count", "employers", "notes"]
    search_columns = ["held_on", "org_unit", "kind", "topic"]
