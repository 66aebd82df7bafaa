"""The indicators of DOMAIN.md §4, declared as data for the engine: who is counted (denominator), who
counts (numerator), and the target. Each population is one SELECT over a township column.

Rules shared by several indicators, decided once:
- Field records (screenings, patrols) count once submitted or accepted (the workflow's REPORTED_STATES):
  a draft or a returned record is not yet data — the same reading as the service plans' progress.
- "Active hazardous employers" are read as at the period's end (``_active_hazardous``).
- Patrol coverage asks for a patrol in each half-year the period spans (Annex 6: "每上、下半年各…全覆盖
  巡查"); a year's view also shows each half (``by_half``).
- "Key industries" are Guizhou's 煤矿、非煤矿山、冶金、建材、化工生产 read as GB/T 4754 divisions
  (``KEY_INDUSTRY_DIVISIONS``); "dust employers" are those whose latest screening counts workers exposed
  to dust (Annex 2 "粉尘…接触人数").
- Each indicator's name and kind come from the catalogue (app/models/indicator_target.py), which the city
  admin's targets name; the ``target`` here is the default (Shanghai's set).
"""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, literal, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from app.models import (Coordinator, Employer, ExposureDetection, FollowUpVisit, HazardReport, HealthArchive,
                        Industry, Patient, Patrol, PatrolAnswer, RiskClass, Screening, SmeAssistance,
                        TrainingActivity)
from app.models.archive import one_year_before
from app.models.indicator_target import CATALOGUE
from app.models.programme.coordinator import training_participation
from app.models.workflow import REPORTED_STATES
from app.reports.engine import Indicator
from app.reports.periods import Period

SERIOUS_RISK = "2"  # risk class 严重; "1" 一般
DETECTION_CYCLE_YEARS = {"serious": 1, "general": 3}  # Shanghai Annex 3 notes
# Guizhou 第八条(三): 煤矿、非煤矿山、冶金、建材、化工生产 — GB/T 4754-2017 divisions 06 coal, 07–10 other
# mining, 30 non-metallic mineral products (building materials), 31–32 smelting, 25–26 and 28–29 chemicals.
KEY_INDUSTRY_DIVISIONS = ("06", "07", "08", "09", "10", "25", "26", "28", "29", "30", "31", "32")
PROMOTION = "promotion"  # TrainingActivity.kind of law promotion (普法)


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


def _serious():
    return Employer.risk_class_id == select(RiskClass.id).where(RiskClass.code == SERIOUS_RISK).scalar_subquery()


def _key_industry():
    return Employer.industry_id.in_(select(Industry.id).where(Industry.code.in_(KEY_INDUSTRY_DIVISIONS)))


def _latest_screening(period: Period, column):
    """``column`` of the employer's latest reported screening up to the period's end (None without one):
    the employer's current Annex 2 figures, whether or not it was screened in the period."""
    return (select(column).where(Screening.employer_id == Employer.id, _reported(Screening),
                                 Screening.visit_date <= period.end)
            .order_by(Screening.visit_date.desc(), Screening.id.desc()).limit(1).scalar_subquery())


def _dust(period: Period):
    return func.coalesce(_latest_screening(period, Screening.exposed_dust), 0) > 0


def _among_hazardous(period: Period, among, condition):
    """Active hazardous employers ``among`` (key industry, dust …) meeting ``condition``: the same rows as
    the declaration rate, so that one pass over them counts both (query_groups)."""
    return (_rows(Employer.org_unit_id, Employer.id, _flag(and_(among, condition)), _flag(among))
            .where(_active_hazardous(period)))


def declaration(period: Period):
    return _rows(Employer.org_unit_id, Employer.id, _flag(_declared_by(period))).where(_active_hazardous(period))


def key_declaration(period: Period):
    return _among_hazardous(period, _key_industry(), _declared_by(period))


def dust_declaration(period: Period):
    """Cangzhou 七项实效: "粉尘危害申报率" — dust employers that have declared / dust employers."""
    return _among_hazardous(period, _dust(period), _declared_by(period))


# Guizhou 第八条(一) "职业病危害用人单位基本信息登记率100%": the register's basic information of Annex 2's
# header — a credit code (or 尚未取得), industry, risk class, legal representative, contact and address.
BASIC_INFO_CODES = (Employer.industry_id, Employer.risk_class_id)
BASIC_INFO_TEXT = (Employer.legal_representative, Employer.contact_person, Employer.workplace_address)


def basic_info(period: Period):
    filled = and_(or_(Employer.credit_code.is_not(None), Employer.credit_code_pending.is_(True)),
                  *(column.is_not(None) for column in BASIC_INFO_CODES),
                  *(func.coalesce(column, "") != "" for column in BASIC_INFO_TEXT))
    return _rows(Employer.org_unit_id, Employer.id, _flag(filled)).where(_active_hazardous(period))


def archive(period: Period):
    """An EXISTS per employer (not IN over every complete archive): the database probes the employer's
    archive when it reads one township's employers (a kept rollup after a save, the score's gap list) and
    may still hash the archives when it reads them all."""
    complete = exists().where(HealthArchive.employer_id == Employer.id,
                              HealthArchive.complete_condition(period.end))
    return _rows(Employer.org_unit_id, Employer.id, _flag(complete)).where(_active_hazardous(period))


def new_employer_screening(period: Period):
    """Employers first registered in the period, screened (a reported screening) in it."""
    return (_rows(Employer.org_unit_id, Employer.id, _flag(_visited(Screening, period)))
            .where(_in_period(Employer.registered_on, period)))


def _patrolled_each_half(period: Period):
    """Patrolled in each half-year of the period in which the employer had declared by the half's end
    (Annex 6 "每上、下半年各对…已申报…的用人单位进行全覆盖巡查")."""
    halves = period.half_years()
    if len(halves) == 1:
        return _visited(Patrol, period)
    return and_(*(or_(~_declared_by(half), _visited(Patrol, half)) for half in halves))


def patrol_coverage(period: Period):
    declared_active = and_(_declared_by(period), Employer.registered_on <= period.end,
                           Employer.active_condition())
    return _rows(Employer.org_unit_id, Employer.id, _flag(_patrolled_each_half(period))).where(declared_active)


def key_patrol(period: Period):
    """Guizhou 第八条(三): "每年对…重点行业领域及其他职业病危害严重的用人单位巡查覆盖率100%" — a patrol
    in the period, for the key-industry and serious-risk employers among the active hazardous ones."""
    return _among_hazardous(period, or_(_key_industry(), _serious()), _visited(Patrol, period))


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


def _detected(period: Period):
    """A workplace detection within the employer's cycle up to the period's end: the last detection
    report of a reported screening (Annex 2) or a detection date of archive table 4-2. Two EXISTS probes
    on (employer, date) indexes rather than one over a union, which no index serves."""
    since = case((_serious(), _years_before(period.end, DETECTION_CYCLE_YEARS["serious"])),
                 else_=_years_before(period.end, DETECTION_CYCLE_YEARS["general"]))
    screened = exists().where(Screening.employer_id == Employer.id, _reported(Screening),
                              Screening.detection_report_date > since, Screening.detection_report_date <= period.end)
    archived = exists().where(HealthArchive.employer_id == Employer.id,
                              ExposureDetection.archive_id == HealthArchive.id,
                              ExposureDetection.detected_on > since, ExposureDetection.detected_on <= period.end)
    kept = Employer.last_detected_on
    return _up_to_the_end(kept, period, kept > since, or_(screened, archived))


def periodic_detection(period: Period):
    return _rows(Employer.org_unit_id, Employer.id, _flag(_detected(period))).where(_active_hazardous(period))


def dust_detection(period: Period):
    """Cangzhou 2020: "粉尘浓度定期检测率" 100 % — dust employers detected within their cycle / dust employers."""
    return _among_hazardous(period, _dust(period), _detected(period))


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
    """On-duty exams done in the period / workers who should be examined, per active hazardous employer
    from its latest screening up to the period's end (Annex 2 "职业健康体检应检总人数；实检总人数"). Annex 2
    gives the latest exam of the last 3 years: its 实检 count only when its report is dated in the period;
    an employer not screened in the period still counts its 应检 workers."""
    done = case((_in_period(Screening.exam_report_date, period), Screening.exam_done_count), else_=0)
    return _rows(Employer.org_unit_id, Employer.id, func.coalesce(_latest_screening(period, done), 0),
                 func.coalesce(_latest_screening(period, Screening.exam_due_count), 0)).where(_active_hazardous(period))


def worker_training(period: Period):
    """Exposed workers trained / exposed workers, from Annex 2's training and exposure counts."""
    latest, first = _latest_screenings(period)
    return _rows(latest.org_unit_id, latest.id, latest.workers_trained, latest.exposed_total).where(first)


def _coordinators(period: Period):
    """Coordinators serving at some time in the period; whether they attended (passed) a training in it."""
    return training_participation(period.start, period.end).subquery()


def coordinator_attendance(period: Period):
    participation = _coordinators(period)
    return _rows(participation.c.org_unit_id, participation.c.coordinator_id, participation.c.attended)


def coordinator_pass(period: Period):
    """Guizhou 第八条(五) "培训参加率和培训合格率": passed / those who attended."""
    participation = _coordinators(period)
    return _rows(participation.c.org_unit_id, participation.c.coordinator_id, participation.c.passed,
                 participation.c.attended)


def promotion(period: Period):
    """Guizhou 第八条(五): each coordinator "全年开展卫生法律法规和相关卫生知识宣传1次以上" — the township's
    promotion activities in the period / its coordinators serving in it (activities are the township's)."""
    serving = and_(Coordinator.appointed_on <= period.end,
                   or_(Coordinator.dismissed_on.is_(None), Coordinator.dismissed_on >= period.start))
    activities = (_rows(TrainingActivity.org_unit_id, TrainingActivity.id, literal(1), literal(0))
                  .add_columns(literal_column("'training_activity'").label("subject_type"))
                  .where(TrainingActivity.kind == PROMOTION, _in_period(TrainingActivity.held_on, period)))
    coordinators = (_rows(Coordinator.org_unit_id, Coordinator.id, literal(0), literal(1))
                    .add_columns(literal_column("'coordinator'").label("subject_type")).where(serving))
    return union_all(activities, coordinators)


def _assistance_years(period: Period):
    """An assistance record belongs to a year: a half-year or quarter reads its year's records."""
    return SmeAssistance.year.between(period.start.year, period.end.year)


def _sme_after(flag: str):
    """Chongqing Annex 3: "被帮扶企业职业病危害项目申报率、…定期检测率、职业健康检查开展率、职业健康培训率均达到
    100%" — assisted firms of the year standing after the assistance / assisted firms."""
    def population(period: Period):
        return (_rows(SmeAssistance.org_unit_id, SmeAssistance.id, _flag(getattr(SmeAssistance, f"{flag}_after")))
                .where(_assistance_years(period)))
    return population


def sme_count(period: Period):
    return _rows(SmeAssistance.org_unit_id, SmeAssistance.id, literal(1), literal(0)).where(_assistance_years(period))


def _indicator(code: str, population, target: float, note, **options) -> Indicator:
    name, kind = CATALOGUE[code]
    return Indicator(code, name, population, target, note=note, kind=kind, **options)


INDICATORS = [
    _indicator("declaration", declaration, 0.95,
               _l("Active hazardous employers that have declared / active hazardous employers (Annex 6)")),
    _indicator("key_declaration", key_declaration, 0.65, used=False,
               note=_l("Active hazardous employers of the key industries (mining, smelting, building materials, "
                       "chemicals) that have declared / those employers (Cangzhou 2020)")),
    _indicator("dust_declaration", dust_declaration, 1.0, used=False, cost=2,
               note=_l("Dust employers (workers exposed to dust on their latest screening) that have declared / "
                       "dust employers (Cangzhou 2020)")),
    _indicator("basic_info", basic_info, 1.0, used=False,
               note=_l("Active hazardous employers whose basic information is registered (credit code, industry, "
                       "risk class, legal representative, contact, address) / active hazardous employers "
                       "(Guizhou)")),
    _indicator("archive", archive, 0.95,
               _l("Active hazardous employers with a complete archive reviewed in the last 12 months / "
                  "active hazardous employers (Annex 6)")),
    _indicator("new_screening", new_employer_screening, 1.0,
               _l("Employers first registered in the period and screened in it (submitted or accepted) / "
                  "employers first registered in the period (Annex 6)")),
    _indicator("patrol", patrol_coverage, 1.0, cost=2, by_half=True,
               note=_l("Declared active employers patrolled in each half-year of the period (submitted or "
                       "accepted) / declared active employers (Annex 6, Guizhou)")),
    _indicator("key_patrol", key_patrol, 1.0, used=False, cost=2,
               note=_l("Key-industry and serious-risk employers patrolled in the period / those employers "
                       "(Guizhou: yearly)")),
    _indicator("follow_up", follow_up, 1.0, subject="patient", cost=2,
               note=_l("Managed patients (alive, not lost to follow-up) visited in the period / managed "
                       "patients (Annex 6)")),
    _indicator("on_time", on_time_reporting, 1.0, subject="screening", cost=3,
               note=_l("Screenings and patrols of the period submitted within the deadline / screenings and "
                       "patrols of the period (Annex 6)")),
    _indicator("information", information_reporting, 1.0, subject="hazard_report",
               note=_l("Clues found in the period that were reported / clues found, including those answered 有 on "
                       "a patrol's checklist (Guizhou items 6–7, Shanghai item 7) (Guizhou)")),
    _indicator("detection", periodic_detection, 1.0, cost=2,
               note=_l("Active hazardous employers with a detection within their cycle (serious risk 1 year, "
                       "general 3 years) / active hazardous employers (Cangzhou, Shanghai Annex 3)")),
    _indicator("dust_detection", dust_detection, 1.0, used=False, cost=2,
               note=_l("Dust employers with a detection within their cycle / dust employers (Cangzhou 2020)")),
    _indicator("health_exam", health_exam, 1.0, cost=4,
               note=_l("On-duty exams dated in the period / workers who should be examined, from each active "
                       "hazardous employer's latest screening, screened in the period or not (Cangzhou)")),
    _indicator("training", worker_training, 1.0, subject="screening", cost=4,
               note=_l("Exposed workers trained / exposed workers, from each employer's latest screening in "
                       "the period (Cangzhou)")),
    _indicator("coordinator_attended", coordinator_attendance, 0.9, subject="coordinator",
               note=_l("Serving coordinators who attended a training in the period / serving coordinators "
                       "(Guizhou)")),
    _indicator("coordinator_passed", coordinator_pass, 0.9, subject="coordinator",
               note=_l("Coordinators who passed a training in the period / those who attended one (Guizhou)")),
    _indicator("promotion", promotion, 1, used=False, subject="training_activity",
               note=_l("Promotion activities of the period / serving coordinators: at least one each a year "
                       "(Guizhou)")),
    *(_indicator(f"sme_{flag}", _sme_after(flag), 1.0, subject="sme_assistance",
                 note=_l("Assisted SMEs of the year that meet it after the assistance / assisted SMEs "
                         "(Chongqing Annex 3)"))
      for flag in ("declared", "detected", "examined", "trained")),
    _indicator("sme_count", sme_count, 20, subject="sme_assistance",
               note=_l("SMEs assisted in the year: at least 20 per district; the city meets it when every "
                       "district does (Chongqing Annex 3)")),
]
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
