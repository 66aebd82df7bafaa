"""The patrol work register (巡查工作登记表, Guizhou Annex 2): "根据个案信息表汇总形成" — one row per patrol of a
township (or of one coordinator) in a year, in date order: serial number, place and content, the main
problems found, date, patroller and remarks (the disposal)."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import and_, func, select

from app.models import ChecklistTemplate, Employer, Patrol, PatrolAnswer, PortalUser, db

BATCH = 1000  # rows fetched from the server at a time


@dataclass(frozen=True)
class RegisterRow:
    serial: int
    patrol_id: int
    employer: str
    address: str
    checklist: str  # what was checked: the checklist template the patrol answered
    problems: list[str]  # checklist items answered as a finding (with their notes), then the free text
    visit_date: date
    patroller: str
    disposal: str

    @property
    def place_and_content(self) -> str:
        return "\n".join(part for part in (self.employer, self.address, self.checklist) if part)

    @property
    def problems_text(self) -> str:
        return "\n".join(self.problems)


def register_query(township_id: int, year: int, coordinator_id: int | None = None):
    """One row per problem answer of each patrol (or one row for a patrol without any), ordered by date
    and patrol, so that the rows of one patrol arrive together. A finding is 有 where 有 is the finding, 无
    where 无 is; 不适用 (合理缺项) is none (PatrolAnswer.is_problem)."""
    finding = and_(PatrolAnswer.patrol_id == Patrol.id, PatrolAnswer.is_problem)
    query = (select(Patrol.id, Employer.name, Patrol.address, ChecklistTemplate.name, Patrol.visit_date,
                    PortalUser.name, PortalUser.username, Patrol.problems_found,
                    Patrol.disposal, PatrolAnswer.item_number, PatrolAnswer.item_text, PatrolAnswer.note)
             .join(Employer, Employer.id == Patrol.employer_id)
             .join(ChecklistTemplate, ChecklistTemplate.id == Patrol.template_id)
             .outerjoin(PortalUser, PortalUser.id == Patrol.coordinator_id)
             .outerjoin(PatrolAnswer, finding)
             .where(Patrol.org_unit_id == township_id,
                    Patrol.visit_date.between(date(year, 1, 1), date(year, 12, 31)))
             .order_by(Patrol.visit_date, Patrol.id, PatrolAnswer.item_number))
    if coordinator_id is not None:
        query = query.where(Patrol.coordinator_id == coordinator_id)
    return query


def patrol_register(township_id: int, year: int, coordinator_id: int | None = None,
                    offset: int = 0) -> Iterator[RegisterRow]:
    """The register's rows as they stream from the database (``yield_per``: a server-side cursor on
    PostgreSQL), so a year of 100 000 patrols is never held in memory at once. ``offset`` skips that many
    patrols (for paging on screen); the serial numbers stay those of the whole register."""
    result = db.session.execute(register_query(township_id, year, coordinator_id)
                                .execution_options(yield_per=BATCH))
    try:
        for serial, (_, lines) in enumerate(groupby(result, key=lambda row: row[0]), start=1):
            if serial <= offset:
                continue
            lines = list(lines)
            (patrol_id, employer, address, checklist, visited, patroller, username, free_text,
             disposal) = lines[0][:9]
            problems = [f"{number}. {text}" + (f"：{note}" if note else "")
                        for *_, number, text, note in lines if number is not None]
            if (free_text or "").strip():
                problems.append(free_text.strip())
            yield RegisterRow(serial, patrol_id, employer, address or "", checklist, problems, visited,
                              patroller or username or "", disposal or "")
    finally:
        result.close()


def patrol_count(township_id: int, year: int, coordinator_id: int | None = None) -> int:
    query = select(func.count(Patrol.id)).where(
        Patrol.org_unit_id == township_id, Patrol.visit_date.between(date(year, 1, 1), date(year, 12, 31)))
    if coordinator_id is not None:
        query = query.where(Patrol.coordinator_id == coordinator_id)
    return db.session.scalar(query)
