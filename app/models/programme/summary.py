"""Work summaries (工作总结上报, Annex 6): interim summaries and reports, and the annual summary, each due
on a date; the district judges whether the content conforms."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, Integer, String, Text, select

from app.models.audit import Audited
from app.models.base import Model, db
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import CodeList, CodedColumns, coded, future_dates, year_problem
from app.models.versioned import Versioned
from app.scoping import scope_prefix

INTERIM, ANNUAL = "interim", "annual"
SUMMARY_KINDS = CodeList(interim=_l("Interim summary or report"), annual=_l("Annual work summary"))
NONCONFORMING = "nonconforming"
REVIEW_RESULTS = CodeList(conforming=_l("Conforming"), nonconforming=_l("Not conforming"))
# Annex 6 "工作总结上报" (10 points): interim summary or report late −2, annual summary late −5, content
# not conforming −2, each time.
LATE_DEDUCTION = {INTERIM: 2, ANNUAL: 5}
NONCONFORMING_DEDUCTION = 2


class WorkSummary(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "work_summary"
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    kind = coded(SUMMARY_KINDS, nullable=False)
    title = Column(String(200), nullable=False)
    due_on = Column(Date, nullable=False, info={"years_ahead": 2})
    submitted_on = Column(Date)
    review = coded(REVIEW_RESULTS)  # empty until the district has read it
    review_reason = Column(Text)
    notes = Column(Text)

    def __repr__(self):
        return self.title or ""

    @property
    def late(self) -> bool:
        """Submitted after the due date, or still missing once it has passed."""
        if self.due_on is None:
            return False
        if self.submitted_on is not None:
            return self.submitted_on > self.due_on
        return date.today() > self.due_on

    @property
    def deduction(self) -> int:
        """Points this summary costs the township in the Annex 6 assessment."""
        return (LATE_DEDUCTION.get(self.kind, 0) if self.late else 0) + (
            NONCONFORMING_DEDUCTION if self.review == NONCONFORMING else 0)

    def _stored_review(self) -> tuple[str | None, str | None]:
        if self.id is None:
            return None, None
        with db.session.no_autoflush:
            row = db.session.execute(select(WorkSummary.review, WorkSummary.review_reason)
                                     .where(WorkSummary.id == self.id)).first()
        return tuple(row) if row is not None else (None, None)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(future_dates(self, "submitted_on"))
        if message := year_problem(self.year):
            found["year"] = message
        if not (self.title or "").strip():
            found["title"] = _l("Enter the title")
        if self.due_on is None:
            found["due_on"] = _l("Enter the due date")
        if self.review is not None and self.submitted_on is None:
            found["review"] = _l("Only a submitted summary can be reviewed")
        if self.review == NONCONFORMING and not (self.review_reason or "").strip():
            found["review_reason"] = _l("Give the reason why the summary does not conform")
        elif self.review != NONCONFORMING and self.review_reason:
            found["review_reason"] = _l("A reason is given only when the summary does not conform")
        unit = self.org_unit
        if unit is not None and scope_prefix() == unit.path \
                and (self.review, self.review_reason) != self._stored_review():
            found["review"] = _l("The district reviews a township's summary")
        return found
