"""The occupational-health archive (Annex 4): the archive's page shows the cover, table 4.1 and the
table headers, and lists each table's rows in a tab where they are added and edited."""
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.models import (ArchiveChemical, ArchiveProduct, ArchiveReview, DiseaseCase, ExposureDetection,
                        ExposureSummary, HealthArchive, OutsourcingCompany, ProtectiveMeasureType,
                        SurveillanceResult, SurveillanceSummary)
from app.models.archive import RETEST_RESULTS, REVIEWED_TABLES, WORKFORCE_FIELDS, completeness_text
from app.models.form_codes import (CHEMICAL_SOURCES, CHEMICAL_UNITS, EQUIPMENT_STATES, EXAM_TYPES,
                                   OPERATION_MODES, PHYSICAL_STATES, PRODUCTION_MODES)
from app.roles import ARCHIVE
from app.views.base import ScopedApi, ScopedModelView, scoped
from app.views.child_rows import ChildRowView, code_fields, code_formatters
from app.views.fieldwork import options
from app.views.pickers import OfferedMultipleField

WORKFORCE_ROW_LABELS = {"actual": _l("Actual workers"), "production": _l("Production workers"),
                        "exposed": _l("Workers exposed to hazards")}
WORKFORCE_COLUMN_LABELS = {"total": _l("registered, total"), "female": _l("registered, female"),
                           "migrant": _l("registered, migrant"), "outsourced": _l("outsourced, total"),
                           "outsourced_female": _l("outsourced, female")}
ARCHIVE_CODES = {"production_mode": PRODUCTION_MODES}
# Table 4-2: a result over the limit, its rectification and re-test (Shanghai Annex 3 notes 三.4).
RECTIFICATION_FIELDS = ("rectification", "retested_on", "retest_result")
RECTIFICATION_LABELS = {"over_limit": _l("Over the limit"), "rectification": _l("Rectification"),
                        "retested_on": _l("Re-test date"), "retest_result": _l("Re-test result")}
ARCHIVE_LABELS = {
    "employer": _l("Employer"), "archive_number": _l("Archive number"), "org_unit": _l("Township/street"),
    "employer.credit_code": _l("Unified social credit code"),
    "employer.parent": _l("Parent employer"),  # Annex 4 cover note 3: a branch names its parent
    "employer.development_zone": _l("Development zone/park"),
    "employer.workplace_address": _l("Workplace address"), "employer.registered_address": _l("Registered address"),
    "employer.enterprise_size": _l("Enterprise size"), "employer.industry": _l("Industry"),
    "employer.registration_type": _l("Registration type"), "employer.postcode": _l("Postcode"),
    "employer.phone": _l("Telephone"), "employer.has_hazard": _l("Has occupational hazards"),
    "employer.risk_class": _l("Hazard risk class"), "employer.legal_representative": _l("Legal representative"),
    "established_on": _l("Date established"), "founded_on": _l("Employer founded"),
    "has_union": _l("Trade union"), "oh_department": _l("Occupational-health department"),
    "oh_staff_full_time": _l("Occupational-health staff, full-time"),
    "oh_staff_part_time": _l("Occupational-health staff, part-time"),
    "oh_manager": _l("Person in charge of occupational health"), "oh_manager_phone": _l("Their phone"),
    "production_mode": _l("Production state"), "closed_on": _l("Closed on"),
    "process_description": _l("Process description (table 4.2)"),
    "hazard_declared": _l("Hazard project declared"), "principal_trained": _l("Principal trained"),
    "manager_trained": _l("Occupational-health managers trained"),
    "workers_trained": _l("Exposed workers trained"), "detected_this_year": _l("Detection this year"),
    "surveillance_this_year": _l("Health surveillance this year"),
    "cumulative_cases": _l("Cumulative occupational-disease cases"),
    "disease_this_year": _l("Occupational disease this year"),
    "completeness": _l("Archive completeness"), "completeness_gaps_mask": _l("Archive completeness"),
    "is_complete": _l("Complete archive"),
    "last_reviewed_on": _l("Last reviewed on"),
    **{f"{row}_{column}": _l("%(row)s: %(column)s", row=row_label, column=column_label)
       for row, row_label in WORKFORCE_ROW_LABELS.items()
       for column, column_label in WORKFORCE_COLUMN_LABELS.items()},
}
COVER_FROM_EMPLOYER = ["archive_number", "employer", "employer.parent", "org_unit", "employer.credit_code",
                       "employer.development_zone",
                       "employer.workplace_address", "employer.registered_address", "employer.enterprise_size",
                       "employer.industry", "employer.registration_type", "employer.postcode", "employer.phone",
                       "employer.has_hazard", "employer.risk_class"]
BASIC_INFO = ["founded_on", "has_union", "oh_department", "oh_staff_full_time", "oh_staff_part_time",
              "oh_manager", "oh_manager_phone", "production_mode", "closed_on"]
TABLE_HEADERS = [
    (_l("Table 4.2 Process"), {"fields": ["process_description"]}),
    (_l("Table 4.4 Exposure and detection"), {"fields": ["hazard_declared", "principal_trained", "manager_trained",
                                                          "workers_trained", "detected_this_year"]}),
    (_l("Table 4.5 Health surveillance"), {"fields": ["surveillance_this_year"]}),
    (_l("Table 4.6 Occupational diseases"), {"fields": ["cumulative_cases", "disease_this_year"]}),
]
FORM_FIELDSETS = [
    (_l("Cover"), {"fields": ["established_on"]}),
    (_l("Table 4.1 Basic information"), {"fields": BASIC_INFO}),
    (_l("Table 4.1 Workforce"), {"fields": list(WORKFORCE_FIELDS)}),
    *TABLE_HEADERS,
]
COUNT_LABELS = {
    "registered_total": _l("Registered workers exposed"), "registered_female": _l("of whom female"),
    "registered_migrant": _l("of whom migrant"), "outsourced_total": _l("Outsourced workers exposed"),
    "outsourced_female": _l("of whom female (outsourced)"),
}


class ArchiveRowView(ChildRowView):
    class_permission_name = ARCHIVE
    parent_field = "archive"
    base_order = ("id", "asc")


class ArchiveProductView(ArchiveRowView):
    datamodel = scoped(ArchiveProduct)
    list_title = _l("Main products")
    add_title = edit_title = show_title = _l("Main product")
    label_columns = {"archive": _l("Archive"), "rank": _l("Rank"), "name": _l("Product"),
                     "annual_output": _l("Yearly output"), "output_unit": _l("Unit")}
    list_columns = ["rank", "name", "annual_output", "output_unit"]
    add_columns = show_columns = ["archive", "rank", "name", "annual_output", "output_unit"]
    base_order = ("rank", "asc")


class OutsourcingCompanyView(ArchiveRowView):
    datamodel = scoped(OutsourcingCompany)
    list_title = _l("Outsourcing companies")
    add_title = edit_title = show_title = _l("Outsourcing company")
    label_columns = {"archive": _l("Archive"), "name": _l("Labour company"), "workers": _l("Workers employed")}
    list_columns = ["name", "workers"]
    add_columns = show_columns = ["archive", "name", "workers"]


class ArchiveChemicalView(ArchiveRowView):
    datamodel = scoped(ArchiveChemical)
    list_title = _l("Table 4.3 Chemicals")
    add_title = edit_title = show_title = _l("Chemical")
    label_columns = {"archive": _l("Archive"), "name": _l("Chemical"), "source": _l("How it arises"),
                     "quantity": _l("Quantity"), "unit": _l("Unit"), "physical_state": _l("Physical state"),
                     "main_components": _l("Main chemical components")}
    list_columns = ["name", "source", "quantity", "unit", "physical_state", "main_components"]
    add_columns = show_columns = ["archive"] + list_columns
    codes = {"source": CHEMICAL_SOURCES, "unit": CHEMICAL_UNITS, "physical_state": PHYSICAL_STATES}
    add_form_extra_fields = edit_form_extra_fields = code_fields(codes, label_columns)
    formatters_columns = code_formatters(codes)


class ExposureSummaryView(ArchiveRowView):
    datamodel = scoped(ExposureSummary)
    list_title = _l("Table 4-1 Exposure summary")
    add_title = edit_title = show_title = _l("Exposure by hazard category")
    label_columns = {"archive": _l("Archive"), "hazard_category": _l("Hazard category"),
                     "registered_exposed": _l("Registered workers exposed"),
                     "outsourced_exposed": _l("Outsourced workers exposed")}
    list_columns = ["hazard_category", "registered_exposed", "outsourced_exposed"]
    add_columns = show_columns = ["archive"] + list_columns
    add_form_query_rel_fields = edit_form_query_rel_fields = {"hazard_category": [["active", FilterEqual, True]]}


class ExposureDetectionView(ArchiveRowView):
    datamodel = scoped(ExposureDetection)
    list_title = _l("Table 4-2 Exposure and detection")
    add_title = edit_title = show_title = _l("Exposure and detection at a workplace")
    label_columns = {
        "archive": _l("Archive"), "workplace": _l("Workplace name"), "job_type": _l("Job type"),
        "equipment_state": _l("Equipment state"), "operation_mode": _l("Operation mode"),
        "hazard_factor": _l("Hazard factor"), "hazard_factor_other": _l("Name of the 'other' factor"),
        "hazard_name": _l("Hazard factor"), **COUNT_LABELS,
        "protective_measures": _l("Occupational hazard protective measures"),
        "detection_type": _l("Detection type"),
        "points_tested": _l("Points tested"), "points_passed": _l("Points passed"),
        "detected_on": _l("Detection date"), "detection_agency": _l("Detection agency"),
        "report_number": _l("Report number"),
        **RECTIFICATION_LABELS,
    }
    list_columns = ["workplace", "job_type", "equipment_state", "operation_mode", "hazard_name",
                    "registered_total", "outsourced_total", "detection_type", "points_tested", "points_passed",
                    "detected_on", "over_limit"]
    add_columns = show_columns = [
        "archive", "workplace", "job_type", "equipment_state", "operation_mode", "hazard_factor",
        "hazard_factor_other", *COUNT_LABELS, "protective_measures", "detection_type", "points_tested",
        "points_passed", "detected_on", "detection_agency", "report_number", *RECTIFICATION_FIELDS]
    codes = {"equipment_state": EQUIPMENT_STATES, "operation_mode": OPERATION_MODES,
             "retest_result": RETEST_RESULTS}
    add_form_extra_fields = edit_form_extra_fields = {
        **code_fields(codes, label_columns),
        "protective_measures": OfferedMultipleField(
            label_columns["protective_measures"], query_func=lambda: options(ProtectiveMeasureType),
            get_pk_func=lambda measure: measure.id, widget=Select2ManyWidget())}
    formatters_columns = code_formatters(codes)
    description_columns = {
        "protective_measures": _l("None chosen means none; otherwise choose the measures (code list, annex table 6)"),
        "hazard_factor_other": _l("Only when the factor chosen is an 'other' entry"),
        "rectification": _l("Over the limit (fewer points passed than tested): the measures taken and their "
                            "state; needed before the re-test"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        field: [["active", FilterEqual, True]]
        for field in ("job_type", "hazard_factor", "detection_type")}


class SurveillanceSummaryView(ArchiveRowView):
    datamodel = scoped(SurveillanceSummary)
    list_title = _l("Table 4.5-1 Health surveillance summary")
    add_title = edit_title = show_title = _l("Health surveillance summary")
    label_columns = {
        "archive": _l("Archive"), "year": _l("Year"), "hazard_category": _l("Hazard category"),
        "category_label": _l("Hazard category"), "exam_type": _l("Exam type"),
        "should_registered": _l("Should be examined, registered"),
        "should_outsourced": _l("Should be examined, outsourced"),
        "actual_registered": _l("Examined, registered"), "actual_outsourced": _l("Examined, outsourced"),
        "institution": _l("Examining institution"), "report_number": _l("Report number"),
    }
    list_columns = ["year", "category_label", "exam_type", "should_registered", "should_outsourced",
                    "actual_registered", "actual_outsourced", "institution", "report_number"]
    add_columns = show_columns = ["archive", "year", "hazard_category", "exam_type", "should_registered",
                                  "should_outsourced", "actual_registered", "actual_outsourced", "institution",
                                  "report_number"]
    codes = {"exam_type": EXAM_TYPES}
    add_form_extra_fields = edit_form_extra_fields = code_fields(codes, label_columns, required=("exam_type",))
    formatters_columns = code_formatters(codes)
    description_columns = {"hazard_category": _l("Leave empty for the total row (each worker counted once)")}
    base_order = ("year", "desc")


RESULT_LABELS = {
    "normal": _l("No abnormality"), "abnormal": _l("Other disease or abnormality"),
    "contraindication": _l("Occupational contraindication"), "suspected": _l("Suspected occupational disease"),
}


class SurveillanceResultView(ArchiveRowView):
    datamodel = scoped(SurveillanceResult)
    list_title = _l("Table 4.5-2 Health surveillance results")
    add_title = edit_title = show_title = _l("Health surveillance results")
    label_columns = {
        "archive": _l("Archive"), "year": _l("Year"), "exam_type": _l("Exam type"),
        "hazard_factor": _l("Hazard factor"),
        "should_registered": _l("Should be examined, registered"),
        "should_outsourced": _l("Should be examined, outsourced"),
        "actual_registered": _l("Examined, registered"), "actual_outsourced": _l("Examined, outsourced"),
        **{f"{result}_{group}": _l("%(result)s, %(group)s", result=result_label, group=group_label)
           for result, result_label in RESULT_LABELS.items()
           for group, group_label in (("registered", _l("registered")), ("outsourced", _l("outsourced")))},
        "reassigned": _l("Actually reassigned"),
    }
    list_columns = ["year", "exam_type", "hazard_factor", "actual_registered", "actual_outsourced",
                    "contraindication_registered", "suspected_registered", "reassigned"]
    add_columns = show_columns = ["archive", "year", "exam_type", "hazard_factor", "should_registered",
                                  "should_outsourced", "actual_registered", "actual_outsourced",
                                  *[f"{result}_{group}" for result in RESULT_LABELS
                                    for group in ("registered", "outsourced")], "reassigned"]
    codes = {"exam_type": EXAM_TYPES}
    add_form_extra_fields = edit_form_extra_fields = code_fields(codes, label_columns, required=("exam_type",))
    formatters_columns = code_formatters(codes)
    description_columns = {"hazard_factor": _l("One of the factors of table 4-2")}
    base_order = ("year", "desc")


class DiseaseCaseView(ArchiveRowView):
    datamodel = scoped(DiseaseCase)
    list_title = _l("Table 4.6 Occupational-disease cases")
    add_title = edit_title = show_title = _l("Occupational-disease cases")
    label_columns = {"archive": _l("Archive"), "disease_category": _l("Disease category"),
                     "disease": _l("Disease"), "disease_name": _l("Disease name"), "disease_label": _l("Disease"),
                     "job_type": _l("Job type"), "cases": _l("Cases"), "diagnosed_on": _l("Diagnosis date")}
    list_columns = ["disease_category", "disease_label", "job_type", "cases", "diagnosed_on"]
    add_columns = show_columns = ["archive", "disease_category", "disease", "disease_name", "job_type", "cases",
                                  "diagnosed_on"]
    description_columns = {"disease_name": _l("When the disease is not in the list, or to be more specific"),
                           "job_type": _l("One of the job types of table 4-2")}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        field: [["active", FilterEqual, True]] for field in ("disease_category", "disease", "job_type")}


class ArchiveReviewView(ArchiveRowView):
    datamodel = scoped(ArchiveReview)
    list_title = _l("Review records")
    add_title = edit_title = show_title = _l("Review record")
    label_columns = {
        "archive": _l("Archive"), "reviewed_on": _l("Review date"), "changed_tables": _l("Tables changed"),
        **{f"table{n}_changed": _l("Table 4.%(n)s changed", n=n) for n in REVIEWED_TABLES},
        **{f"table{n}_summary": _l("Table 4.%(n)s review summary", n=n) for n in REVIEWED_TABLES},
    }
    list_columns = ["reviewed_on", "changed_tables"]
    add_columns = show_columns = ["archive", "reviewed_on"] + [
        f"table{n}_{part}" for n in REVIEWED_TABLES for part in ("changed", "summary")]
    base_order = ("reviewed_on", "desc")


ARCHIVE_ROW_VIEWS = (ArchiveProductView, OutsourcingCompanyView, ExposureSummaryView, ExposureDetectionView,
                     ArchiveChemicalView, SurveillanceSummaryView, SurveillanceResultView, DiseaseCaseView,
                     ArchiveReviewView)


COMPLETENESS_DESCRIPTION = _l("Complete: date established, table 4.1 and (with hazards) table 4.4 filled, "
                              "and a review within the last 12 months")


class ArchiveView(ScopedModelView):
    route_base = "/archives"
    datamodel = scoped(HealthArchive)
    class_permission_name = ARCHIVE
    list_title = _l("Occupational-health archives")
    show_title = _l("Occupational-health archive")
    add_title = _l("Add archive")
    edit_title = _l("Edit archive")
    label_columns = ARCHIVE_LABELS
    # Every column reads in SQL (hybrid properties), so 导出Excel reads plain rows (app.exports); the
    # completeness column is the gaps' bit mask, said as the page says it by completeness_text.
    list_columns = ["archive_number", "employer", "org_unit", "established_on", "last_reviewed_on",
                    "completeness_gaps_mask"]
    list_loads = ("employer.org_unit", "reviews", "exposure_summaries", "exposure_detections")
    search_columns = ["employer", "established_on", "production_mode", "hazard_declared"]
    order_columns = ["established_on"]
    base_order = ("id", "asc")
    add_fieldsets = [(_l("Employer"), {"fields": ["employer"]}), *FORM_FIELDSETS]
    edit_fieldsets = FORM_FIELDSETS
    show_fieldsets = [
        (_l("Cover"), {"fields": COVER_FROM_EMPLOYER + ["established_on"]}),
        (_l("Table 4.1 Basic information"), {"fields": ["employer.legal_representative"] + BASIC_INFO}),
        (_l("Table 4.1 Workforce"), {"fields": list(WORKFORCE_FIELDS)}),
        *TABLE_HEADERS,
        (_l("Archive completeness"), {"fields": ["completeness", "last_reviewed_on"]}),
    ]
    related_views = list(ARCHIVE_ROW_VIEWS)
    add_form_extra_fields = edit_form_extra_fields = code_fields(ARCHIVE_CODES, ARCHIVE_LABELS)
    formatters_columns = {**code_formatters(ARCHIVE_CODES), "completeness_gaps_mask": completeness_text}
    description_columns = {
        "employer": _l("The cover's other fields are the employer's: edit them on the employer"),
        "completeness": COMPLETENESS_DESCRIPTION, "completeness_gaps_mask": COMPLETENESS_DESCRIPTION,
        "closed_on": _l("Only when the production status is 'closed'"),
    }


class ArchiveApi(ScopedApi):
    resource_name = "archive"
    datamodel = scoped(HealthArchive)
    class_permission_name = ARCHIVE
    list_columns = ["id", "employer.id", "employer.name", "employer.archive_number", "established_on",
                    "is_complete", "last_reviewed_on"]
    show_columns = ["id", "employer.id", "employer.name", "employer.archive_number", "established_on",
                    *BASIC_INFO, *WORKFORCE_FIELDS, "process_description", "hazard_declared", "principal_trained",
                    "manager_trained", "workers_trained", "detected_this_year", "surveillance_this_year",
                    "cumulative_cases", "disease_this_year", "is_complete", "last_reviewed_on"]
    add_columns = ["employer", "established_on", *BASIC_INFO, *WORKFORCE_FIELDS, "process_description",
                   "hazard_declared", "principal_trained", "manager_trained", "workers_trained",
                   "detected_this_year", "surveillance_this_year", "cumulative_cases", "disease_this_year"]
    edit_columns = add_columns[1:]
    search_columns = ["employer", "established_on"]
