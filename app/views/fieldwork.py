"""Field work: screenings, patrols, hazard reports, checklist templates and closed years."""
from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import Optional

from app.labels import EMPLOYER_LABELS
from app.models import (ChecklistItem, ChecklistTemplate, ClosedYear, EconomicType, Employer, EnterpriseSize,
                        HazardReport, Patrol, ProductionStatus, Screening, db)
from app.models.checklist import ANSWERS, HEADER_FIELDS
from app.models.fieldwork import DETECTION_STATUS, EXAM_STATUS, EXPOSURE_FIELDS, TRAINING_COVERAGE
from app.models.hazard_report import CATEGORIES, HANDLING_STATUSES
from app.models.workflow import STATES
from app.roles import CHECKLIST_TEMPLATE, CLOSED_YEAR, HAZARD_REPORT, PATROL, SCREENING
from app.scoping import current_user_or_none
from app.views.base import VIEW_PERMISSIONS, ModelRulesInForms, RelationPickers, ScopedApi, ScopedModelView, scoped
from app.views.child_rows import code_formatters
from app.views.fieldwork_forms import (ChecklistField, ShownAsRequired, checklist_table, choice_field,
                                       default_template, employer_picker, filter_choice, form_value, many_choices,
                                       template_picker)
from app.views.pickers import RecordPicker
from app.views.programme.base import TOWNSHIPS_ONLY
from app.views.workflow import WORKFLOW_PERMISSIONS, LockedRecordApi, LockedRecordViews, WorkflowViews

WORKFLOW_LABELS = {
    "state": _l("Status"), "state_label": _l("Status"), "submitted_at": _l("Submitted at"),
    "on_time": _l("Submitted on time"), "on_time_shown": _l("Submitted on time"),
    "reviewed_at": _l("Reviewed at"), "reviewed_by": _l("Reviewed by"),
    "return_reason": _l("Reason for returning"), "org_unit": _l("Township/street"),
}
VISIT_LABELS = {
    **WORKFLOW_LABELS, "employer": _l("Employer"), "companion": _l("Employer's accompanying person"),
    "coordinator": _l("Coordinator"),
}
VISIT_LIST = ["visit_date", "employer", "org_unit", "coordinator", "state", "submitted_at", "on_time_shown"]
VISIT_SEARCH = ["employer", "org_unit", "visit_date", "state", "coordinator"]
ACTIVE = [["active", FilterEqual, True]]
SHOWN = {"hazards": "hazard_names"}  # on a show page: the named factors by category


def options(dictionary) -> list:
    """A dictionary's entries in use, in order: the boxes of a printed form."""
    return db.session.scalars(select(dictionary).where(dictionary.active.is_(True))
                              .order_by(dictionary.sort_order)).all()


class VisitView(WorkflowViews, ScopedModelView):
    """A screening's or patrol's pages: add forms start from today, the signed-in coordinator and, with
    ``?employer=<id>``, the employer's register. Choosing the employer on the form fills in the register's
    values without reloading (static/js/visit_forms.js asks ``register``), keeping what was typed."""

    method_permission_name = {**VIEW_PERMISSIONS, **WORKFLOW_PERMISSIONS, "register": "write"}
    search_form_extra_fields = {"state": filter_choice(_l("Status"), STATES)}
    formatters_columns = code_formatters({"state": STATES})
    base_order = ("visit_date", "desc")
    order_columns = ["visit_date", "submitted_at"]

    def _get_add_widget(self, form, **kwargs):
        if request.method == "GET":
            form.coordinator.data = current_user_or_none()
            employer_id = request.args.get("employer", type=int)
            employer = scoped(Employer).get(employer_id) if employer_id else None
            if employer is not None:
                form.employer.data = employer
                for field, value in self.datamodel.obj.register_values(employer).items():
                    form[field].data = value
        return super()._get_add_widget(form, **kwargs)

    @expose("/register")
    @has_access
    def register(self):
        """The register of ``?employer=<id>`` as the form's fields take it: text as text, a date as
        2026-10-15, a dictionary entry as its id and label. An employer outside the user's scope is not
        found."""
        employer = scoped(Employer).get(request.args.get("employer", 0, type=int))
        if employer is None:
            abort(404)
        return jsonify({field: form_value(value)
                        for field, value in self.datamodel.obj.register_values(employer).items()})

    def post_add(self, item):
        g.added_record_id = item.id

    def post_add_redirect(self):
        """A new record opens on its page, where it is submitted and printed."""
        if getattr(g, "added_record_id", None) is not None:
            return redirect(url_for(f"{self.__class__.__name__}.show", pk=g.added_record_id))
        return super().post_add_redirect()


class ScreeningView(VisitView):
    route_base = "/screenings"
    datamodel = scoped(Screening)
    class_permission_name = SCREENING
    print_template = "fieldwork/print_screening.html"
    list_title = _l("Screenings")
    show_title = _l("Screening")
    add_title = _l("Add screening")
    edit_title = _l("Edit screening")
    label_columns = {
        **EMPLOYER_LABELS, **VISIT_LABELS, "employer_name": EMPLOYER_LABELS["name"],
        "update_register": _l("Update the employer's register with this information"),
        "exposed_total": _l("Workers exposed to occupational hazards: total"),
        "exposed_dust": _l("Exposed to dust"), "exposed_chemical": _l("Exposed to chemicals"),
        "exposed_physical": _l("Exposed to physical factors"),
        "exposed_radioactive": _l("Exposed to radioactive factors (ionising radiation)"),
        "exposed_biological": _l("Exposed to biological factors"), "exposed_other": _l("Exposed to other factors"),
        "hazard_declared": _l("Hazard project declared"),
        "leader_trained": _l("Employer's head trained"), "manager_trained": _l("Health managers trained"),
        "workers_trained": _l("Exposed workers trained"), "training_coverage": _l("Training"),
        "training_coverage_label": _l("Training"),
        "detection_status": _l("Detection in the last 3 years"),
        "detection_status_label": _l("Detection in the last 3 years"),
        "detection_report_number": _l("Last detection (evaluation) report number"),
        "detection_agency": _l("Detection and evaluation agency"),
        "detection_report_date": _l("Last detection report date"),
        "exam_status": _l("On-duty health examinations in the last 3 years"),
        "exam_status_label": _l("On-duty health examinations in the last 3 years"),
        "exam_report_number": _l("Last on-duty examination report number"),
        "exam_agency": _l("Examination institution"), "exam_report_date": _l("Last examination report date"),
        "exam_due_count": _l("Workers who should be examined"), "exam_done_count": _l("Workers examined"),
        "visit_date": _l("Screening date"),
        "hazards": _l("Hazard factors named (by category)"), "hazard_names": _l("Hazard factors named (by category)"),
    }
    list_columns = ["visit_date", "employer", "org_unit", "exposed_total", "hazard_names", "coordinator", "state",
                    "submitted_at", "on_time_shown"]
    list_loads = ("hazards.category",)
    search_columns = VISIT_SEARCH
    enterprise_fields = ["employer_name", "credit_code", "workplace_address", "registered_district",
                         "registered_township", "registered_address", "start_date", "industry",
                         "legal_representative", "contact_person", "contact_phone", "total_workers",
                         "female_workers", "outsourced_workers", "economic_type", "enterprise_size", "products",
                         "raw_materials"]
    sections = [  # Annex 2, section by section
        (_l("Hazard factors and exposure"), ["exposed_total", "exposed_dust", "exposed_chemical",
                                              "exposed_physical", "exposed_radioactive", "exposed_biological",
                                              "exposed_other", "hazards"]),
        (_l("Hazard project declaration"), ["hazard_declared"]),
        (_l("Occupational health training"), ["leader_trained", "manager_trained", "workers_trained",
                                              "training_coverage"]),
        (_l("Periodic hazard detection in the last 3 years"), ["detection_status", "detection_report_number",
                                                                "detection_agency", "detection_report_date"]),
        (_l("On-duty health examinations in the last 3 years"), ["exam_status", "exam_report_number",
                                                                  "exam_agency", "exam_report_date",
                                                                  "exam_due_count", "exam_done_count"]),
        (_l("Signatures and date"), ["companion", "coordinator", "visit_date"]),
    ]
    add_fieldsets = edit_fieldsets = [
        (_l("Enterprise information"), {"fields": ["employer", *enterprise_fields, "update_register"]}),
        *[(title, {"fields": fields}) for title, fields in sections],
    ]
    show_fieldsets = [
        (_l("Enterprise information"), {"fields": ["employer", "org_unit", *enterprise_fields]}),
        *[(title, {"fields": [SHOWN.get(field, f"{field}_label" if field.endswith(("_coverage", "_status"))
                                           else field) for field in fields]}) for title, fields in sections],
    ]
    description_columns = {
        **{field: _l("Left empty: as in the register") for field in enterprise_fields},
        "update_register": _l("Ticked, the employer's register takes the enterprise information above"),
        "exposed_total": _l("Each category counts the workers exposed to it; a worker may count in several"),
        "hazards": _l("Search the 2015 catalogue by name, code or CAS number; each category with exposed "
                      "workers names at least one of its factors"),
        "coordinator": _l("Left empty on a new record: you"),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "employer": employer_picker(_l("Employer"), fills_form=True),
        "update_register": BooleanField(_l("Update the employer's register with this information")),
        "training_coverage": choice_field(_l("Training"), TRAINING_COVERAGE),
        "detection_status": choice_field(_l("Detection in the last 3 years"), DETECTION_STATUS),
        "exam_status": choice_field(_l("On-duty health examinations in the last 3 years"), EXAM_STATUS),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "industry": ACTIVE, "economic_type": ACTIVE, "enterprise_size": ACTIVE, "coordinator": ACTIVE,
        "hazards": ACTIVE,
    }

    def print_context(self):
        return {"economic_types": options(EconomicType), "enterprise_sizes": options(EnterpriseSize),
                "training_choices": list(TRAINING_COVERAGE.items())}

    def post_add(self, item):
        super().post_add(item)
        self._report_register_changes(item)

    def post_update(self, item):
        self._report_register_changes(item)

    @staticmethod
    def _report_register_changes(item):
        changes = getattr(item, "register_changes", None)
        if changes:
            flash(_l("The employer's register was updated: %(fields)s",
                     fields="、".join(str(ScreeningView.label_columns[field]) for field in changes)), "info")


class HazardReportView(LockedRecordViews, ScopedModelView):
    route_base = "/hazardreports"
    datamodel = scoped(HazardReport)
    class_permission_name = HAZARD_REPORT
    list_title = _l("Hazard and clue reports")
    show_title = _l("Hazard or clue report")
    add_title = _l("Report a hazard or clue")
    edit_title = _l("Edit hazard or clue report")
    label_columns = {
        "org_unit": _l("Township/street"), "employer": _l("Employer"), "patrol": _l("Found on patrol"),
        "category": _l("What was found"), "category_label": _l("What was found"),
        "description": _l("Description"), "found_at": _l("Found at"), "reported_at": _l("Reported at"),
        "reported_to": _l("Reported to"), "reported_in_time": _l("Reported in time"),
        "handling_status": _l("Handling status"), "handling_status_label": _l("Handling status"),
        "handling_result": _l("Handling result"), "item_number": _l("Checklist item of the patrol"),
    }
    list_columns = ["found_at", "category", "employer", "org_unit", "reported_at", "reported_in_time",
                    "handling_status"]
    formatters_columns = code_formatters({"category": CATEGORIES, "handling_status": HANDLING_STATUSES})
    list_loads = ("patrol",)  # whether a row may be deleted: a clue of a submitted patrol may not
    search_columns = ["category", "employer", "org_unit", "found_at", "reported_at", "handling_status"]
    order_columns = ["found_at", "reported_at"]
    base_order = ("found_at", "desc")
    add_columns = edit_columns = ["category", "employer", "org_unit", "patrol", "item_number", "description",
                                  "found_at", "reported_at", "reported_to", "handling_status", "handling_result"]
    show_columns = ["category_label", "employer", "org_unit", "patrol", "item_number", "description", "found_at",
                    "reported_at", "reported_to", "reported_in_time", "handling_status_label",
                    "handling_result"]
    description_columns = {
        "item_number": _l("The No. of the clue item answered 有 on the patrol (e.g. 7 群众投诉举报情况)"),
        "category": _l("Acute-poisoning risks, minors or pregnant/nursing women in hazardous work and other "
                       "violations are reported immediately (within 24 hours)"),
        "reported_to": _l("e.g. the district health supervision agency"),
    }
    search_form_extra_fields = {"category": filter_choice(_l("What was found"), CATEGORIES),
                                "handling_status": filter_choice(_l("Handling status"), HANDLING_STATUSES)}
    add_form_extra_fields = edit_form_extra_fields = {
        "category": choice_field(_l("What was found"), CATEGORIES),
        "employer": employer_picker(_l("Employer"), required=False),
        "org_unit": RecordPicker(_l("Township/street"), [Optional()],
                                 description=_l("Filled from the employer when one is chosen")),
        "handling_status": choice_field(_l("Handling status"), HANDLING_STATUSES),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}

    def _get_add_widget(self, form, **kwargs):
        """From a patrol's page (``?patrol=<id>&item=<number>``): the patrol's employer, township and day,
        and the clue of that item, filled in."""
        patrol_id = request.args.get("patrol", type=int)
        patrol = scoped(Patrol).get(patrol_id) if patrol_id and request.method == "GET" else None
        if patrol is not None:
            for field, value in HazardReport.values_from_patrol(patrol, request.args.get("item", type=int)).items():
                form[field].data = value
        return super()._get_add_widget(form, **kwargs)


class PatrolView(VisitView):
    route_base = "/patrols"
    datamodel = scoped(Patrol)
    class_permission_name = PATROL
    print_template = "fieldwork/print_patrol.html"
    related_views = [HazardReportView]
    list_title = _l("Patrols")
    show_title = _l("Patrol")
    add_title = _l("Add patrol")
    edit_title = _l("Edit patrol")
    label_columns = {
        **VISIT_LABELS, "template": _l("Checklist template"), "address": _l("Business address"),
        "legal_representative": _l("Legal representative"), "contact_person": _l("Contact person"),
        "contact_phone": _l("Contact phone"), "hazards": _l("Main occupational hazards"),
        "answers": _l("Patrol checklist"), "production_status": _l("Production status"),
        "problems_found": _l("Main problems found"), "disposal": _l("Disposal"), "visit_date": _l("Patrol date"),
    }
    list_columns = VISIT_LIST
    search_columns = VISIT_SEARCH + ["production_status"]
    header = ["employer", "address", "legal_representative", "contact_person", "contact_phone", "hazards"]
    findings = ["production_status", "problems_found", "disposal"]
    signatures = ["companion", "coordinator", "visit_date"]
    add_fieldsets = [
        (_l("Employer"), {"fields": header}),
        (_l("Patrol checklist"), {"fields": ["template", "answers"]}),
        (_l("Findings"), {"fields": findings}),
        (_l("Signatures and date"), {"fields": signatures}),
    ]
    edit_fieldsets = [*add_fieldsets[:1], (_l("Patrol checklist"), {"fields": ["answers"]}), *add_fieldsets[2:]]
    show_fieldsets = [
        (_l("Employer"), {"fields": ["org_unit", *header]}),
        (_l("Patrol checklist"), {"fields": ["template", "answers"]}),
        (_l("Findings"), {"fields": findings}),
        (_l("Signatures and date"), {"fields": signatures}),
    ]
    formatters_columns = {**VisitView.formatters_columns, "answers": checklist_table,
                          "hazards": lambda hazards: "、".join(hazard.name for hazard in hazards)}
    description_columns = {
        "address": _l("Left empty: as in the register"),
        "contact_person": _l("Left empty: as in the register"),
        "production_status": _l("Also becomes the employer's production status"),
        "disposal": _l("e.g. reported to the health supervision agency, helped investigate"),
        "coordinator": _l("Left empty on a new record: you"),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "employer": employer_picker(_l("Employer"), fills_form=True),
        "template": template_picker(_l("Checklist template")),
        "answers": ChecklistField(_l("Patrol checklist")),
    }
    validators_columns = {"production_status": [ShownAsRequired()]}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "production_status": ACTIVE, "coordinator": ACTIVE, "hazards": ACTIVE,
    }

    method_permission_name = {**VisitView.method_permission_name, "checklist": "write"}

    def _get_add_widget(self, form, **kwargs):
        if request.method == "GET":
            chosen = request.args.get("template", type=int)
            form.template.data = (scoped(ChecklistTemplate).get(chosen) if chosen else None) or default_template()
        return self._hide_unused(super()._get_add_widget(form, **kwargs), "add", form)

    def _get_edit_widget(self, form, **kwargs):
        return self._hide_unused(super()._get_edit_widget(form, **kwargs), "edit", form)

    @staticmethod
    def _hide_unused(widgets, name, form):
        """The header fields the checklist template does not print are hidden (Guizhou Annex 1 has no
        联系人, 主要职业病危害因素 or 生产经营状况); choosing another template shows its own (visit_forms.js)."""
        used = form.answers.header_fields
        widgets[name].template_args["hidden_cols"] = [field for field in HEADER_FIELDS if field not in used]
        return widgets

    @expose("/checklist")
    @has_access
    def checklist(self):
        """The checklist of ``?template=<id>`` as a new patrol's form shows it, unanswered."""
        template = scoped(ChecklistTemplate).get(request.args.get("template", 0, type=int))
        if template is None or not template.active:
            abort(404)
        form = self.add_form(formdata=None)
        form.template.data = template
        return form.answers()

    def print_context(self):
        return {"production_statuses": options(ProductionStatus)}


class ChecklistItemView(ScopedModelView):
    route_base = "/checklistitems"
    datamodel = scoped(ChecklistItem)
    class_permission_name = CHECKLIST_TEMPLATE
    list_title = show_title = _l("Checklist items")
    add_title = _l("Add checklist item")
    edit_title = _l("Edit checklist item")
    label_columns = {"template": _l("Checklist template"), "number": _l("No."), "text": _l("What is checked"),
                     "asks_description": _l("Asks for a description"),
                     "problem_if_present": _l("有 is the finding"), "allowed_answers": _l("Answers allowed"),
                     "clue_category": _l("有 is a clue to report as")}
    list_columns = ["number", "text", "asks_description", "problem_if_present", "clue_category"]
    add_columns = edit_columns = show_columns = ["template", "number", "text", "allowed_answers", "asks_description",
                                                 "problem_if_present", "clue_category"]
    base_order = ("number", "asc")
    description_columns = {
        "problem_if_present": _l("Ticked for a clue or violation (有 is the finding); "
                                 "otherwise 无 is (a missing declaration, report or facility)"),
        "allowed_answers": _l("Left empty: 有/无. 不适用 where the item may be missing for good reason (合理缺项, "
                              "e.g. Guizhou item 2 for a non-construction employer)"),
        "clue_category": _l("A clue (Guizhou items 6–7, Shanghai item 7): a patrol answering 有 is submitted only "
                            "with a hazard report of it"),
    }
    formatters_columns = {"allowed_answers": lambda codes: "/".join(str(ANSWERS.get(code, code)) for code in codes),
                          **code_formatters({"clue_category": CATEGORIES})}
    add_form_extra_fields = edit_form_extra_fields = {
        "allowed_answers": many_choices(_l("Answers allowed"), ANSWERS, required=False),
        "clue_category": choice_field(_l("有 is a clue to report as"), CATEGORIES, required=False),
    }


class ChecklistTemplateView(ScopedModelView):
    route_base = "/checklisttemplates"
    datamodel = scoped(ChecklistTemplate)
    class_permission_name = CHECKLIST_TEMPLATE
    related_views = [ChecklistItemView]
    list_title = show_title = _l("Checklist templates")
    add_title = _l("Add checklist template")
    edit_title = _l("Edit checklist template")
    label_columns = {"name": _l("Name"), "region_code": _l("Region code"), "is_default": _l("Region's default"),
                     "active": _l("In use"), "header_fields": _l("Header fields of the form")}
    list_columns = search_columns = ["name", "region_code", "is_default", "active"]
    add_columns = edit_columns = show_columns = ["name", "region_code", "is_default", "active", "header_fields"]
    formatters_columns = {"header_fields": lambda names: "、".join(str(HEADER_FIELDS.get(n, n)) for n in names)}
    add_form_extra_fields = edit_form_extra_fields = {
        "header_fields": many_choices(_l("Header fields of the form"), HEADER_FIELDS, required=False),
    }
    description_columns = {
        "header_fields": _l("Besides the employer, the fields the form prints: the patrol form shows and asks "
                            "only these (Guizhou: address, legal representative, phone)"),
        "region_code": _l("GB/T 2260 code of the province, city or district, e.g. 310000 for Shanghai; a "
                          "township uses its district's default, else its city's, else its province's"),
    }


class ClosedYearView(ModelRulesInForms, RelationPickers, ModelView):
    """Closing a year adds it here; reopening removes it (city admins)."""

    route_base = "/closedyears"
    datamodel = scoped(ClosedYear)
    class_permission_name = CLOSED_YEAR
    method_permission_name = {**VIEW_PERMISSIONS, "reopen": "delete"}
    include_route_methods = {"list", "add", "action_post"}
    list_title = _l("Closed years")
    add_title = _l("Close a year")
    label_columns = {"year": _l("Year"), "closed_at": _l("Closed at"), "closed_by": _l("Closed by")}
    list_columns = ["year", "closed_at", "closed_by"]
    add_columns = ["year"]
    base_order = ("year", "desc")
    description_columns = {"year": _l("Screenings, patrols and hazard reports of a closed year are read-only "
                                      "for everyone until it is reopened")}

    @action("reopen", _l("Reopen"), _l("Reopen the selected years? Their records become editable again."),
            "fa-unlock", single=False)
    def reopen(self, items):
        found = [item for item in (items if isinstance(items, list) else [items]) if item is not None]
        self.datamodel.delete_all(found)
        flash(_l("%(count)d years reopened", count=len(found)), "success")
        return redirect(self.get_redirect())


class ScreeningApi(LockedRecordApi, ScopedApi):
    resource_name = "screening"
    datamodel = scoped(Screening)
    class_permission_name = SCREENING
    list_columns = ["id", "visit_date", "employer.id", "employer.name", "org_unit.id", "state", "submitted_at"]
    show_columns = ["id", "visit_date", "employer.id", "org_unit.id", "state", "submitted_at", "reviewed_at",
                    "return_reason", "total_workers", "female_workers", "exposed_total", *EXPOSURE_FIELDS,
                    "hazards.id", "hazards.code", "hazards.name", "hazard_declared", "workers_trained",
                    "training_coverage", "detection_status", "exam_status", "exam_due_count", "exam_done_count"]
    add_columns = edit_columns = ["employer", "visit_date", "total_workers", "female_workers",
                                  "outsourced_workers", "exposed_total", *EXPOSURE_FIELDS, "hazards", "hazard_declared",
                                  "leader_trained", "manager_trained", "workers_trained", "training_coverage",
                                  "detection_status", "detection_report_number", "detection_agency",
                                  "exam_status", "exam_report_number", "exam_agency", "exam_due_count",
                                  "exam_done_count", "companion"]
    search_columns = ["employer", "org_unit", "visit_date", "state"]


class PatrolApi(LockedRecordApi, ScopedApi):
    """Reads, corrects and deletes patrols; they are entered on the form, where the checklist is."""

    resource_name = "patrol"
    include_route_methods = {"get", "get_list", "info", "put", "delete"}
    datamodel = scoped(Patrol)
    class_permission_name = PATROL
    list_columns = ["id", "visit_date", "employer.id", "employer.name", "org_unit.id", "state", "submitted_at"]
    show_columns = ["id", "visit_date", "employer.id", "org_unit.id", "template.id", "state", "submitted_at",
                    "reviewed_at", "return_reason", "production_status.id", "problems_found", "disposal",
                    "companion", "answers.item_number", "answers.item_text", "answers.answer", "answers.note"]
    edit_columns = ["visit_date", "contact_person", "contact_phone", "production_status", "problems_found",
                    "disposal", "companion"]
    search_columns = ["employer", "org_unit", "visit_date", "state"]


class HazardReportApi(LockedRecordApi, ScopedApi):
    resource_name = "hazard_report"
    datamodel = scoped(HazardReport)
    class_permission_name = HAZARD_REPORT
    list_columns = show_columns = ["id", "category", "employer.id", "org_unit.id", "patrol.id", "item_number",
                                   "description", "found_at", "reported_at", "reported_to", "handling_status",
                                   "handling_result"]
    add_columns = edit_columns = ["category", "employer", "org_unit", "patrol", "item_number", "description",
                                  "found_at", "reported_at", "reported_to", "handling_status", "handling_result"]
    search_columns = ["category", "employer", "org_unit", "found_at", "handling_status"]
