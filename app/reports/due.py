"""Due and overdue lists (DOMAIN.md §5), declared as data and evaluated by one engine.

Each list's ``query(today, shown)`` returns a SELECT — or a tuple of them, its parts, when the subjects
come from several tables — already bounded by the current user's scope (``apply_scope``), with one row
per subject and the columns ``subject_id`` and ``org_unit_id`` (the township) and, when ``shown``, the
keys of its fields. The engine narrows it to a unit's subtree, counts it without the shown columns (one
query per list), pages it or streams it for the xlsx export. Rows are plain: no Flask objects.

The visits behind the employer lists are read from the dates each employer keeps (``Employer.last_*_on``,
kept by the database on every write, migration 0009): at city scale, probing every employer's
screenings and patrols took seconds.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, Callable, Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from app.exports import display_name
from app.models import (DeclarationCandidate, Disease, Employer, FollowUpVisit, OrgUnit, Patient, Patrol, PortalUser,
                        PreventionInstitution, RiskClass, Screening, db)
from app.models.form_codes import CARD_TYPES, PNEUMOCONIOSIS_CARD
from app.models.org import in_subtree, subtree_ids
from app.models.programme.candidate import CANDIDATE_SOURCES
from app.models.workflow import DRAFT, RETURNED, STATES, SUBMITTED, deadline_days, may
from app.reports.summary import township_counts
from app.roles import DECLARATION_CANDIDATE, EMPLOYER, INSTITUTION, PATIENT, PATROL, SCREENING
from app.scoping import apply_scope

# Shanghai Annex 3 notes 三.1–2: "职业病危害严重的用人单位…每年至少进行一次职业病危害因素检测，每三年至少进行一次职业病危害
# 现状评价"; "职业病危害一般的用人单位…每三年至少进行一次职业病危害因素检测" (risk class codes of the 2021 catalogue:
# 2 严重, 1 一般). Detections of any type count for the first; only a 现状评价 (table 4-2 detection type 2) for
# the second, so a yearly detection never resets the evaluation's cycle.
CYCLE_YEARS = {"2": 1, "1": 3}
EVALUATION_CYCLE_YEARS = {"2": 3}
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
    query: Callable[[date, bool], Select | tuple[Select, ...]]  # (today, shown): see the module's doc
    fields: tuple[Field, ...]
    permissions: tuple[str, ...]  # a user sees the list when they may read all of these
    link: Callable[[Any], tuple[str, int]]  # the endpoint and id of a row's subject page
    order: tuple[str, ...]  # the keys of the columns it is sorted by; "-key" sorts newest (highest) first
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


def _with_township(query: Select, model) -> Select:
    """The record's township for its name. An outer join, though every record has one: SQLite then reads
    the records first, through the list's own index, rather than every record of every unit in turn."""
    return query.outerjoin(OrgUnit, model.org_unit_id == OrgUnit.id)


def _employers(shown: bool, *columns) -> Select:
    """Employers as subjects; shown, with their archive number, name, township and ``columns``."""
    query = select(Employer.id.label("subject_id"), Employer.org_unit_id.label("org_unit_id"))
    if not shown:
        return query
    return _with_township(query.add_columns(Employer.archive_number.label("archive_number"),
                                            Employer.name.label("name"), _township(), *columns), Employer)


# -- detection by risk class and cycle -----------------------------------------------------------------------

def _cycle_due(today: date, shown: bool, overdue: bool, kept: str, cycles: dict[str, int]) -> Select:
    """Hazardous active employers whose cycle (``cycles``: years per risk class code) since the date they
    keep in ``kept`` ends within DUE_WITHIN, or (``overdue``) has ended or never began."""
    done = getattr(Employer, kept)
    per_class = []
    for code, years in cycles.items():
        # The cycle ends ``years`` after the last one; compare it with today moved back.
        ended = years_before(today, years)
        if overdue:
            condition = or_(done.is_(None), done < ended)
        else:
            condition = and_(done >= ended, done <= years_before(today + DUE_WITHIN, years))
        per_class.append(and_(RiskClass.code == code, condition))
    query = (_employers(shown, RiskClass.code.label("risk_code"), RiskClass.name.label("risk_class"),
                        Employer.last_detected_on.label("last_detected"),
                        Employer.last_evaluated_on.label("last_evaluated"))
             .join(RiskClass, Employer.risk_class_id == RiskClass.id)
             .where(Employer.has_hazard.is_(True), Employer.active_condition(), or_(*per_class)))
    return apply_scope(query, Employer)


def _cycle_end(last: str, cycles: dict[str, int]) -> Callable[[Any], date | None]:
    def end(row) -> date | None:
        years, day = cycles.get(row.risk_code), getattr(row, last)
        return years_before(day, -years) if day is not None and years is not None else None
    return end


# -- visits not made --------------------------------------------------------------------------------------

def _not_patrolled(today: date, shown: bool) -> Select:
    """Annex 6 / Guizhou: every declared active employer is patrolled each half-year. A visit counts once
    reported (submitted or accepted), as in the indicators: a draft is not yet done. Visits are never
    dated after today (``FieldVisit.problems``), so the latest reported one tells."""
    last_patrol = select(func.max(Patrol.visit_date)).where(Patrol.employer_id == Employer.id).scalar_subquery()
    patrolled = Employer.last_patrolled_on
    query = _employers(shown, last_patrol.label("last_patrol")).where(
        Employer.hazard_declared.is_(True), Employer.active_condition(),
        or_(patrolled.is_(None), patrolled < half_year_start(today)))
    return apply_scope(query, Employer)


def _new_not_screened(today: date, shown: bool) -> Select:
    """Annex 6: every employer first registered this year is screened (a reported screening this year)."""
    start = date(today.year, 1, 1)
    screened = Employer.last_screened_on
    query = _employers(shown, Employer.registered_on.label("registered_on")).where(
        Employer.registered_on >= start, Employer.registered_on <= today, Employer.active_condition(),
        or_(screened.is_(None), screened < start))
    return apply_scope(query, Employer)


def _patients_not_visited(today: date, shown: bool) -> Select:
    """Annex 6: every managed patient (alive, not lost to follow-up) is visited each year."""
    start = date(today.year, 1, 1)
    visited = select(FollowUpVisit.id).where(FollowUpVisit.patient_id == Patient.id,
                                             FollowUpVisit.visited_on >= start).exists()
    query = (select(Patient.id.label("subject_id"), Patient.org_unit_id.label("org_unit_id"))
             .where(Patient.dead.is_(False), Patient.lost.is_(False), ~visited))
    if shown:
        last_visit = select(func.max(FollowUpVisit.visited_on)).where(
            FollowUpVisit.patient_id == Patient.id).scalar_subquery()
        query = _with_township(query.add_columns(
            Patient.name.label("name"), Patient.card_type.label("card_type"), _township(),
            Patient.diagnosed_on.label("diagnosed_on"), last_visit.label("last_visit")), Patient)
    return apply_scope(query, Patient)


# -- records not yet submitted ------------------------------------------------------------------------------

def _visits(model, kind: str, states: tuple[str, ...], shown: bool, *columns) -> Select:
    """Screenings or patrols (``kind``) in ``states`` as subjects; shown, with their employer's name, the
    township, the visit date and ``columns``. The state and the scope are what the (state, township, visit
    date) index serves."""
    query = (select(literal(kind).label("kind"), model.id.label("subject_id"), model.org_unit_id.label("org_unit_id"))
             .where(model.state.in_(states)))
    if shown:
        query = _with_township(query.add_columns(
            Employer.name.label("name"), _township(), model.visit_date.label("visit_date"), *columns)
            .join(Employer, model.employer_id == Employer.id), model)
    return apply_scope(query, model)


def _unsubmitted(today: date, shown: bool) -> tuple[Select, ...]:
    """Drafts and returned records. Late: submitted now, the record could no longer be on time
    (``WorkflowRecord.on_time``: before the end of the visit date + REPORT_DEADLINE_DAYS)."""
    late_before = today - timedelta(days=deadline_days())
    return tuple(_visits(model, kind, (DRAFT, RETURNED), shown, model.state.label("state"),
                         (model.visit_date < late_before).label("late"))
                 for model, kind in ((Screening, "screening"), (Patrol, "patrol")))


def _returned(today: date, shown: bool) -> tuple[Select, ...]:
    """Records the district returned, awaiting the township's correction: when, by whom and why."""
    parts = []
    for model, kind in ((Screening, "screening"), (Patrol, "patrol")):
        reviewer = aliased(PortalUser)
        query = _visits(model, kind, (RETURNED,), shown, model.reviewed_at.label("returned_at"),
                        *(getattr(reviewer, name).label(f"returned_by_{name}") for name in PortalUser.display_columns),
                        model.return_reason.label("return_reason"))
        parts.append(query.outerjoin(reviewer, model.reviewed_by_id == reviewer.id) if shown else query)
    return tuple(parts)


def _returned_by(row) -> str:
    return display_name(*(getattr(row, f"returned_by_{name}") for name in PortalUser.display_columns))


def _visit_link(row) -> tuple[str, int]:
    return ("ScreeningView.show" if row.kind == "screening" else "PatrolView.show"), row.subject_id


# -- declaration expansion and rehabilitation stations --------------------------------------------------------

def _candidates_overdue(today: date, shown: bool) -> Select:
    """Chongqing Annex 2 task 8: a candidate is reported to the city CDC within a month of being found and
    verified within a month of the city's list; either deadline missed puts it here."""
    query = (select(DeclarationCandidate.id.label("subject_id"),
                    DeclarationCandidate.org_unit_id.label("org_unit_id"))
             .where(DeclarationCandidate.overdue_clause(today)))
    if shown:
        missed_report = and_(DeclarationCandidate.reported_on.is_(None), DeclarationCandidate.report_by < today)
        query = _with_township(query.add_columns(
            DeclarationCandidate.name.label("name"), _township(), DeclarationCandidate.source.label("source"),
            DeclarationCandidate.found_on.label("found_on"), DeclarationCandidate.report_by.label("report_by"),
            DeclarationCandidate.reported_on.label("reported_on"), DeclarationCandidate.listed_on.label("listed_on"),
            DeclarationCandidate.verify_by.label("verify_by"),
            case((missed_report, DeclarationCandidate.report_by),
                 else_=DeclarationCandidate.verify_by).label("deadline")),
            DeclarationCandidate)
    return apply_scope(query, DeclarationCandidate)


def _townships_without_rehab_station(today: date, shown: bool) -> Select:
    """Townships where at least REHAB_STATION_PATIENTS pneumoconiosis patients live (alive, not lost to
    follow-up) and no pneumoconiosis rehabilitation station serves them."""
    pneumoconiosis = or_(Patient.card_type == PNEUMOCONIOSIS_CARD,
                         Patient.disease_id.in_(select(Disease.id).where(Disease.pneumoconiosis.is_(True))))
    served = select(PreventionInstitution.served_township_id).where(
        PreventionInstitution.kind == REHAB_STATION, PreventionInstitution.served_township_id.is_not(None))
    query = (select(Patient.org_unit_id.label("subject_id"), Patient.org_unit_id.label("org_unit_id"))
             .where(Patient.dead.is_(False), Patient.lost.is_(False), pneumoconiosis,
                    Patient.org_unit_id.not_in(served))
             .group_by(Patient.org_unit_id)
             .having(func.count(Patient.id) >= REHAB_STATION_PATIENTS))
    if shown:
        district = aliased(OrgUnit)
        query = (query.add_columns(district.name.label("district"), _township(),
                                   func.count(Patient.id).label("patients"))
                 .join(OrgUnit, Patient.org_unit_id == OrgUnit.id)
                 .join(district, OrgUnit.parent_id == district.id)
                 .group_by(district.name, OrgUnit.name))
    return apply_scope(query, Patient)


# -- the lists ------------------------------------------------------------------------------------------------

ARCHIVE_NUMBER, NAME = Field("archive_number", _l("Archive number")), Field("name", _l("Employer name"))
TOWNSHIP = Field("township", _l("Township/street"))
DETECTION_FIELDS = (ARCHIVE_NUMBER, NAME, TOWNSHIP, Field("risk_class", _l("Risk class")),
                    Field("cycle", _l("Detection cycle (years)"), lambda row: CYCLE_YEARS.get(row.risk_code)),
                    Field("last_detected", _l("Last detection")),
                    Field("cycle_end", _l("Cycle ends"), _cycle_end("last_detected", CYCLE_YEARS)))
EVALUATION_FIELDS = (ARCHIVE_NUMBER, NAME, TOWNSHIP, Field("risk_class", _l("Risk class")),
                     Field("last_evaluated", _l("Last status evaluation")),
                     Field("cycle_end", _l("Cycle ends"), _cycle_end("last_evaluated", EVALUATION_CYCLE_YEARS)),
                     Field("last_detected", _l("Last detection")))
_detection = partial(_cycle_due, kept="last_detected_on", cycles=CYCLE_YEARS)
_evaluation = partial(_cycle_due, kept="last_evaluated_on", cycles=EVALUATION_CYCLE_YEARS)


def _employer_link(row) -> tuple[str, int]:
    return "EmployerView.show", row.subject_id


DUE_LISTS = [
    DueList("detection_due", _l("Detection due within 60 days"), partial(_detection, overdue=False),
            DETECTION_FIELDS, (EMPLOYER,), _employer_link, ("last_detected", "archive_number"),
            _l("Serious risk: detection every year; general risk: every 3 years (Shanghai Annex 3)")),
    DueList("detection_overdue", _l("Detection overdue"), partial(_detection, overdue=True),
            DETECTION_FIELDS, (EMPLOYER,), _employer_link, ("last_detected", "archive_number"),
            _l("The cycle has ended, or the employer was never detected")),
    DueList("evaluation_due", _l("Status evaluation due within 60 days"), partial(_evaluation, overdue=False),
            EVALUATION_FIELDS, (EMPLOYER,), _employer_link, ("last_evaluated", "archive_number"),
            _l("Serious risk: a status evaluation every 3 years besides the yearly detection; a "
               "detection of another type does not renew it (Shanghai Annex 3)")),
    DueList("evaluation_overdue", _l("Status evaluation overdue"), partial(_evaluation, overdue=True),
            EVALUATION_FIELDS, (EMPLOYER,), _employer_link, ("last_evaluated", "archive_number"),
            _l("Serious risk: the 3-year cycle has ended, or no status evaluation is recorded in table 4-2")),
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
    DueList("returned", _l("Screenings and patrols returned by the district"), _returned,
            (Field("kind", _l("Record"), lambda row: VISIT_KINDS[row.kind]), NAME, TOWNSHIP,
             Field("visit_date", _l("Visit date")), Field("returned_at", _l("Returned at")),
             Field("returned_by", _l("Returned by"), _returned_by),
             Field("return_reason", _l("Reason for returning"))),
            (SCREENING, PATROL), _visit_link, ("-returned_at", "kind"),
            _l("Newest first; each awaits the township's correction and a new submission")),
    DueList("candidates_overdue", _l("Declaration candidates not reported or not verified within a month"),
            _candidates_overdue,
            (Field("name", _l("Employer name")), TOWNSHIP,
             Field("source", _l("Source"), lambda row: CANDIDATE_SOURCES.label(row.source)),
             Field("found_on", _l("Found on")), Field("report_by", _l("Report by")),
             Field("reported_on", _l("Reported to the city CDC on")), Field("listed_on", _l("On the city's list on")),
             Field("verify_by", _l("Verify by"))),
            (DECLARATION_CANDIDATE,), lambda row: ("DeclarationCandidateView.show", row.subject_id),
            ("deadline", "name")),
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


def _parts(due_list: DueList, unit: OrgUnit, today: date, shown: bool) -> list:
    """The list's parts within ``unit``'s subtree, each as (its columns, its SELECT)."""
    made = due_list.query(today, shown)
    found = []
    for part in made if isinstance(made, tuple) else (made,):
        subjects = part.subquery()
        query = select(subjects)
        condition = in_subtree(subjects.c.org_unit_id, unit.path)  # None: the whole tree, nothing to check
        if condition is not None:
            query = query.where(condition)
        found.append((subjects.c, query))
    return found


def count(due_list: DueList, unit: OrgUnit, today: date | None = None) -> int:
    return counts([due_list], unit, today)[due_list.code]


def counts(lists: list[DueList], unit: OrgUnit, today: date | None = None) -> dict[str, int]:
    """Each list's count within ``unit``'s subtree: per township, as the rollup counts (a grouped query per
    part, run side by side), kept for the day like its sums (app/reports/summary.py) where the list reads
    only tables whose writes bump the townships' versions — at a province's scale the home page reads
    the kept counts and counts again only the townships written to since."""
    today = today or date.today()
    parts, owners = [], []
    for due_list in lists:
        made = due_list.query(today, False)
        for part in made if isinstance(made, tuple) else (made,):
            parts.append(part)
            owners.append(due_list.code)
    found = dict.fromkeys((due_list.code for due_list in lists), 0)
    for code, per_township in zip(owners, township_counts(parts, unit, today)):
        found[code] += sum(per_township.values())
    return found


def _keys(due_list: DueList, columns) -> list:
    """The list's order, a key named with a leading "-" descending (no value last)."""
    return [*(columns[key[1:]].desc().nulls_last() if key.startswith("-") else columns[key]
              for key in due_list.order), columns.subject_id]


def _ordered(due_list: DueList, unit: OrgUnit, today: date | None, first: int | None = None) -> Select:
    """The list's rows in its order; of a list in parts, each part gives only its ``first`` rows (the most
    a page ending there can take from it), which lets each part be read in an index's order."""
    parts = _parts(due_list, unit, today or date.today(), shown=True)
    if len(parts) == 1:
        columns, query = parts[0]
        return query.order_by(*_keys(due_list, columns))
    if first is not None:
        parts = [(columns, query.order_by(*_keys(due_list, columns)).limit(first).subquery().select())
                 for columns, query in parts]
    merged = union_all(*(query for _, query in parts)).subquery()
    return select(merged).order_by(*_keys(due_list, merged.c))


def page(due_list: DueList, unit: OrgUnit, number: int, size: int, today: date | None = None) -> list:
    """Page ``number`` (from 1) of the list's rows. Of a list in one part, the page's subjects are chosen
    first by the columns the list is ordered by alone, then only theirs are read in full: a city-wide
    list sorts tens of thousands of subjects."""
    parts = _parts(due_list, unit, today or date.today(), shown=True)
    if len(parts) > 1:
        query = _ordered(due_list, unit, today, first=number * size)
        return db.session.execute(query.offset((number - 1) * size).limit(size)).all()
    columns, query = parts[0]
    order = _keys(due_list, columns)
    chosen = db.session.scalars(query.with_only_columns(columns.subject_id).order_by(*order)
                                .offset((number - 1) * size).limit(size)).all()
    return db.session.execute(query.where(columns.subject_id.in_(chosen)).order_by(*order)).all()


def rows(due_list: DueList, unit: OrgUnit, today: date | None = None) -> Iterator:
    """Every row, fetched in batches (for the xlsx export)."""
    return db.session.execute(_ordered(due_list, unit, today).execution_options(yield_per=500))


def awaiting_review(unit: OrgUnit) -> int:
    """Screenings and patrols submitted in ``unit``'s subtree (and the user's scope), awaiting review."""
    parts = [apply_scope(select(model.id).where(model.state == SUBMITTED,
                                                model.org_unit_id.in_(subtree_ids(unit.path))), model)
             for model in (Screening, Patrol)]
    return db.session.scalar(select(func.count()).select_from(union_all(*parts).subquery())) or 0
