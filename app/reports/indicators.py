"""The indicators of DOMAIN.md §4, declared as data for the engine: who is counted (denominator), who
counts (numerator), and the target. Each population is one SELECT over a township column.

Rules shared by several indicators, decided once:
- Field records (screenings, patrols) count once submitted or accepted (the workflow's REPORTED_STATES):
  a draft or a returned record is not yet data — the same reading as the service plans' progress.
- "Active hazardous employers" are read as at the period's end (``_active_hazardous``).
- Half-year targets (patrol coverage) are met by choosing the half-year; a year or quarter counts the
  visits within that year or quarter.
"""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, literal, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from app.models import (Employer, ExposureDetection, FollowUpVisit, HazardReport, HealthArchive, Patient, Patrol,
                        PatrolAnswer, RiskClass, Screening, SmeAssistance)
from app.models.archive import one_year_before
from app.models.programme.assistance import SIX_ITEMS
from app.models.programme.coordinator import training_participation
from app.models.workflow import REPORTED_STATES
from app.reports.engine import COUNT, Indicator
from app.reports.periods import Period

SERIOUS_RISK = "2"  # risk class 严重; "1" 一般
DETECTION_CYCLE_YEARS = {"serious": 1, "general": 3}  # Shanghai Annex 3 notes


def _flag(condition):
    return case((condition, 1), else_=0)


def _rows(unit, subject, numerator, denominator=literal(1)):
    return select(unit.label("org_unit_id"), subject.label("subject_id"), numerator.label("numerator"),
                  denominator.label("denominator"))


def _in_period(column, period: Period):
    return and_(column >= period.start, column <= period.end)


def _reported(model):
    return model.state.in_(REPORTED_STATES)


def _years_before(day: date, years: int) -> date:
    for _ in range(years):
        day = one_year_before(day)
    return day


def _active_hazardous(period: Period):
    """Employers with occupational hazards, registered by the end of the period and in production."""
    return and_(Employer.has_hazard.is_(True), Employer.registered_on <= period.end,
                Employer.active_condition())


def _declared_by(period: Period):
    return and_(Employer.hazard_declared.is_(True),
                or_(Employer.declared_on.is_(None), Employer.declared_on <= period.end))


# Each employer's latest reported visit and detection of all, kept by the database (migration 0009).
LATEST = {Screening: Employer.last_screened_on, Patrol: Employer.last_patrolled_on}


def _up_to_the_end(kept, period: Period, kept_says, probe):
    """A condition on the latest date up to the period's end: when the employer's latest of all (``kept``)
    is no later than the end, it is that date and ``kept_says`` decides — always so for the current
    period, as nothing is dated after today; otherwise ``probe`` looks for one among the records."""
    return case((kept <= period.end, kept_says), else_=probe)


def _visited(model, period: Period):
    """The employer had a reported visit of this kind (screening or patrol) in the period."""
    probe = exists().where(model.employer_id == Employer.id, _in_period(model.visit_date, period),
                           _reported(model))
    kept = LATEST[model]
    return _up_to_the_end(kept, period, kept >= period.start, probe)


def declaration(period: Period):
    return _rows(Employer.org_unit_id, Employer.id, _flag(_declared_by(period))).where(_active_hazardous(period))


def archive(period: Period):
    complete = Employer.id.in_(HealthArchive.complete_employer_ids(period.end))
    return _rows(Employer.org_unit_id, Employer.id, _flag(complete)).where(_active_hazardous(period))


def new_employer_screening(period: Period):
    """Employers first registered in the period, screened (a reported screening) in it."""
    return (_rows(Employer.org_unit_id, Employer.id, _flag(_visited(Screening, period)))
            .where(_in_period(Employer.registered_on, period)))


def patrol_coverage(period: Period):
    declared_active = and_(_declared_by(period), Employer.registered_on <= period.end,
                           Employer.active_condition())
    return _rows(Employer.org_unit_id, Employer.id, _flag(_visited(Patrol, period))).where(declared_active)


def follow_up(period: Period):
    """Managed patients: diagnosed by the period's end, neither dead nor lost to follow-up by then."""
    gone = or_(and_(Patient.dead.is_(True), or_(Patient.died_on.is_(None), Patient.died_on <= period.end)),
               and_(Patient.lost.is_(True), or_(Patient.lost_on.is_(None), Patient.lost_on <= period.end)))
    visited = exists().where(FollowUpVisit.patient_id == Patient.id, _in_period(FollowUpVisit.visited_on, period))
    return (_rows(Patient.org_unit_id, Patient.id, _flag(visited))
            .where(Patient.diagnosed_on.is_not(None), Patient.diagnosed_on <= period.end, ~gone))


def on_time_reporting(period: Period):
    """Every screening and patrol visited in the period, whatever its state: a draft is not on time."""
    return union_all(*(
        _rows(model.org_unit_id, model.id, _flag(model.on_time))
        .add_columns(literal_column(f"'{model.__tablename__}'").label("subject_type"))
        .where(_in_period(model.visit_date, period))
        for model in (Screening, Patrol)))


def information_reporting(period: Period):
    """Clues found in the period / those reported at all (DOMAIN.md "reported / found"); reporting in time
    is the assessment score's deduction (Annex 6: −3 points per clue not reported in time). Found are the
    hazard reports, and the clues a reported patrol of the period found (有 on a clue item: Guizhou
    "第6-7项为发现线索", Shanghai item 7) that no report was made of — found, not reported (a patrol is submitted
    only with a report of each clue, but one submitted before that rule, or by a script, may have none)."""
    end = period.end + timedelta(days=1)
    reports = (_rows(HazardReport.org_unit_id, HazardReport.id, _flag(HazardReport.reported_at.is_not(None)))
               .add_columns(literal_column("'hazard_report'").label("subject_type"))
               .where(HazardReport.found_at >= period.start, HazardReport.found_at < end))
    reported = exists().where(HazardReport.patrol_id == PatrolAnswer.patrol_id,
                              HazardReport.item_number == PatrolAnswer.item_number)
    unreported_clues = (_rows(Patrol.org_unit_id, Patrol.id, literal(0))
                        .add_columns(literal_column("'patrol'").label("subject_type"))
                        .join(PatrolAnswer, PatrolAnswer.patrol_id == Patrol.id)
                        .where(_in_period(Patrol.visit_date, period), _reported(Patrol),
                               PatrolAnswer.is_clue, ~reported))
    return union_all(reports, unreported_clues)


def periodic_detection(period: Period):
    """A workplace detection within the employer's cycle up to the period's end: the last detection
    report of a reported screening (Annex 2) or a detection date of archive table 4-2. Two EXISTS probes
    on (employer, date) indexes rather than one over a union, which no index serves."""
    serious = Employer.risk_class_id == select(RiskClass.id).where(RiskClass.code == SERIOUS_RISK).scalar_subquery()
    since = case((serious, _years_before(period.end, DETECTION_CYCLE_YEARS["serious"])),
                 else_=_years_before(period.end, DETECTION_CYCLE_YEARS["general"]))
    screened = exists().where(Screening.employer_id == Employer.id, _reported(Screening),
                              Screening.detection_report_date > since, Screening.detection_report_date <= period.end)
    archived = exists().where(HealthArchive.employer_id == Employer.id,
                              ExposureDetection.archive_id == HealthArchive.id,
                              ExposureDetection.detected_on > since, ExposureDetection.detected_on <= period.end)
    kept = Employer.last_detected_on
    detected = _up_to_the_end(kept, period, kept > since, or_(screened, archived))
    return _rows(Employer.org_unit_id, Employer.id, _flag(detected)).where(_active_hazardous(period))


def _latest_screenings(period: Period):
    """Each employer's latest reported screening in the period: the headcounts it gives are the
    employer's current figures (Annex 2); earlier screenings of the same employer are superseded. "No
    later one exists" probes the (employer, visit date, state) index instead of ranking every row."""
    later = aliased(Screening)
    superseded = exists().where(
        later.employer_id == Screening.employer_id, _in_period(later.visit_date, period), _reported(later),
        or_(later.visit_date > Screening.visit_date,
            and_(later.visit_date == Screening.visit_date, later.id > Screening.id)))
    return Screening, and_(_in_period(Screening.visit_date, period), _reported(Screening), ~superseded)


def health_exam(period: Period):
    """Workers examined / workers who should be examined, from Annex 2's counts (应检, 实检)."""
    latest, first = _latest_screenings(period)
    return _rows(latest.org_unit_id, latest.id, latest.exam_done_count, latest.exam_due_count).where(first)


def worker_training(period: Period):
    """Exposed workers trained / exposed workers, from Annex 2's training and exposure counts."""
    latest, first = _latest_screenings(period)
    return _rows(latest.org_unit_id, latest.id, latest.workers_trained, latest.exposed_total).where(first)


def _coordinators(period: Period, column: str):
    """Coordinators serving at some time in the period; whether they attended (passed) a training in it."""
    participation = training_participation(period.start, period.end).subquery()
    return _rows(participation.c.org_unit_id, participation.c.coordinator_id, participation.c[column])


def coordinator_attendance(period: Period):
    return _coordinators(period, "attended")


def coordinator_pass(period: Period):
    return _coordinators(period, "passed")


def _assistance_years(period: Period):
    """An assistance record belongs to a year: a half-year or quarter reads its year's records."""
    return SmeAssistance.year.between(period.start.year, period.end.year)


def sme_completion(period: Period):
    return (_rows(SmeAssistance.org_unit_id, SmeAssistance.id, SmeAssistance.items_done_sql(),
                  literal(len(SIX_ITEMS))).where(_assistance_years(period)))


def sme_count(period: Period):
    return _rows(SmeAssistance.org_unit_id, SmeAssistance.id, literal(1), literal(0)).where(_assistance_years(period))


INDICATORS = [
    Indicator("declaration", _l("Hazard declaration rate"), declaration, 0.95,
              note=_l("Active hazardous employers that have declared / active hazardous employers (Annex 6)")),
    Indicator("archive", _l("Archive rate"), archive, 0.95,
              note=_l("Active hazardous employers with a complete archive reviewed in the last 12 months / "
                      "active hazardous employers (Annex 6)")),
    Indicator("new_screening", _l("New-employer screening coverage"), new_employer_screening, 1.0,
              note=_l("Employers first registered in the period and screened in it (submitted or accepted) / "
                      "employers first registered in the period (Annex 6)")),
    Indicator("patrol", _l("Patrol coverage"), patrol_coverage, 1.0, cost=2,
              note=_l("Declared active employers patrolled in the period (submitted or accepted) / declared "
                      "active employers; choose a half-year for the half-yearly target (Annex 6, Guizhou)")),
    Indicator("follow_up", _l("Patient follow-up rate"), follow_up, 1.0, subject="patient", cost=2,
              note=_l("Managed patients (alive, not lost to follow-up) visited in the period / managed "
                      "patients (Annex 6)")),
    Indicator("on_time", _l("On-time reporting rate"), on_time_reporting, 1.0, subject="screening", cost=3,
              note=_l("Screenings and patrols of the period submitted within the deadline / screenings and "
                      "patrols of the period (Annex 6)")),
    Indicator("information", _l("Information reporting rate"), information_reporting, 1.0,
              subject="hazard_report",
              note=_l("Clues found in the period that were reported / clues found, including those answered 有 on "
                      "a patrol's checklist (Guizhou items 6–7, Shanghai item 7) (Guizhou)")),
    Indicator("detection", _l("Periodic detection rate"), periodic_detection, 1.0,
              note=_l("Active hazardous employers with a detection within their cycle (serious risk 1 year, "
                      "general 3 years) / active hazardous employers (Cangzhou, Shanghai Annex 3)"),
              cost=2),
    Indicator("health_exam", _l("On-duty health exam rate"), health_exam, 1.0, subject="screening", cost=4,
              note=_l("Workers examined / workers who should be examined, from each employer's latest "
                      "screening in the period (Cangzhou)")),
    Indicator("training", _l("Worker training rate"), worker_training, 1.0, subject="screening", cost=4,
              note=_l("Exposed workers trained / exposed workers, from each employer's latest screening in "
                      "the period (Cangzhou)")),
    Indicator("coordinator_attended", _l("Coordinator training participation"), coordinator_attendance, 0.9,
              subject="coordinator",
              note=_l("Serving coordinators who attended a training in the period / serving coordinators "
                      "(Guizhou)")),
    Indicator("coordinator_passed", _l("Coordinator training pass rate"), coordinator_pass, 0.9,
              subject="coordinator",
              note=_l("Serving coordinators who passed a training in the period / serving coordinators "
                      "(Guizhou)")),
    Indicator("sme_items", _l("SME assistance six-item completion"), sme_completion, 1.0,
              subject="sme_assistance",
              note=_l("Items done / six items × assisted SMEs of the year (Chongqing Annex 3)")),
    Indicator("sme_count", _l("Assisted SMEs"), sme_count, 20, subject="sme_assistance", kind=COUNT,
              note=_l("SMEs assisted in the year: at least 20 per district; the city meets it when every "
                      "district does (Chongqing Annex 3)")),
]
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
