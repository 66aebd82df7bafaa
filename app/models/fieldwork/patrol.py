"""巡查 (Annex 3 / Guizhou Annex 1): a patrol of one employer with its checklist answers."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, case, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model, db, stored_text
from app.models.checklist import ABSENT, ANSWERS, PRESENT, PRESENT_OR_ABSENT, ChecklistRow, ChecklistTemplate, ItemRules
from app.models.dictionaries import HazardFactor, ProductionStatus
from app.models.employer import Employer
from app.models.fieldwork.visit import FieldVisit
from app.models.org import InParent
from app.models.security import PortalUser
from app.models.versioned import Versioned
from app.roles import PATROL

# A patrol's header: patrol field → employer field. Blank on the patrol means "as registered".
PATROL_HEADER = {"address": "workplace_address", "legal_representative": "legal_representative",
                 "contact_person": "contact_person", "contact_phone": "contact_phone"}


patrol_hazard = Table(
    "patrol_hazard", Model.metadata,
    Column("patrol_id", Integer, ForeignKey("patrol.id", ondelete="CASCADE"), primary_key=True),
    Column("hazard_factor_id", Integer, ForeignKey("hazard_factor.id"), primary_key=True),
)


class Patrol(FieldVisit, Versioned, Audited, Model):
    """巡查个案信息表 (Shanghai Annex 3, Guizhou Annex 1): the checklist of the township's template."""

    __tablename__ = "patrol"
    picker_columns = ("employer.name", "employer.credit_code")
    # As the screening's: visited in a period, on time (covered in township order), drafts and returned
    # records by township.
    __table_args__ = (Index("ix_patrol_unit_date", "org_unit_id", "visit_date", "state", "submitted_at"),
                      Index("ix_patrol_employer_visit_state", "employer_id", "visit_date", "state"),
                      Index("ix_patrol_visit_cover", "visit_date", "org_unit_id", "state", "submitted_at"),
                      Index("ix_patrol_state_unit", "state", "org_unit_id", "visit_date"),
                      Index("ix_patrol_state_reviewed", "state", "reviewed_at"))  # the newest returns
    permission_name = PATROL

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), nullable=False)
    employer = relationship(Employer)
    template_id = Column(Integer, ForeignKey("checklist_template.id"), nullable=False)
    template = relationship(ChecklistTemplate)
    address = Column(String(200))  # 经营地址
    legal_representative = Column(String(50))  # Guizhou Annex 1
    contact_person = Column(String(50))
    contact_phone = Column(String(30), info={"phone": True})
    hazards = relationship(HazardFactor, secondary=patrol_hazard, order_by=HazardFactor.code)
    answers = relationship("PatrolAnswer", back_populates="patrol", order_by="PatrolAnswer.item_number",
                           cascade="all, delete-orphan")
    production_status_id = Column(Integer, ForeignKey("production_status.id"))  # where the template uses it
    production_status = relationship(ProductionStatus)
    problems_found = Column(Text)
    disposal = Column(Text)  # 处置: reported to the supervision agency, helped investigate, …
    companion = Column(String(50))
    coordinator_id = Column(Integer, ForeignKey("ab_user.id"))
    coordinator = relationship(PortalUser, foreign_keys=[coordinator_id])
    visit_date = Column(Date, nullable=False, default=date.today)
    hazard_reports = relationship("HazardReport", viewonly=True)  # made from it (app.models.hazard_report)

    def __repr__(self):
        return f"{self.employer or ''} {self.visit_date or ''}".strip()

    @property
    def header_fields(self) -> list[str]:
        """The header fields of the form its template prints (Shanghai Annex 3 / Guizhou Annex 1)."""
        template = self.template or self.default_template()
        return list(template.header_fields or []) if template is not None else []

    @property
    def clue_answers(self) -> list["PatrolAnswer"]:
        """The lines answered 有 where 有 is a clue to report (Guizhou "第6-7项为发现线索", Shanghai item 7)."""
        return [answer for answer in self.answers if answer.is_clue]

    def reported_clues(self) -> set[int]:
        """The item numbers whose clue has a hazard report made from this patrol."""
        return {report.item_number for report in self.hazard_reports if report.item_number is not None}

    @property
    def problem_answers(self) -> list["PatrolAnswer"]:
        """The checklist lines that record a finding (Guizhou Annex 2: 发现的主要问题)."""
        return [answer for answer in self.answers if answer.is_problem]

    @staticmethod
    def register_values(employer: Employer) -> dict:
        """The header and the production status as the register has them, to start a patrol from."""
        return {**{field: getattr(employer, source) for field, source in PATROL_HEADER.items()},
                "production_status": employer.production_status}

    @staticmethod
    def rows_for(patrol_id: int | None, template: ChecklistTemplate | None) -> list[ChecklistRow]:
        """The lines a patrol answers: its own, as they were entered, or for a new one its template's."""
        if patrol_id is not None:
            with db.session.no_autoflush:
                return [answer.row for answer in db.session.scalars(
                    select(PatrolAnswer).where(PatrolAnswer.patrol_id == patrol_id)
                    .order_by(PatrolAnswer.item_number))]
        return template.rows if template is not None else []

    def default_template(self) -> ChecklistTemplate | None:
        unit = self.org_unit or (self.employer.org_unit if self.employer is not None else None)
        return ChecklistTemplate.default_for(unit)

    def fill_answers(self, given: dict[int, tuple[str | None, str | None]]) -> None:
        """Record the answer (有/无/不适用: app.models.checklist.ANSWERS) and a note per line number, copying
        each new line as the template has it. The answers are part of the patrol's form: changing only them
        still moves the patrol's version."""
        with db.session.no_autoflush:
            existing = {answer.item_number: answer for answer in self.answers}
            for row in self.rows_for(self.id, self.template or self.default_template()):
                answer = existing.get(row.number)
                if answer is None:
                    answer = PatrolAnswer(item_number=row.number, item_text=row.text,
                                          asks_description=row.asks_description,
                                          problem_if_present=row.problem_if_present,
                                          allowed_answers=list(row.allowed_answers),
                                          clue_category=row.clue_category)
                    self.answers.append(answer)
                value, note = given.get(row.number, (None, None))
                filled = (value, stored_text(note or ""))  # as clean() will store it
                if (answer.answer, answer.note) != filled:
                    answer.answer, answer.note = filled
                    self.touch()

    def clean(self) -> None:
        super().clean()
        if self.template is None and self.template_id is None:
            self.template = self.default_template()
        used, employer = self.header_fields, self.employer
        if employer is not None:
            for field, source in PATROL_HEADER.items():
                if field in used:
                    setattr(self, field, getattr(self, field) or getattr(employer, source))
        if self.id is None:  # a new patrol keeps only what its form asks (an old one stays as it was entered)
            for field in PATROL_HEADER:
                if field not in used:
                    setattr(self, field, None)
            if "production_status" not in used:
                self.production_status = None
            if "hazards" not in used:
                self.hazards = []

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.template is None and self.template_id is None:
            found["template"] = _l("No checklist template for this township; ask the system admin")
        if "production_status" in self.header_fields and self.production_status is None \
                and self.production_status_id is None:
            found["production_status"] = _l("Choose the production status")
        answers = self.answers
        unanswered = [str(a.item_number) for a in answers if a.answer is None]
        refused = [a.row.answer_problem(a.answer) for a in answers if a.answer is not None]
        undescribed = [str(a.item_number) for a in answers
                       if a.is_problem and a.asks_description and not (a.note or "").strip()]
        if not answers:
            found["answers"] = _l("Answer every item of the checklist")
        elif unanswered:
            found["answers"] = _l("Answer 有 or 无 for item %(items)s", items="、".join(unanswered))
        elif any(refused):
            found["answers"] = "；".join(str(problem) for problem in refused if problem)
        elif undescribed:
            found["answers"] = _l("Describe what was found for item %(items)s", items="、".join(undescribed))
        return found

    def submission_problems(self) -> dict[str, str]:
        """Every clue found has its hazard report before the patrol is submitted, so that the information
        reporting rate (reported / found, Guizhou) counts it."""
        reported = self.reported_clues()
        missing = [str(answer.item_number) for answer in self.clue_answers if answer.item_number not in reported]
        if missing:
            return {"answers": _l("Item %(items)s is answered 有, a clue found: first report it from this patrol "
                                  "(hazard report)", items="、".join(missing))}
        return {}


class PatrolAnswer(ItemRules, InParent, Audited, Model):
    """One line of a patrol's checklist, with the item's number and text as they were on the day."""

    __tablename__ = "patrol_answer"
    __table_args__ = (Index("ix_patrol_answer_patrol_number", "patrol_id", "item_number", unique=True),)
    parent_model, parent_key, parent_relation = Patrol, "patrol_id", "patrol"

    id = Column(Integer, primary_key=True)
    patrol_id = Column(Integer, ForeignKey("patrol.id", ondelete="CASCADE"), nullable=False)
    patrol = relationship(Patrol, back_populates="answers")
    item_number = Column(Integer, nullable=False)
    item_text = Column(String(200), nullable=False)
    answer = Column(String(3), nullable=False)  # app.models.checklist.ANSWERS: 有, 无, 不适用
    note = Column(Text)

    def __repr__(self):
        return f"{self.item_number} {self.item_text}"

    @property
    def row(self) -> ChecklistRow:
        return ChecklistRow(self.item_number, self.item_text, self.asks_description, self.problem_if_present,
                            tuple(self.allowed_answers or PRESENT_OR_ABSENT), self.clue_category)

    @property
    def answer_label(self):
        return ANSWERS.get(self.answer, self.answer or "")

    @hybrid_property
    def is_problem(self) -> bool:
        """The answer records a finding: 有 on a violation or complaint, 无 on a declaration, report or
        facility; 不适用 (合理缺项) never does (Guizhou Annex 2 "发现的主要问题")."""
        return self.answer is not None and self.answer == (PRESENT if self.problem_if_present else ABSENT)

    @is_problem.inplace.expression
    @classmethod
    def _is_problem_expression(cls):
        return cls.answer == case((cls.problem_if_present, PRESENT), else_=ABSENT)

    @hybrid_property
    def is_clue(self) -> bool:
        """有 on an item whose 有 is a clue to report (Guizhou "第6-7项为发现线索", Shanghai item 7)."""
        return self.clue_category is not None and self.answer == PRESENT

    @is_clue.inplace.expression
    @classmethod
    def _is_clue_expression(cls):
        return cls.clue_category.is_not(None) & (cls.answer == PRESENT)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        patrol = self.patrol
        if patrol is not None:
            problem = patrol.lock_problem() or patrol.closed_year_problem()
            if problem:
                found["patrol"] = problem
        return found
