"""Occupational-health supervision coordinators (职业健康监督协管员) under Guizhou's rules: trained before
taking up the post, appointed for a term, trained on the job, assessed yearly, commended or dismissed."""
from datetime import date
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint, and_,
                        case, func, or_, select)
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model, db
from app.models.org import TOWNSHIP, InOrgUnit, subtree_ids
from app.models.programme.common import ChildRow, CodeList, CodedColumns, coded, future_dates, year_problem
from app.models.security import PortalUser
from app.models.versioned import Versioned

EDUCATION = CodeList(
    postgraduate=_l("Postgraduate"), bachelor=_l("Bachelor's degree"), college=_l("Junior college"),
    secondary=_l("Technical secondary or senior high school"), junior=_l("Junior high school or below"),
)
# Guizhou: coordinators may be township health staff, or family-planning officers and village doctors
# hired by the township and working in the villages (乡聘村用).
BACKGROUNDS = CodeList(
    health_centre=_l("Township health centre or community health service centre staff"),
    township_staff=_l("Township/street government staff"),
    family_planning=_l("Family-planning officer"),
    village_doctor=_l("Village doctor"),
    other=_l("Other"),
)
SERVING, DISMISSED = "serving", "dismissed"
STATUSES = CodeList(serving=_l("Serving"), dismissed=_l("Dismissed"))
# Guizhou art. 12: the grounds on which the health administration dismisses a coordinator.
DISMISSAL_REASONS = CodeList(
    retirement=_l("Eligible for retirement"),
    transferred=_l("Transferred away from occupational-health work"),
    health=_l("No longer fit for the work for health reasons"),
    legal=_l("Other grounds set by laws and regulations"),
)
# Guizhou art. 9: pre-service training before appointment, business training on the job.
TRAINING_KINDS = CodeList(pre_service=_l("Pre-service training"), in_service=_l("In-service training"))
ASSESSMENT_RESULTS = CodeList(excellent=_l("Excellent"), competent=_l("Competent"), failed=_l("Failed"))
FAILED = "failed"
# Guizhou art. 11: the grounds for commendation and reward.
COMMENDATIONS = CodeList(
    diligent=_l("Devoted to duty, working actively with notable results"),
    accident_prevented=_l("Prevented or eliminated an accident, sparing public losses"),
    emergency=_l("Outstanding contribution in an occupational-health emergency"),
    other=_l("Other outstanding merit"),
)


class Coordinator(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "coordinator"
    picker_columns = ("name",)
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, index=True)
    phone = Column(String(30), info={"phone": True})
    workplace = Column(String(100))  # e.g. the township health centre the coordinator works at
    education = coded(EDUCATION)
    background = coded(BACKGROUNDS)
    appointed_on = Column(Date, nullable=False)
    term_ends_on = Column(Date, info={"years_ahead": 10})  # a term of office may run years ahead
    status = coded(STATUSES, nullable=False, default=SERVING)
    dismissed_on = Column(Date)
    dismissal_reason = coded(DISMISSAL_REASONS)
    user_id = Column(Integer, ForeignKey("ab_user.id"), unique=True)
    user = relationship(PortalUser)
    notes = Column(Text)
    trainings = relationship("CoordinatorTraining", back_populates="coordinator",
                             cascade="all, delete-orphan", order_by="CoordinatorTraining.held_on")
    assessments = relationship("CoordinatorAssessment", back_populates="coordinator",
                               cascade="all, delete-orphan", order_by="CoordinatorAssessment.year")

    def __repr__(self):
        return self.name or ""

    @property
    def latest_assessment(self):
        return ASSESSMENT_RESULTS.label(self.assessments[-1].result) if self.assessments else ""

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "appointed_on", "dismissed_on"))
        if not (self.name or "").strip():
            found["name"] = _l("Enter the coordinator's name")
        if self.appointed_on is None:
            found["appointed_on"] = _l("Enter the date of appointment")
        elif self.term_ends_on is not None and self.term_ends_on <= self.appointed_on:
            found["term_ends_on"] = _l("The term ends after the appointment date")
        if self.status == DISMISSED:
            if self.dismissed_on is None:
                found["dismissed_on"] = _l("Enter the date of dismissal")
            elif self.appointed_on is not None and self.dismissed_on < self.appointed_on:
                found["dismissed_on"] = _l("Dismissal cannot precede appointment")
            if self.dismissal_reason is None:
                found["dismissal_reason"] = _l("Choose the ground for dismissal")
        elif self.dismissed_on is not None or self.dismissal_reason is not None:
            found["status"] = _l("A serving coordinator has no dismissal date or ground")
        if self.user is not None:
            if self.org_unit is not None and self.user.org_unit is not self.org_unit:
                found["user"] = _l("The user account must belong to the coordinator's township")
            elif self.another_has(user_id=self.user.id):
                found["user"] = _l("This user account is already linked to another coordinator")
        return found


class CoordinatorTraining(ChildRow, CodedColumns, Audited, Model):
    """One training course a coordinator was called to (Guizhou: participation and pass rates ≥90 %)."""

    __tablename__ = "coordinator_training"
    parent_model, parent_key, parent_relation = Coordinator, "coordinator_id", "coordinator"

    id = Column(Integer, primary_key=True)
    coordinator_id = Column(Integer, ForeignKey("coordinator.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    coordinator = relationship(Coordinator, back_populates="trainings")
    kind = coded(TRAINING_KINDS, nullable=False, default="in_service")
    course = Column(String(200), nullable=False)
    organiser = Column(String(100))
    held_on = Column(Date, nullable=False, index=True)
    attended = Column(Boolean, nullable=False, default=True)
    passed = Column(Boolean, nullable=False, default=False)
    notes = Column(Text)

    def __repr__(self):
        return self.course or ""

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "held_on"))
        if not (self.course or "").strip():
            found["course"] = _l("Enter the course")
        if self.held_on is None:
            found["held_on"] = _l("Enter the date of the training")
        if self.passed and not self.attended:
            found["passed"] = _l("Only a coordinator who attended can pass")
        return found


class CoordinatorAssessment(ChildRow, CodedColumns, Audited, Model):
    """Guizhou art. 10: the county health administration assesses each coordinator every year."""

    __tablename__ = "coordinator_assessment"
    __table_args__ = (UniqueConstraint("coordinator_id", "year", name="uq_coordinator_assessment_year"),)
    parent_model, parent_key, parent_relation = Coordinator, "coordinator_id", "coordinator"

    id = Column(Integer, primary_key=True)
    coordinator_id = Column(Integer, ForeignKey("coordinator.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    coordinator = relationship(Coordinator, back_populates="assessments")
    year = Column(Integer, nullable=False)
    result = coded(ASSESSMENT_RESULTS, nullable=False)
    commendation = coded(COMMENDATIONS)
    notes = Column(Text)

    def __repr__(self):
        return f"{self.year} {ASSESSMENT_RESULTS.label(self.result)}"

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if message := year_problem(self.year):
            found["year"] = message
        elif self.year > date.today().year:
            found["year"] = _l("A year is assessed once it has begun")
        elif self.coordinator is not None and self.coordinator.appointed_on is not None \
                and self.year < self.coordinator.appointed_on.year:
            found["year"] = _l("The coordinator was appointed after this year")
        elif (self.coordinator is not None
              and self.another_has(coordinator_id=self.coordinator.id, year=self.year)):
            found["year"] = _l("This coordinator already has an assessment for this year")
        if self.commendation is not None and self.result == FAILED:
            found["commendation"] = _l("A coordinator who failed the assessment is not commended")
        return found


class TrainingParticipation(NamedTuple):
    coordinator_id: int
    org_unit_id: int
    attended: bool
    passed: bool


def training_participation(start: date, end: date):
    """Per coordinator serving at some time from ``start`` to ``end``: columns ``coordinator_id``,
    ``org_unit_id``, ``attended`` and ``passed`` (1/0: a training held in those dates, pre-service or
    in-service). One grouped SELECT, shared by the yearly list below and the indicator rollup."""
    in_dates = and_(CoordinatorTraining.held_on >= start, CoordinatorTraining.held_on <= end)
    attended = func.max(case((and_(in_dates, CoordinatorTraining.attended), 1), else_=0))
    passed = func.max(case((and_(in_dates, CoordinatorTraining.passed), 1), else_=0))
    return (select(Coordinator.id.label("coordinator_id"), Coordinator.org_unit_id.label("org_unit_id"),
                   attended.label("attended"), passed.label("passed"))
            .outerjoin(CoordinatorTraining, CoordinatorTraining.coordinator_id == Coordinator.id)
            .where(Coordinator.appointed_on <= end,
                   or_(Coordinator.dismissed_on.is_(None), Coordinator.dismissed_on >= start))
            .group_by(Coordinator.id, Coordinator.org_unit_id))


def coordinator_training(year: int, prefix: str | None = None) -> list[TrainingParticipation]:
    """Guizhou indicator (participation and pass rates ≥90 %): per coordinator serving in ``year``
    (under the unit path ``prefix``), whether they attended and whether they passed a training that
    year, pre-service or in-service. One grouped query."""
    query = training_participation(date(year, 1, 1), date(year, 12, 31)).order_by(Coordinator.id)
    if prefix is not None:
        query = query.where(Coordinator.org_unit_id.in_(subtree_ids(prefix)))
    return [TrainingParticipation(coordinator_id, unit_id, bool(attended), bool(passed))
            for coordinator_id, unit_id, attended, passed in db.session.execute(query)]
