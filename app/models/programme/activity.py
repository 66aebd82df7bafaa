"""Training and promotion (宣传培训, Annex 6 "培训与宣传"): meetings and trainings the township attended,
trainings it gave, and promotion of the law (普法) to employers."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import relationship

from app.models.audit import Audited
from app.models.base import Model
from app.models.employer import Employer
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import CodeList, CodedColumns, coded, future_dates
from app.models.versioned import Versioned
from app.scoping import in_scope

# Annex 6: (1) attend the trainings and meetings of the supervision agency and the CDC (−2 points each
# missed); (2) promotion, education and guidance for employers. Guizhou: promotion of health law (普法)
# at least once a year.
ACTIVITY_KINDS = CodeList(
    attended_training=_l("Attended a training of the supervision agency or CDC"),
    attended_meeting=_l("Attended a meeting of the supervision agency or CDC"),
    gave_training=_l("Gave occupational-health training to employers"),
    promotion=_l("Promotion, education and guidance (law popularisation)"),
)

training_activity_employer = Table(
    "training_activity_employer", Model.metadata,
    Column("activity_id", Integer, ForeignKey("training_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("employer_id", Integer, ForeignKey("employer.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class TrainingActivity(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "training_activity"
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    held_on = Column(Date, nullable=False, index=True)
    kind = coded(ACTIVITY_KINDS, nullable=False)
    topic = Column(String(200), nullable=False)
    organiser = Column(String(100))
    venue = Column(String(200))
    audience_count = Column(Integer, nullable=False, default=0)
    employers = relationship(Employer, secondary=training_activity_employer, order_by=Employer.name)
    notes = Column(Text)

    def __repr__(self):
        return self.topic or ""

    @property
    def employer_count(self) -> int:
        return len(self.employers)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "held_on"))
        if self.held_on is None:
            found["held_on"] = _l("Enter the date of the activity")
        if not (self.topic or "").strip():
            found["topic"] = _l("Enter the topic")
        if self.audience_count is None:
            self.audience_count = 0
        elif self.audience_count < 0:
            found["audience_count"] = _l("A headcount cannot be negative")
        # The API loads employer ids without the user's scope, so every write path is checked here; the
        # message names no employer, lest it confirm one outside the user's jurisdiction.
        if any(employer.org_unit is None or not in_scope(employer.org_unit.path)
               or employer.org_unit is not self.org_unit for employer in self.employers):
            found["employers"] = _l("Choose only employers of this activity's township")
        return found
