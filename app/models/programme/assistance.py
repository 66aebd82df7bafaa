"""SME assistance (中小微企业职业健康帮扶, Chongqing Annex 3): a small, medium or micro enterprise helped
in a year by a team through the six items (六个一), and where it stood on declaration, periodic
detection, health examinations and training before and after (target: 100 % after, by end of 2025)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint, case
from sqlalchemy.orm import relationship

from app.enterprise_size import LARGE
from app.models.audit import Audited
from app.models.base import Model
from app.models.employer import Employer
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import CodeList, future_dates, year_problem
from app.models.versioned import Versioned
from app.scoping import in_scope

# Annex 3 tasks 3–8, in the document's wording and order.
SIX_ITEMS = CodeList(
    hazard_identification=_l("One identification of occupational-hazard factors"),
    management_system=_l("One practical occupational-health management system"),
    notification_ppe=_l("One on-site guidance on hazard notification and protective equipment"),
    training=_l("One occupational-health training"),
    over_limit=_l("One remediation of posts over the exposure limit"),
    chronic_disease=_l("One chronic-disease screening and follow-up service"),
)
# Annex 3 goal: declaration, periodic detection, health examination and training rates of assisted
# enterprises all reach 100 %.
BEFORE_AFTER = CodeList(
    declared=_l("Hazard project declared"),
    detected=_l("Periodic workplace detection"),
    examined=_l("Occupational health examinations"),
    trained=_l("Occupational-health training"),
)


def _assistance_columns():
    """The six items (done, date, notes) and the before/after flags, one set of columns each."""
    columns = {}
    for item in SIX_ITEMS:
        columns[f"{item}_done"] = Column(Boolean, nullable=False, default=False)
        columns[f"{item}_on"] = Column(Date)
        columns[f"{item}_notes"] = Column(String(500))
    for flag in BEFORE_AFTER:
        columns[f"{flag}_before"] = Column(Boolean, nullable=False, default=False)
        columns[f"{flag}_after"] = Column(Boolean, nullable=False, default=False)
    return type("AssistanceColumns", (), columns)


class SmeAssistance(InOrgUnit, _assistance_columns(), Versioned, Audited, Model):
    __tablename__ = "sme_assistance"
    __table_args__ = (UniqueConstraint("employer_id", "year", name="uq_sme_assistance_employer_year"),)
    unit_level = TOWNSHIP  # the employer's township, kept with the record for scoping

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employer.id"), nullable=False, index=True)
    employer = relationship(Employer)
    year = Column(Integer, nullable=False, index=True)
    team = Column(String(200), nullable=False)  # e.g. the district's occupational-health steward team
    team_leader = Column(String(50))
    notes = Column(Text)

    def __repr__(self):
        return f"{self.employer} {self.year}" if self.employer is not None else str(self.year or "")

    @property
    def items_done(self) -> int:
        return sum(1 for item in SIX_ITEMS if getattr(self, f"{item}_done"))

    @property
    def items_progress(self) -> str:
        return f"{self.items_done}/{len(SIX_ITEMS)}"

    @classmethod
    def items_done_sql(cls):
        """The number of items done as a SQL expression, for set-based completion rates."""
        return sum(case((getattr(cls, f"{item}_done"), 1), else_=0) for item in SIX_ITEMS)

    def clean(self) -> None:
        """The record lives in its employer's township: the unit is copied, never chosen."""
        super().clean()
        if self.employer is not None:
            self.org_unit = self.employer.org_unit

    def problems(self) -> dict[str, str]:
        found = super().problems()
        employer = self.employer
        if employer is None:
            found.pop("org_unit", None)
            found["employer"] = _l("Choose the assisted employer")
        elif employer.org_unit is None or not in_scope(employer.org_unit.path):
            found.pop("org_unit", None)
            found["employer"] = _l("Choose an employer within your jurisdiction")
        elif employer.enterprise_size is None:
            found["employer"] = _l("Record the employer's enterprise size first: only SMEs are assisted")
        elif employer.enterprise_size.code == LARGE:
            found["employer"] = _l("A large enterprise is not assisted: choose a small, medium or micro one")
        if message := year_problem(self.year):
            found["year"] = message
        elif (employer is not None and "employer" not in found
              and self.another_has(employer_id=self.employer.id, year=self.year)):
            found["year"] = _l("This employer already has an assistance record for this year")
        if not (self.team or "").strip():
            found["team"] = _l("Enter the assistance team")
        found.update(future_dates(self, *(f"{item}_on" for item in SIX_ITEMS)))
        for item in SIX_ITEMS:
            done, day = getattr(self, f"{item}_done"), getattr(self, f"{item}_on")
            if done and day is None:
                found.setdefault(f"{item}_on", _l("Enter the date the item was done"))
            elif not done and day is not None:
                found.setdefault(f"{item}_on", _l("A date is given only for an item done"))
        return found
