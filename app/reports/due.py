"""Due and overdue lists (DOMAIN.md §5), declared as data and evaluated by one engine.

Each list's ``query(today)`` returns a SELECT, already bounded by the current user's scope
(``apply_scope``), with one row per subject and the columns ``subject_id``, ``org_unit_id`` (the
township) and the keys of its fields. The engine narrows that select to a unit's subtree, counts it
(one query per list), pages it or streams it for the xlsx export. Rows are plain: no Flask objects.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from app.models import (DeclarationCandidate, Disease, Employer, ExposureDetection, FollowUpVisit,
                        HealthArchive, OrgUnit, Patient, Patrol, PreventionInstitution, RiskClass, Screening,
                        db)
from app.models.form_codes import CARD_TYPES, PNEUMOCONIOSIS_CARD
from app.models.org import subtree_ids
from app.models.programme.candidate import CANDIDATE_SOURCES
from app.roles import DECLARATION_CANDIDATE, EMPLOYER, INSTITUTION, PATIENT, PATROL, SCREENING
from app.scoping import apply_scope
from app.workflow import DRAFT, REPORTED_STATES, RETURNED, STATES, SUBMITTED, deadline_days, may

# Shanghai Annex 3 notes: serious-risk employers are detected at least yearly, general-risk ones at least
# every 3 years (risk class codes of the 2021 catalogue: 2 严重, 1 一般).
CYCLE_YEARS = {"2": 1, "1": 3}
DUE_WITHIN = timedelta(days=60)  # "due": the cycle ends within this time
# Chongqing Annex 1 goal 1: a township with this many resident pneumoconiosis patients has a rehab station.
REHAB_STATION_PATIENTS = 100
REHAB_STATION = "rehab_station"
VISIT_KINDS = {"screening": _l("Screening"), "patrol": _l("Patrol")}


@dataclass(frozen=True)
class Field:
    key: str
    label: object  # a lazy string
    shown: Callable[[Any], object] | None = None  # the value from the whole row, when not the column's

    def value(self, row):
        return self.shown(row) if self.shown is not None else getattr(row, self.key)


@dataclass(frozen=True)
class DueList:
    code: str
    name: object
    query: Callable[[date], Select]
    fields: tuple[Field, ...]
    permissions: tuple[str, ...]  # a user sees the list when they may read all of these
    link: Callable[[Any], tuple[str, int]]  # the endpoint and id of a row's subject page
    order: tuple[str, ...]
    note: object = ""


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _township():
    return OrgUnit.name.label("township")


# -- detection by risk class and cycle -----------------------------------------------------------------------

def _last_detections():
    """The latest detection per employer: a screening's report date (Annex 2) or an archive table 4-2 row."""
    screened = select(Screening.employer_id.label("employer_id"), Screening.detection_report_date.label("day")
                      ).where(Screening.detection_report_date.is_not(None), Screening.state.in_(REPORTED_STATES))
    archived = (select(HealthArchive.employer_id, ExposureDetection.detected_on)
                .join(ExposureDetection, ExposureDetection.archive_id == HealthArchive.id)
                .where(ExposureDetection.detected_on.is_not(None)))
    both = union_all(screened, archived).subquery()
    return (select(both.c.employer_id, func.max(both.c.day).label("last_detected"))
            .group_by(both.c.employer_id).subquery())


def _detection(today: date, overdue: bool) -> Select:
    last = _last_detections()
    detected = last.c.last_detected
    per_class = []
    for code, years in CYCLE_YEARS.items():
        # The cycle ends ``years`` after the last detection; compare the detection with today moved back.
        ended = years_before(today, years)
        if overdue:
            condition = or_(detected.is_(None), detected < ended)
        else:
            condition = and_(detected >= ended, detected <= years_before(today + DUE_WITHIN, years))
        per_class.append(and_(RiskClass.code == code, condition))
    query = (select(Employer.id.label("subject_id"), Employer.org_unit_id.label("org_unit_id"),
                    Employer.archive_number.label("archive_number"), Employer.name.label("name"), _township(),
                    RiskClass.code.label("risk_code"), RiskClass.name.label("risk_class"),
                    detected.label("last_detected"))
             .join(RiskClass, Employer.risk_class_id == RiskClass.id)
             .join(OrgUnit, Employer.org_unit_id == OrgUnit.id)
             .outerjoin(last, last.c.employer_id == Employer.id)
             .where(Employer.has_hazard.is_(True), Employer.active_condition(), or_(*per_class)))
    return apply_scope(query, Employer)


def _cycle_end(row) -> date | None:
    years = CYCLE_YEARS.get(row.risk_code)
    if row.last_detected is None or years is None:
        return None
    return years_before(row.last_detected, -years)


# -- visits not made --------------------------------------------------------------------------------------

def _employer_columns():
    return (Employer.id.label("subject_id"), Employer.org_unit_id.label("org_unit_id"),
            Employer.archive_number.label("archive_number"), Employer.name.label("name"), _township())


def _not_patrolled(today: date) -> Select:
    """Annex 6 / Guizhou: every declared active employer is patrolled each half-year."""
    start = half_year_start(today)
    # A visit counts once reported (submitted or accepted), as in the indicators: a draft is not yet done.
    patrolled = select(Patrol.id).where(Patrol.employer_id == Employer.id, Patrol.visit_date >= start,
                                        Patrol.visit_date <= today, Patrol.state.in_(REPORTED_STATES)).exists()
    last_patrol = select(func.max(Patrol.visit_date)).where(Patrol.employer_id == Employer.id).scalar_subquery()
    query = (select(*_employer_columns(), last_patrol.label("last_patrol"))
             .join(OrgUnit, Employer.org_unit_id == OrgUnit.id)
             .where(Employer.hazard_declared.is_(True), Employer.active_condition(), ~patrolled))
    return apply_scope(query, Employer)


def _new_not_screened(today: date) -> Select:
    """Annex 6: every employer first registered this year is screened."""
    start = date(today.year, 1, 1)
    screened = select(Screening.id).where(Screening.employer_id == Employer.id, Screening.visit_date >= start,
                                          Screening.state.in_(REPORTED_STATES)).exists()
    query = (select(*_employer_columns(), Employer.registered_on.label("registered_on"))
             .join(OrgUnit, Employer.org_unit_id == OrgUnit.id)
             .where(Employer.registered_on >= start, Employer.registered_on <= today,
                    Employer.active_condition(), ~screened))
    return apply_scope(query, Employer)


def _patients_not_visited(today: date) -> Select:
    """Annex 6: every managed patient (alive, not lost to follow-up) is visited each year."""
    start = date(today.year, 1, 1)
    visited = select(FollowUpVisit.id).where(FollowUpVisit.patient_id == Patient.id,
                                             FollowUpVisit.visited_on >= start).exists()
    last_visit = select(func.max(FollowUpVisit.visited_on)).where(
        FollowUpVisit.patient_id == Patient.id).scalar_subquery()
    query = (select(Patient.id.label("subject_id"), Patient.org_unit_id.label("org_unit_id"),
                    Patient.name.label("name"), Patient.card_type.label("card_type"), _township(),
                    Patient.diagnosed_on.label("diagnosed_on"), last_visit.label("last_visit"))
             .join(OrgUnit, Patient.org_unit_id == OrgUnit.id)
             .where(Patient.dead.is_(False), Patient.lost.is_(False), ~visited))
    return apply_scope(query, Patient)


# -- records not yet submitted ------------------------------------------------------------------------------

def _unsubmitted(today: date) -> Select:
    """Drafts and returned records. Late: submitted now, the record could no longer be on time
    (``WorkflowRecord.on_time``: before the end of the visit date + REPORT_DEADLINE_DAYS)."""
    late_before = today - timedelta(days=deadline_days())

    def part(model, kind: str) -> Select:
        query = (select(literal(kind).label("kind"), model.id.label("subject_id"),
                        model.org_unit_id.label("org_unit_id"), Employer.name.label("name"), _township(),
                        model.visit_date.label("visit_date"), model.state.label("state"),
                        (model.visit_date < late_before).label("late"))
                 .join(Employer, model.employer_id == Employer.id)
                 .join(OrgUnit, model.org_unit_id == OrgUnit.id)
                 .where(model.state.in_((DRAFT, RETURNED))))
        return apply_scope(query, model)

    return union_all(part(Screening, "screening"), part(Patrol, "patrol")).subquery().select()


def _visit_link(row) -> tuple[str, int]:
    return ("ScreeningView.show" if row.kind == "screening" else "PatrolView.show"), row.subject_id


# -- declaration expansion and rehabilitation stations --------------------------------------------------------

def _candidates_overdue(today: date) -> Select:
    """Chongqing Annex 2 task 8: a candidate is verified within one month of being found."""
    query = (select(DeclarationCandidate.id.label("subject_id"),
                    DeclarationCandidate.org_unit_id.label("org_unit_id"),
                    DeclarationCandidate.name.label("name"), _township(),
                    DeclarationCandidate.source.label("source"), DeclarationCandidate.found_on.label("found_on"),
                    DeclarationCandidate.verify_by.label("verify_by"))
             .join(OrgUnit, DeclarationCandidate.org_unit_id == OrgUnit.id)
             .where(DeclarationCandidate.overdue_clause(today)))
    return apply_scope(query, DeclarationCandidate)


def _townships_without_rehab_station(today: date) -> Select:
    """Townships where at least REHAB_STATION_PATIENTS pneumoconiosis patients live (alive, not lost to
    follow-up) and no pneumoconiosis rehabilitation station serves them."""
    district = aliased(OrgUnit)
    pneumoconiosis = or_(Patient.card_type == PNEUMOCONIOSIS_CARD,
                         Patient.disease_id.in_(select(Disease.id).where(Disease.pneumoconiosis.is_(True))))
    served = select(PreventionInstitution.served_township_id).where(
        PreventionInstitution.kind == REHAB_STATION, PreventionInstitution.served_township_id.is_not(None))
    query = (select(Patient.org_unit_id.label("subject_id"), Patient.org_unit_id.label("org_unit_id"),
                    district.name.label("district"), _township(), func.count(Patient.id).label("patients"))
             .join(OrgUnit, Patient.org_unit_id == OrgUnit.id)
             .join(district, OrgUnit.parent_id == district.id)
             .where(Patient.dead.is_(False), Patient.lost.is_(False), pneumoconiosis,
                    Patient.org_unit_id.not_in(served))
             .group_by(Patient.org_unit_id, district.name, OrgUnit.name)
             .having(func.count(Patient.id) >= REHAB_STATION_PATIENTS))
    return apply_scope(query, Patient)


# -- the lists ------------------------------------------------------------------------------------------------

ARCHIVE_NUMBER, NAME = Field("archive_number", _l("Archive number")), Field("name", _l("Employer name"))
TOWNSHIP = Field("township", _l("Township/street"))
DETECTION_FIELDS = (ARCHIVE_NUMBER, NAME, TOWNSHIP, Field("risk_class", _l("Risk class")),
                    Field("cycle", _l("Detection cycle (years)"), lambda row: CYCLE_YEARS.get(row.risk_code)),
                    Field("last_detected", _l("Last detection")),
                    Field("cycle_end", _l("Cycle ends"), _cycle_end))


def _employer_link(row) -> tuple[str, int]:
    return "EmployerView.show", row.subject_id


DUE_LISTS = [
    DueList("detection_due", _l("Detection due within 60 days"), lambda today: _detection(today, overdue=False),
            DETECTION_FIELDS, (EMPLOYER,), _employer_link, ("last_detected", "archive_number"),
            _l("Serious risk: detection every year; general risk: every 3 years (Shanghai Annex 3)")),
    DueList("detection_overdue", _l("Detection overdue"), lambda today: _detection(today, overdue=True),
            DETECTION_FIELDS, (EMPLOYER,), _employer_link, ("last_detected", "archive_number"),
            _l("The cycle has ended, or the employer was never detected")),
    DueList("not_patrolled", _l("Declared employers not patrolled this half-year"), _not_patrolled,
            (ARCHIVE_NUMBER, NAME, TOWNSHIP, Field("last_patrol", _l("Last patrol"))), (EMPLOYER, PATROL),
            _employer_link, ("township", "archive_number")),
    DueList("new_not_screened", _l("New employers this year not screened"), _new_not_screened,
            (ARCHIVE_NUMBER, NAME, TOWNSHIP, Field("registered_on", _l("Registered on"))), (EMPLOYER, SCREENING),
            _employer_link, ("registered_on", "archive_number")),
    DueList("patients_not_visited", _l("Managed patients not visited this year"), _patients_not_visited,
            (Field("name", _l("Patient")), Field("card_type", _l("Visit card"),
                                                 lambda row: CARD_TYPES.get(row.card_type, row.card_type)),
             TOWNSHIP, Field("diagnosed_on", _l("Diagnosed on")), Field("last_visit", _l("Last visit"))),
            (PATIENT,), lambda row: ("PatientView.show", row.subject_id), ("township", "name")),
    DueList("unsubmitted", _l("Screenings and patrols not yet submitted"), _unsubmitted,
            (Field("kind", _l("Record"), lambda row: VISIT_KINDS[row.kind]), NAME, TOWNSHIP,
             Field("visit_date", _l("Visit date")), Field("state", _l("Status"), lambda row: STATES[row.state]),
             Field("days", _l("Days since the visit"), lambda row: (date.today() - row.visit_date).days),
             Field("late", _l("Already late"), lambda row: bool(row.late))),
            (SCREENING, PATROL), _visit_link, ("visit_date", "kind"),
            _l("Draft or returned; late once the reporting deadline after the visit has passed")),
    DueList("candidates_overdue", _l("Declaration candidates not verified within a month"), _candidates_overdue,
            (Field("name", _l("Employer name")), TOWNSHIP,
             Field("source", _l("Source"), lambda row: CANDIDATE_SOURCES.label(row.source)),
             Field("found_on", _l("Found on")), Field("verify_by", _l("Verify by"))),
            (DECLARATION_CANDIDATE,), lambda row: ("DeclarationCandidateView.show", row.subject_id),
            ("verify_by", "name")),
    DueList("rehab_station", _l("Townships that need a pneumoconiosis rehab station"),
            _townships_without_rehab_station,
            (Field("district", _l("District/county")), TOWNSHIP,
             Field("patients", _l("Resident pneumoconiosis patients"))),
            (PATIENT, INSTITUTION), lambda row: ("OrgUnitView.show", row.subject_id), ("district", "township"),
            _l("At least 100 resident pneumoconiosis patients and no rehab station serving the township "
               "(Chongqing Annex 1)")),
]
DUE_LISTS_BY_CODE = {due_list.code: due_list for due_list in DUE_LISTS}


# -- the engine -----------------------------------------------------------------------------------------------

def visible_lists() -> list[DueList]:
    """The lists the current user may see: those whose subjects they may read."""
    return [due_list for due_list in DUE_LISTS if all(may(name, "r") for name in due_list.permissions)]


def _within(due_list: DueList, unit: OrgUnit, today: date):
    subjects = due_list.query(today).subquery()
    return subjects, select(subjects).where(subjects.c.org_unit_id.in_(subtree_ids(unit.path)))


def count(due_list: DueList, unit: OrgUnit, today: date | None = None) -> int:
    subjects = _within(due_list, unit, today or date.today())[1].subquery()
    return db.session.scalar(select(func.count()).select_from(subjects)) or 0


def counts(lists: list[DueList], unit: OrgUnit, today: date | None = None) -> dict[str, int]:
    """One counting query per list."""
    return {due_list.code: count(due_list, unit, today) for due_list in lists}


def _ordered(due_list: DueList, unit: OrgUnit, today: date | None) -> Select:
    subjects, query = _within(due_list, unit, today or date.today())
    return query.order_by(*(subjects.c[key] for key in due_list.order), subjects.c.subject_id)


def page(due_list: DueList, unit: OrgUnit, number: int, size: int, today: date | None = None) -> list:
    """Page ``number`` (from 1) of the list's rows."""
    return db.session.execute(_ordered(due_list, unit, today).offset((number - 1) * size).limit(size)).all()


def rows(due_list: DueList, unit: OrgUnit, today: date | None = None) -> Iterator:
    """Every row, fetched in batches (for the xlsx export)."""
    return db.session.execute(_ordered(due_list, unit, today).execution_options(yield_per=500))


def awaiting_review(unit: OrgUnit) -> int:
    """Screenings and patrols submitted in ``unit``'s subtree (and the user's scope), awaiting review."""
    parts = [apply_scope(select(model.id).where(model.state == SUBMITTED,
                                                model.org_unit_id.in_(subtree_ids(unit.path))), model)
             for model in (Screening, Patrol)]
    return db.session.scalar(select(func.count()).select_from(union_all(*parts).subquery())) or 0
