"""Which indicators a city uses and each one's target, per year (DOMAIN.md §4: "Which indicators a city
uses and their targets per year are data"). The formulas stay in code (app/reports/indicators.py); the
city admin edits this table, naming the document each target comes from (e.g. 沧卫职健〔2020〕1号)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Integer, Numeric, String, Text, UniqueConstraint

from app.models.audit import Audited
from app.models.base import Model
from app.models.org import CITY, InOrgUnit
from app.models.programme.common import CodeList, CodedColumns, coded, year_problem
from app.models.versioned import Versioned

# How an indicator's value reads: a rate (a percentage), a count (a number each district must reach) or a
# ratio (so many per head, e.g. promotions per coordinator).
RATE, COUNT, RATIO = "rate", "count", "ratio"

# Every indicator the portal can compute: code → (name, kind). The formulas are app/reports/indicators.py's.
CATALOGUE = {
    "declaration": (_l("Hazard declaration rate"), RATE),
    "key_declaration": (_l("Key-industry declaration rate"), RATE),
    "dust_declaration": (_l("Dust hazard declaration rate"), RATE),
    "basic_info": (_l("Basic-information registration rate"), RATE),
    "archive": (_l("Archive rate"), RATE),
    "new_screening": (_l("New-employer screening coverage"), RATE),
    "patrol": (_l("Patrol coverage"), RATE),
    "key_patrol": (_l("Key-industry and serious-hazard patrol coverage"), RATE),
    "follow_up": (_l("Patient follow-up rate"), RATE),
    "on_time": (_l("On-time reporting rate"), RATE),
    "information": (_l("Information reporting rate"), RATE),
    "detection": (_l("Periodic detection rate"), RATE),
    "dust_detection": (_l("Dust periodic detection rate"), RATE),
    "health_exam": (_l("On-duty health exam rate"), RATE),
    "training": (_l("Worker training rate"), RATE),
    "coordinator_attended": (_l("Coordinator training participation"), RATE),
    "coordinator_passed": (_l("Coordinator training pass rate"), RATE),
    "promotion": (_l("Promotions per coordinator"), RATIO),
    "sme_declared": (_l("Assisted SMEs: declaration rate"), RATE),
    "sme_detected": (_l("Assisted SMEs: periodic detection rate"), RATE),
    "sme_examined": (_l("Assisted SMEs: health exam rate"), RATE),
    "sme_trained": (_l("Assisted SMEs: training rate"), RATE),
    "sme_count": (_l("Assisted SMEs"), COUNT),
}
INDICATOR_NAMES = CodeList({code: name for code, (name, _) in CATALOGUE.items()})
AT_LEAST, AT_MOST = "ge", "le"
COMPARISONS = CodeList({AT_LEAST: "≥", AT_MOST: "≤"})


class IndicatorTarget(CodedColumns, InOrgUnit, Versioned, Audited, Model):
    """One indicator's place in a city's set for a year: used or not, its target and where it comes from.
    A rate's target is a percentage (0–100); a count's or a ratio's a number."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("org_unit_id", "year", "indicator", name="uq_indicator_target"),)
    unit_level = CITY

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    indicator = coded(INDICATOR_NAMES, nullable=False)
    used = Column(Boolean, nullable=False, default=True)
    comparison = coded(COMPARISONS, nullable=False, default=AT_LEAST)
    target = Column(Numeric(10, 2), nullable=False)
    source_document = Column(String(300), nullable=False)
    notes = Column(Text)

    def __repr__(self):
        return f"{self.year} {INDICATOR_NAMES.label(self.indicator)}"

    @property
    def kind(self) -> str | None:
        return CATALOGUE[self.indicator][1] if self.indicator in CATALOGUE else None

    @property
    def target_value(self) -> float:
        """The target as the engine compares it: a rate as a fraction (95 → 0.95)."""
        return float(self.target) / 100 if self.kind == RATE else float(self.target)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if message := year_problem(self.year):
            found["year"] = message
        if self.target is None:
            found["target"] = _l("Enter the target")
        elif self.kind == RATE and not 0 <= self.target <= 100:
            found["target"] = _l("A rate's target is a percentage from 0 to 100")
        elif self.target < 0:
            found["target"] = _l("A target cannot be negative")
        if not (self.source_document or "").strip():
            found["source_document"] = _l("Name the document the target comes from")
        if not found and self.another_has(org_unit_id=self.org_unit.id, year=self.year, indicator=self.indicator):
            found["indicator"] = _l("This city already has a target for this indicator in this year")
        return found
