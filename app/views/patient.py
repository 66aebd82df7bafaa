"""Occupational-disease patients and their dynamic visit card (Annex 5.1 and 5.2): the patient's page
shows the card and lists its tables in tabs where their rows are added and edited."""
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.models import (ComplicationVisit, ContactChange, Disease, FollowUpVisit, OccupationalHistory, Patient,
                        RehabilitationRecord)
from app.models.form_codes import CARD_TYPES, LOST_REASONS, SEXES, VISIT_METHODS
from app.models.patient import STAGE_NAMES, STAGES
from app.roles import DICTIONARY, PATIENT
from app.views.base import ScopedApi, scoped
from app.views.child_rows import ChildRowView, code_fields, code_formatters
from app.views.dictionaries import DictionaryView
from app.views.personal_data import PersonalDataView

PATIENT_CODES = {"card_type": CARD_TYPES, "lost_reason": LOST_REASONS}
STAGE_LABELS = {
    **{f"stage{s}_on": _l("Stage %(stage)s diagnosed on", stage=STAGE_NAMES[s]) for s in STAGES},
    **{f"stage{s}_complication": _l("Stage %(stage)s: complication", stage=STAGE_NAMES[s]) for s in STAGES},
    **{f"stage{s}_complication_name": _l("Stage %(stage)s: complication name", stage=STAGE_NAMES[s])
       for s in STAGES},
    **{f"stage{s}_hospital": _l("Stage %(stage)s: diagnosing hospital", stage=STAGE_NAMES[s]) for s in STAGES},
}
PATIENT_LABELS = {
    "card_type": _l("Visit card"), "org_unit": _l("Township/street of residence"),
    "id_number": _l("ID number"), "name": _l("Full name"), "sex": _l("Sex"), "birth_date": _l("Birth date"),
    "household_registration": _l("Household registration"), "address": _l("Address in Shanghai"),
    "phone": _l("Telephone"), "mobile": _l("Mobile phone"),
    "onset_employer": _l("Employer at onset (registered)"), "onset_employer_name": _l("Employer at onset"),
    "onset_workplace": _l("Workplace"), "onset_employer_address": _l("Factory address"),
    "onset_employer_district": _l("District"), "onset_employer_postcode": _l("Postcode"),
    "onset_employer_contact": _l("Contact person"), "onset_employer_phone": _l("Contact phone"),
    "economic_type": _l("Economic type"), "industry": _l("Industry"), "enterprise_size": _l("Enterprise size"),
    "job_at_detection": _l("Job when detected"), "exposure_started_on": _l("Dust exposure started on"),
    "exposure_years": _l("Exposure years"), "exposure_months": _l("and months"),
    "disease_category": _l("Disease category"), "disease": _l("Disease"), "disease_name": _l("Disease name"),
    "diagnosis": _l("Diagnosis"), "stage": _l("Stage"), "onset_age": _l("Age at onset"),
    "diagnosed_on": _l("Diagnosis date"), "diagnosis_hospital": _l("Diagnosing hospital"), **STAGE_LABELS,
    "copd": _l("COPD before"), "copd_diagnosed_on": _l("COPD diagnosed on"),
    "other_disease": _l("Other occupational disease"), "other_disease_name": _l("Its name"),
    "other_disease_diagnosed_on": _l("Its diagnosis date"),
    "other_disease_hospital": _l("Its diagnosing hospital"),
    "disability_grade": _l("Disability grade"), "reassigned": _l("Moved off the job at the time"),
    "dead": _l("Dead"), "died_on": _l("Date of death"), "death_age": _l("Age at death"),
    "death_cause": _l("Direct cause of death"),
    "smokes": _l("Smokes"), "cigarettes_per_day": _l("Cigarettes per day"), "smoking_years": _l("Years smoking"),
    "quit_smoking": _l("Quit smoking"), "quit_years": _l("Years since quitting"), "drinks": _l("Drinks alcohol"),
    "alcohol_liang_per_day": _l("Liang per day"), "drinking_years": _l("Years drinking"),
    "work_injury_insurance": _l("Work-injury insurance"),
    "work_injury_insurance_since": _l("Work-injury insurance since"),
    "employer_compensation": _l("Employer compensation"), "basic_medical_insurance": _l("Basic medical insurance"),
    "other_insurance": _l("Other insurance"), "other_insurance_type": _l("Type of other insurance"),
    "baseline_spo2": _l("Oxygen saturation before rehabilitation (%)"),
    "baseline_adl_score": _l("Daily-living score before rehabilitation"),
    "baseline_psych_score": _l("Psychological scale before rehabilitation"),
    "lost": _l("Lost to follow-up"), "lost_on": _l("Lost on"), "lost_reason": _l("Reason lost"),
    "lost_reason_other": _l("Other reason"), "unit_head": _l("Head of unit"), "reporter": _l("Reported by"),
    "reporter_phone": _l("Reporter's phone"), "reported_on": _l("Reported on"),
    "last_visited_on": _l("Last visited on"),
}
PERSON = ["card_type", "org_unit", "id_number", "name", "household_registration", "address", "phone", "mobile"]
ONSET_EMPLOYER = ["onset_employer", "onset_employer_name", "onset_workplace", "onset_employer_address",
                  "onset_employer_district", "onset_employer_postcode", "onset_employer_contact",
                  "onset_employer_phone", "economic_type", "industry", "enterprise_size", "job_at_detection",
                  "exposure_started_on", "exposure_years", "exposure_months"]
DIAGNOSIS = ["disease_category", "disease", "disease_name", "diagnosed_on", "diagnosis_hospital"]
STAGES_51 = [f"stage{s}_{f}" for s in STAGES for f in ("on", "complication", "complication_name", "hospital")] + [
    "copd", "copd_diagnosed_on"]
OUTCOME = ["other_disease", "other_disease_name", "other_disease_diagnosed_on", "other_disease_hospital",
           "disability_grade", "reassigned", "dead", "died_on", "death_cause"]
HABITS = ["smokes", "cigarettes_per_day", "smoking_years", "quit_smoking", "quit_years", "drinks",
          "alcohol_liang_per_day", "drinking_years"]
INSURANCE = ["work_injury_insurance", "work_injury_insurance_since", "employer_compensation",
             "basic_medical_insurance", "other_insurance", "other_insurance_type"]
REHAB_BASELINE = ["baseline_spo2", "baseline_adl_score", "baseline_psych_score"]
FOLLOW_UP = ["lost", "lost_on", "lost_reason", "lost_reason_other", "unit_head", "reporter", "reporter_phone",
             "reported_on"]
FORM_FIELDSETS = [
    (_l("Person"), {"fields": PERSON}),
    (_l("Employer at onset"), {"fields": ONSET_EMPLOYER}),
    (_l("Diagnosis"), {"fields": DIAGNOSIS}),
    (_l("Pneumoconiosis stages (card 5.1)"), {"fields": STAGES_51}),
    (_l("Other disease, disability and survival"), {"fields": OUTCOME}),
    (_l("Smoking and drinking"), {"fields": HABITS}),
    (_l("Insurance"), {"fields": INSURANCE}),
    (_l("Before rehabilitation (card 5.1)"), {"fields": REHAB_BASELINE}),
    (_l("Follow-up and reporting"), {"fields": FOLLOW_UP}),
]


class PatientRowView(ChildRowView):
    class_permission_name = PATIENT
    parent_field = "patient"


VISIT_LABELS = {"patient": _l("Patient"), "visited_on": _l("Visit date"),
                "medical_advice": _l("Follows medical advice"), "regular_checkup": _l("Regular check-ups"),
                "hospitalised": _l("Hospital or sanatorium"), "outcome": _l("Outcome")}


class OccupationalHistoryView(PatientRowView):
    datamodel = scoped(OccupationalHistory)
    list_title = _l("Occupational history")
    add_title = edit_title = show_title = _l("Employment")
    label_columns = {"patient": _l("Patient"), "started_on": _l("From"), "ended_on": _l("To"),
                     "employer_name": _l("Employer"), "job": _l("Job"), "hazards": _l("Hazard factors"),
                     "exposure_years": _l("Exposure years"),
                     "engineering_protection": _l("Engineering protection"),
                     "personal_protection": _l("Personal protection")}
    list_columns = ["started_on", "ended_on", "employer_name", "job", "hazards", "exposure_years",
                    "engineering_protection", "personal_protection"]
    add_columns = show_columns = ["patient"] + list_columns
    base_order = ("started_on", "asc")


class FollowUpVisitView(PatientRowView):
    datamodel = scoped(FollowUpVisit)
    list_title = _l("Follow-up visits")
    add_title = edit_title = show_title = _l("Follow-up visit")
    label_columns = {**VISIT_LABELS, "method": _l("Visit method"), "institution": _l("Visiting institution"),
                     "complaint": _l("Current complaint"), "current_job": _l("Current job"),
                     "exposed": _l("Exposed to hazards"), "since": _l("Since"),
                     "off_work": _l("Resting, off work")}
    list_columns = ["visited_on", "method", "institution", "regular_checkup", "outcome", "current_job", "exposed",
                    "off_work"]
    add_columns = show_columns = ["patient", "visited_on", "method", "institution", "medical_advice",
                                  "regular_checkup", "hospitalised", "complaint", "outcome", "current_job",
                                  "exposed", "since", "off_work"]
    codes = {"method": VISIT_METHODS}
    add_form_extra_fields = edit_form_extra_fields = code_fields(codes, label_columns, required=("method",))
    formatters_columns = code_formatters(codes)
    base_order = ("visited_on", "desc")


class RehabilitationRecordView(PatientRowView):
    datamodel = scoped(RehabilitationRecord)
    list_title = _l("Rehabilitation")
    add_title = edit_title = show_title = _l("Rehabilitation record")
    label_columns = {"patient": _l("Patient"), "year": _l("Year"), "first_on": _l("First session"),
                     "last_on": _l("Last session"), "method": _l("Rehabilitation method"),
                     "sessions": _l("Sessions"),
                     "hours_per_session": _l("Hours per session"), "spo2": _l("Oxygen saturation (%)"),
                     "adl_score": _l("Daily-living score"), "psych_score": _l("Psychological scale")}
    list_columns = ["year", "first_on", "last_on", "method", "sessions", "hours_per_session", "spo2", "adl_score",
                    "psych_score"]
    add_columns = show_columns = ["patient"] + list_columns
    base_order = ("year", "desc")


class ComplicationVisitView(PatientRowView):
    datamodel = scoped(ComplicationVisit)
    list_title = _l("Complications and other diseases")
    add_title = edit_title = show_title = _l("Complication visit")
    label_columns = {**VISIT_LABELS, "disease_name": _l("Disease"), "symptoms": _l("Main symptoms"),
                     "diagnosed_on": _l("Diagnosis date"), "hospital": _l("Diagnosing hospital"),
                     "died_on": _l("Date of death")}
    list_columns = ["visited_on", "disease_name", "symptoms", "diagnosed_on", "hospital", "outcome", "died_on"]
    add_columns = show_columns = ["patient", "visited_on", "disease_name", "symptoms", "diagnosed_on", "hospital",
                                  "medical_advice", "regular_checkup", "hospitalised", "outcome", "died_on"]
    description_columns = {"disease_name": _l("Tuberculosis, cancers, diseases of the respiratory, cardiac, "
                                              "cerebral, liver, kidney or blood systems")}
    base_order = ("visited_on", "desc")


class ContactChangeView(PersonalDataView, PatientRowView):
    datamodel = scoped(ContactChange)
    list_title = _l("Contact changes")
    add_title = edit_title = show_title = _l("Contact change")
    label_columns = {"patient": _l("Patient"), "changed_on": _l("Changed on"),
                     "employer_address": _l("Factory name/address"), "employer_phone": _l("Factory phone"),
                     "home_address": _l("Home address"), "home_phone": _l("Home phone"),
                     "postcode": _l("Postcode")}
    list_columns = ["changed_on", "employer_address", "employer_phone", "home_address", "home_phone", "postcode"]
    add_columns = show_columns = ["patient"] + list_columns
    base_order = ("changed_on", "desc")
    export_name = "contact_changes"


PATIENT_ROW_VIEWS = (OccupationalHistoryView, FollowUpVisitView, RehabilitationRecordView, ComplicationVisitView,
                     ContactChangeView)


class PatientView(PersonalDataView):
    route_base = "/patients"
    datamodel = scoped(Patient)
    class_permission_name = PATIENT
    list_title = _l("Occupational-disease patients")
    show_title = _l("Dynamic visit card")
    add_title = _l("Add patient")
    edit_title = _l("Edit patient")
    label_columns = PATIENT_LABELS
    list_columns = ["name", "sex", "id_number", "mobile", "card_type", "diagnosis", "stage", "org_unit",
                    "diagnosed_on", "last_visited_on", "dead", "lost"]
    list_loads = ("disease", "visits")
    search_columns = ["name", "id_number", "card_type", "org_unit", "disease_category", "disease", "diagnosed_on",
                      "dead", "lost", "onset_employer_name"]
    order_columns = ["name", "diagnosed_on"]
    base_order = ("id", "asc")
    add_fieldsets = edit_fieldsets = FORM_FIELDSETS
    show_fieldsets = [
        (_l("Person"), {"fields": PERSON[:4] + ["sex", "birth_date"] + PERSON[4:]}),
        (_l("Employer at onset"), {"fields": ONSET_EMPLOYER + ["onset_age"]}),
        (_l("Diagnosis"), {"fields": DIAGNOSIS + ["stage"]}),
        *FORM_FIELDSETS[3:4],
        (_l("Other disease, disability and survival"), {"fields": OUTCOME + ["death_age"]}),
        *FORM_FIELDSETS[5:],
    ]
    related_views = list(PATIENT_ROW_VIEWS)
    add_form_extra_fields = edit_form_extra_fields = code_fields(PATIENT_CODES, PATIENT_LABELS,
                                                                 required=("card_type",))
    formatters_columns = {**code_formatters(PATIENT_CODES), **code_formatters({"sex": SEXES})}
    description_columns = {
        "id_number": _l("18 characters (GB 11643); birth date and sex are read from it"),
        "onset_employer": _l("Optional: link a registered employer of your area; otherwise just enter the name"),
        "diagnosed_on": _l("Card 5.2; for card 5.1 the first stage's date is used"),
        "exposure_years": _l("Card 5.1: actual dust-exposure years; card 5.2: years in the occupation"),
        "disability_grade": _l("1 to 10; leave empty if not graded"),
        "enterprise_size": _l("Leave empty if unknown"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "org_unit": [["level", FilterEqual, "township"]],
        **{field: [["active", FilterEqual, True]] for field in ("disease_category", "disease", "economic_type",
                                                                "industry", "enterprise_size")},
    }


class PatientApi(ScopedApi):
    """Lists and records carry only masked ID and phone numbers: the full values are for the record page
    of users who may edit it (with an audit entry); the API accepts them on create and update."""

    resource_name = "patient"
    datamodel = scoped(Patient)
    class_permission_name = PATIENT
    list_columns = ["id", "name", "sex", "birth_date", "id_number_masked", "card_type", "org_unit.id",
                    "org_unit.name", "diagnosed_on", "dead", "lost"]
    show_columns = list_columns + ["phone_masked", "mobile_masked", "onset_employer_name", "disease_category.id",
                                   "disease.id", "disease_name", "stage1_on", "stage2_on", "stage3_on", "died_on",
                                   "lost_on", "lost_reason"]
    add_columns = edit_columns = [
        "card_type", "org_unit", "id_number", "name", "phone", "mobile", "household_registration", "address",
        "onset_employer", "onset_employer_name", "job_at_detection", "disease_category", "disease", "disease_name",
        "diagnosed_on", "diagnosis_hospital", "stage1_on", "stage1_hospital", "stage2_on", "stage2_hospital",
        "stage3_on", "stage3_hospital", "dead", "died_on", "death_cause", "lost", "lost_on", "lost_reason",
        "lost_reason_other"]
    search_columns = ["name", "card_type", "org_unit", "dead", "lost"]


class DiseaseView(DictionaryView):
    datamodel = scoped(Disease)
    class_permission_name = DICTIONARY
    list_title = _l("Occupational diseases")
    label_columns = {**DictionaryView.label_columns, "category": _l("Category"),
                     "pneumoconiosis": _l("Pneumoconiosis (card 5.1)")}
    list_columns = ["category", "code", "name", "pneumoconiosis", "active"]
    add_columns = edit_columns = show_columns = ["category", "code", "name", "pneumoconiosis", "sort_order",
                                                 "active"]
    search_columns = ["category", "code", "name", "pneumoconiosis", "active"]
