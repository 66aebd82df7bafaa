"""The assessment score (考核评估, Shanghai Annex 6): per township and year, each item of the 100-point
table with the deductions the records decide and those the district entered (ScoreAdjustment), each
deduction with the records behind it; and rankings of townships, districts and cities.

How the Annex is read where the data decides:
- 档案维护: declaration and archive rates below 95 % cost 1 point per percentage point started
  (94.2 % → 1, 92.0 % → 3), at most 5 each. The rates are the indicator engine's (the same populations as
  the rollup), as at the end of the year.
- 培训与宣传 "未参加培训、会议，每次扣2分": −2 per training a coordinator of the township was called to in
  the year and did not attend (CoordinatorTraining.attended). Promotion and guidance are not recorded
  per employer: the district enters those.
- 日常排查 "未完成每年排查户次数，缺少一户次扣1分": the township's service plan states how many employers to
  screen in the year (its two half-years added); each employer short of that in the year (distinct
  employers with a submitted or accepted screening) costs 1 point. Without a plan, the coverage the
  Annex asks for ("每年对辖区内新增用人单位进行全覆盖排查"): each active employer registered in the year and
  not screened in it, once the year is over.
- 日常巡查 "每上、下半年各对辖区内已申报职业病危害项目的用人单位进行全覆盖巡查": against the plan, each
  employer short of a half-year's planned number; without a plan, each active employer declared by the
  half-year's end and not patrolled in it, once the half-year is over.
- 重点职业病人管理: a follow-up rate below 100 % costs the item's 5 points.
- 巡、排查记录上报: −2 per screening or patrol not submitted on time (``on_time``), counted once its
  deadline has passed.
- 发现安全隐患: −3 per clue of Annex 6's three "立即上报" kinds (acute poisoning risk, minors or pregnant or
  nursing women in hazardous work, other violations) not reported in time
  (``HazardReport.reported_in_time``), counted once its deadline has passed or when it was reported late.
  Guizhou's other clues (complaints, abnormal workplaces) count for the reporting rate, not here.
- 工作总结上报: each summary's own deduction (WorkSummary.deduction: late −2 / −5, not conforming −2).
An item never loses more than it is worth ("扣完为止"); the total is 100 minus the items' deductions.
A district's (a city's) score is the mean of its townships' totals (every township counts once, whatever its
size).
"""
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, exists, func, or_, select

from app.models import (DISTRICT, TOWNSHIP, Coordinator, CoordinatorTraining, Employer, HazardReport, OrgUnit,
                        Patient, Patrol, Screening, ServicePlan, WorkSummary, db)
from app.models.hazard_report import IMMEDIATE_CATEGORIES
from app.models.programme.plan import DONE_STATES, HALVES, plan_progress
from app.models.programme.summary import LATE_DEDUCTION, SUMMARY_KINDS
from app.models.score import ITEMS, MAX_POINTS, ScoreAdjustment
from app.models.workflow import days_after, deadline_days
from app.reports.engine import evaluate, members
from app.reports.indicators import INDICATORS_BY_CODE
from app.reports.periods import parse_period
from app.reports.summary import township_counts

# (item, indicator code, most points lost): the rates Annex 6 scores, evaluated by the indicator engine.
RATE_ITEMS = (("archive", "declaration", 5), ("archive", "archive", 5), ("patients", "follow_up", 5))
LATE_RECORD, LATE_CLUE, MISSED_TRAINING = 2, 3, 2  # Annex 6: 每次扣2分 / 每次扣3分 / 未参加培训、会议，每次扣2分
SUBJECT_NAMES = {"employer": Employer.name, "patient": Patient.name}


@dataclass(frozen=True)
class Record:
    kind: str  # employer, patient, plan, screening, patrol, hazard_report, work_summary, adjustment
    id: int
    label: str


@dataclass
class Deduction:
    points: Decimal
    reason: str
    records: list[Record] = field(default_factory=list)
    entered: bool = False  # by the district (a ScoreAdjustment), not computed


@dataclass
class Line:
    item: str
    label: object
    max_points: int
    deductions: list[Deduction] = field(default_factory=list)

    @property
    def deducted(self) -> Decimal:
        return min(Decimal(self.max_points), sum((d.points for d in self.deductions), Decimal(0)))

    @property
    def score(self) -> Decimal:
        return self.max_points - self.deducted


@dataclass
class TownshipScore:
    unit: OrgUnit
    year: int
    lines: list[Line]

    @property
    def total(self) -> Decimal:
        return sum((line.score for line in self.lines), Decimal(0))

    @property
    def deducted(self) -> Decimal:
        return sum((line.deducted for line in self.lines), Decimal(0))


@dataclass
class RankRow:
    unit: OrgUnit
    score: Decimal | None  # None: a district without townships
    rank: int | None = None
    townships: int = 0


def township_scores(year: int, root: OrgUnit, with_records: bool = False) -> list[TownshipScore]:
    """Every township under ``root`` (itself when it is one), each deduction computed with set-based
    queries over all of them at once. ``with_records`` also lists the employers or patients behind a rate
    (one query per township: meant for a single township's page)."""
    townships = db.session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(root.path),
                                                         OrgUnit.level == TOWNSHIP).order_by(OrgUnit.path)).all()
    ids = [unit.id for unit in townships]
    found = Found()
    if ids:
        _rates(found, year, root, townships, with_records)
        _missed_trainings(found, year, ids)
        planned = _missing_visits(found, year, ids)
        _coverage_gaps(found, year, [unit_id for unit_id in ids if unit_id not in planned], with_records)
        _late_records(found, year, ids, with_records)
        _late_clues(found, year, ids)
        _summaries(found, year, ids)
        _adjustments(found, year, ids)
        found.count_queued(root)
    return [TownshipScore(unit, year, [Line(item, label, MAX_POINTS[item], found[unit.id][item])
                                       for item, label in ITEMS.items()])
            for unit in townships]


class Found(defaultdict):
    """Township id → item → its deductions; the counts a ranking needs are queued (``counted``) and counted
    together at the end (``count_queued``)."""

    def __init__(self):
        super().__init__(lambda: defaultdict(list))
        self.counted = []  # (rows of township and record id, item, points per row, reason)

    def count_queued(self, root: OrgUnit) -> None:
        """The queued counts, per township as the rollup counts (side by side), kept for the day like its
        sums (``township_counts``): a province's ranking counts again only the townships written to."""
        per_query = township_counts([rows for rows, *_ in self.counted], root, date.today())
        for (_, item, points, reason), per_township in zip(self.counted, per_query):
            for unit_id, count in per_township.items():
                self[unit_id][item].append(Deduction(Decimal(points * count), str(reason)))
        self.counted = []


def computed_items() -> set[str]:
    """The items whose deductions this build can compute (a rate's indicator may not be declared yet)."""
    rates = {item for item, code, _ in RATE_ITEMS if code in INDICATORS_BY_CODE}
    return rates | {"training", "screening", "patrol", "records", "hazards", "summaries"}


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _rates(found, year: int, root: OrgUnit, townships: list[OrgUnit], with_records: bool) -> None:
    period = parse_period(str(year))
    scored = [(item, INDICATORS_BY_CODE[code], most) for item, code, most in RATE_ITEMS if code in INDICATORS_BY_CODE]
    values = evaluate(list({indicator.code: indicator for _, indicator, _ in scored}.values()), [period], root)[0]
    for item, indicator, most in scored:
        for unit in townships:
            value = values[indicator.code].get(unit.id)
            if value is None or value.rate_met(indicator.target) is not False:
                continue
            shortfall = round((indicator.target - value.rate) * 100, 6)
            points = most if indicator.target >= 1 else min(most, math.ceil(shortfall))
            reason = _l("%(indicator)s %(rate)s (%(num)d / %(den)d), target %(target)s",
                        indicator=indicator.name, rate=_percent(value.rate), num=value.numerator,
                        den=value.denominator, target=_percent(indicator.target))
            records = _subjects(indicator, period, unit) if with_records else []
            found[unit.id][item].append(Deduction(Decimal(points), str(reason), records))


def _subjects(indicator, period, unit) -> list[Record]:
    """The employers (or patients) in the gap between the rate's numerator and its denominator."""
    name = SUBJECT_NAMES.get(indicator.subject)
    gap = members(indicator, period, unit, gap=True).subquery()
    if name is None:
        return [Record(indicator.subject, subject, str(subject))
                for subject in db.session.scalars(select(gap.c.subject_id))]
    model = name.class_
    rows = db.session.execute(select(model.id, name).where(model.id.in_(select(gap.c.subject_id))).order_by(name))
    return [Record(indicator.subject, subject, label) for subject, label in rows]


def _missed_trainings(found, year: int, ids: list[int]) -> None:
    rows = db.session.execute(
        select(Coordinator.org_unit_id, CoordinatorTraining.id, Coordinator.name, CoordinatorTraining.course,
               CoordinatorTraining.held_on)
        .join(Coordinator, Coordinator.id == CoordinatorTraining.coordinator_id)
        .where(Coordinator.org_unit_id.in_(ids), ~CoordinatorTraining.attended,
               CoordinatorTraining.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CoordinatorTraining.held_on, CoordinatorTraining.id))
    for unit_id, training_id, name, course, held in rows:
        found[unit_id]["training"].append(Deduction(
            Decimal(MISSED_TRAINING), str(_l("Training or meeting not attended")),
            [Record("coordinator_training", training_id, f"{name} {course} {held.isoformat()}")]))


def _missing_visits(found, year: int, ids: list[int]) -> set[int]:
    """Deductions against each township's plan for the year; returns the townships that have one."""
    plans = db.session.scalars(select(ServicePlan).where(ServicePlan.year == year,
                                                         ServicePlan.org_unit_id.in_(ids))).all()
    screened = _screened_in_year([plan.org_unit_id for plan in plans], year)
    for plan_id, progress in plan_progress(plans).items():
        plan = next(plan for plan in plans if plan.id == plan_id)
        planned = sum(progress[f"screen_h{half}"].planned for half in HALVES)
        done = screened.get(plan.org_unit_id, 0)
        shortfalls = [("screening", planned - done,
                       _l("%(done)d of %(planned)d employers planned for the year", done=done, planned=planned))]
        for half in HALVES:
            patrolled = progress[f"patrol_h{half}"]
            shortfalls.append(("patrol", patrolled.planned - patrolled.done,
                               _l("Half-year %(half)d: %(done)d of %(planned)d employers planned",
                                  half=half, done=patrolled.done, planned=patrolled.planned)))
        for item, missing, reason in shortfalls:
            if missing > 0:
                found[plan.org_unit_id][item].append(Deduction(
                    Decimal(missing), str(reason), [Record("plan", plan.id, str(plan))]))
    return {plan.org_unit_id for plan in plans}


def _screened_in_year(ids: list[int], year: int) -> dict[int, int]:
    """Distinct employers with a submitted or accepted screening in the year, per township."""
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Screening.org_unit_id, func.count(Screening.employer_id.distinct()))
        .where(Screening.org_unit_id.in_(ids), Screening.state.in_(DONE_STATES),
               Screening.visit_date.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(Screening.org_unit_id)).all())


def _visited(model, first: date, last: date):
    return exists().where(model.employer_id == Employer.id, model.state.in_(DONE_STATES),
                          model.visit_date.between(first, last))


def _coverage_gaps(found, year: int, ids: list[int], with_records: bool) -> None:
    """Townships without a plan: the employers Annex 6 asks to cover and the records show were not, in
    each period already over (nothing says how far a township should be in a period still running)."""
    if not ids:
        return
    first, last = date(year, 1, 1), date(year, 12, 31)
    gaps = [("screening", last, and_(Employer.registered_on.between(first, last), ~_visited(Screening, first, last)),
             _l("Employers new in the year and not screened in it"))]
    for half, (start, end) in zip(HALVES, ((first, date(year, 6, 30)), (date(year, 7, 1), last))):
        declared = and_(Employer.hazard_declared, Employer.registered_on <= end,
                        or_(Employer.declared_on.is_(None), Employer.declared_on <= end))
        gaps.append(("patrol", end, and_(declared, ~_visited(Patrol, start, end)),
                     _l("Half-year %(half)d: declared employers not patrolled", half=half)))
    for item, end, condition, reason in gaps:
        if end < date.today():
            missing = select(Employer.org_unit_id, Employer.id).where(
                Employer.org_unit_id.in_(ids), Employer.active_condition(), condition)
            if with_records:
                missing = missing.add_columns(Employer.name).order_by(Employer.name, Employer.id)
            _per_township(found, item, missing, "employer", 1, reason, with_records)


def _late_records(found, year: int, ids: list[int], with_records: bool) -> None:
    """Screenings and patrols of the year not submitted on time, once their deadline has passed."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    for kind, model in (("screening", Screening), ("patrol", Patrol)):
        late = (select(model.org_unit_id, model.id)
                .where(model.org_unit_id.in_(ids), model.visit_date.between(first, last), ~model.on_time,
                       days_after(model.visit_date, deadline_days() + 1) <= _today_began()))
        if with_records:  # a ranking only counts them: no employer to join
            late = (late.add_columns((Employer.name + " " + cast(model.visit_date, String)).label("label"))
                    .join(Employer, Employer.id == model.employer_id).order_by(model.visit_date, model.id))
        _per_township(found, "records", late, kind, LATE_RECORD, _l("Not submitted on time"), with_records)


def _today_began() -> datetime:
    """The start of today: a deadline (a visit date + days, midnight) has passed now exactly when it has by
    today's first moment, and the counts' query then reads the same all day (kept for the day)."""
    return datetime.combine(date.today(), time())


def _per_township(found, item: str, rows, kind: str, points: int, reason, with_records: bool) -> None:
    """One deduction per township of ``points`` per row of ``rows``: (township, record id, label) listed
    for a township's page; (township, record id) only counted for a ranking — a city has hundreds of
    thousands."""
    if with_records:
        listed = defaultdict(list)
        for unit_id, record_id, label in db.session.execute(rows):
            listed[unit_id].append(Record(kind, record_id, label))
        for unit_id, records in listed.items():
            found[unit_id][item].append(Deduction(Decimal(points * len(records)), str(reason), records))
    else:
        found.counted.append((rows, item, points, reason))


def _late_clues(found, year: int, ids: list[int]) -> None:
    first, after = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    overdue = or_(HazardReport.reported_at.is_not(None),
                  days_after(HazardReport.found_at, HazardReport.report_days) <= datetime.now())
    rows = db.session.execute(
        select(HazardReport).where(HazardReport.org_unit_id.in_(ids), HazardReport.category.in_(IMMEDIATE_CATEGORIES),
                                   HazardReport.found_at >= first,
                                   HazardReport.found_at < after, ~HazardReport.reported_in_time, overdue)
        .order_by(HazardReport.found_at)).scalars()
    for report in rows:
        reason = (_l("Reported late") if report.reported_at is not None else _l("Not reported"))
        found[report.org_unit_id]["hazards"].append(Deduction(
            Decimal(LATE_CLUE), str(reason),
            [Record("hazard_report", report.id, f"{report.category_label} {report.found_at:%Y-%m-%d}")]))


def _summaries(found, year: int, ids: list[int]) -> None:
    summaries = db.session.scalars(select(WorkSummary).where(WorkSummary.year == year,
                                                             WorkSummary.org_unit_id.in_(ids))
                                   .order_by(WorkSummary.due_on)).all()
    for summary in summaries:
        if summary.deduction:
            reasons = []
            if summary.late:
                reasons.append(str(_l("%(kind)s late (−%(points)d)", kind=SUMMARY_KINDS.label(summary.kind),
                                      points=LATE_DEDUCTION.get(summary.kind, 0))))
            if summary.deduction > (LATE_DEDUCTION.get(summary.kind, 0) if summary.late else 0):
                reasons.append(str(_l("Content not conforming (−2)")))
            found[summary.org_unit_id]["summaries"].append(Deduction(
                Decimal(summary.deduction), "；".join(reasons), [Record("work_summary", summary.id, summary.title)]))


def _adjustments(found, year: int, ids: list[int]) -> None:
    rows = db.session.scalars(select(ScoreAdjustment).where(ScoreAdjustment.year == year,
                                                            ScoreAdjustment.org_unit_id.in_(ids))
                              .order_by(ScoreAdjustment.id)).all()
    for adjustment in rows:
        found[adjustment.org_unit_id][adjustment.item].append(Deduction(
            Decimal(adjustment.points), adjustment.reason,
            [Record("adjustment", adjustment.id, str(adjustment.entered_by or ""))], entered=True))


def ranking(year: int, root: OrgUnit) -> list[RankRow]:
    """The units one tier below ``root`` by score, best first: townships of a district by their total,
    districts of a city (cities of a province) by the mean of their townships' totals. Equal scores share a
    rank (1, 1, 3)."""
    scores = township_scores(year, root)
    if root.level == DISTRICT or root.level == TOWNSHIP:
        rows = [RankRow(score.unit, score.total, townships=1) for score in scores]
    else:
        districts = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == root.id)
                                       .order_by(OrgUnit.code)).all()
        rows = []
        for district in districts:
            totals = [score.total for score in scores if score.unit.path.startswith(district.path)]
            mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else None
            rows.append(RankRow(district, mean, townships=len(totals)))
    rows.sort(key=lambda row: (row.score is None, -(row.score or 0), row.unit.code))
    for position, row in enumerate(rows, start=1):
        if row.score is not None:
            previous = rows[position - 2] if position > 1 else None
            row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return rows
