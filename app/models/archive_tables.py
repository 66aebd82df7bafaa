"""The other tables of the archive (Annex 4): main products and outsourcing companies (4.1), chemicals
(4.3), health surveillance summary and results (4.5-1, 4.5-2) and occupational-disease cases (4.6)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint, func, select
from sqlalchemy.orm import relationship

from app.models.archive import ArchiveRow, ExposureDetection
from app.models.base import Model, db
from app.models.dictionaries import DiseaseCategory, HazardCategory, HazardFactor, JobType
from app.models.diseases import Disease, catalogue_on
from app.models.form_codes import (CHEMICAL_SOURCES, CHEMICAL_UNITS, EXAM_TYPES, PHYSICAL_STATES, check_at_most,
                                   check_code, check_counts, check_past, check_within, check_year, linked)

MAIN_PRODUCTS = 3  # 4.1 note 3: the year's top three products


def in_exposure_table(row: ArchiveRow, column, value_id) -> bool:
    """Whether table 4-2 of the row's archive has this job type or hazard factor (4.5-2 note 3 and
    4.6 note 4: those tables may not go beyond table 4-2)."""
    with db.session.no_autoflush:
        return db.session.scalar(select(func.count(ExposureDetection.id)).where(
            ExposureDetection.archive_id == row.archive.id, column == value_id)) > 0


class ArchiveProduct(ArchiveRow, Model):
    """Table 4.1 主要产品: rank 1–3, yearly output and its unit."""

    __tablename__ = "archive_product"
    __table_args__ = (UniqueConstraint("archive_id", "rank", name="uq_archive_product_rank"),)
    collection = "products"

    id = Column(Integer, primary_key=True)
    rank = Column(Integer, nullable=False)
    name = Column(String(100), nullable=False)
    annual_output = Column(Numeric(14, 2))
    output_unit = Column(String(20))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.rank is None or not 1 <= self.rank <= MAIN_PRODUCTS:
            found["rank"] = _l("The form lists the top three products: rank 1, 2 or 3")
        elif self.archive is not None:
            with db.session.no_autoflush:
                taken = db.session.scalar(select(func.count(ArchiveProduct.id)).where(
                    ArchiveProduct.archive_id == self.archive.id, ArchiveProduct.rank == self.rank,
                    ArchiveProduct.id != (self.id or 0)))
            if taken:
                found["rank"] = _l("Another product already has this rank")
        if not self.name:
            found["name"] = _l("Enter the product")
        if self.annual_output is not None and self.annual_output < 0:
            found["annual_output"] = _l("The output cannot be negative")
        if self.annual_output is not None and not self.output_unit:
            found["output_unit"] = _l("Enter the unit of the output")
        return found


class OutsourcingCompany(ArchiveRow, Model):
    """Table 4.1 外委情况: the labour company and how many of its workers the employer uses."""

    __tablename__ = "archive_outsourcing_company"
    collection = "outsourcing_companies"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    workers = Column(Integer, nullable=False, default=0)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not self.name:
            found["name"] = _l("Enter the labour company")
        check_counts(self, ("workers",), found)
        if self.archive is not None:
            check_within(self, "workers", self.archive.actual_outsourced, found,
                         _l("Cannot exceed the outsourced actual workers of table 4.1"))
        return found


class ArchiveChemical(ArchiveRow, Model):
    """Table 4.3: chemicals used and produced."""

    __tablename__ = "archive_chemical"
    collection = "chemicals"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    source = Column(String(1))
    quantity = Column(Numeric(14, 2))
    unit = Column(String(1))
    physical_state = Column(String(1))
    main_components = Column(String(200))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not self.name:
            found["name"] = _l("Enter the chemical's name")
        elif not any(ch.isalpha() for ch in self.name):
            found["name"] = _l("Use the chemical's common Chinese name, not a number or code")
        check_code(self, "source", CHEMICAL_SOURCES, found)
        check_code(self, "unit", CHEMICAL_UNITS, found)
        check_code(self, "physical_state", PHYSICAL_STATES, found)
        if self.quantity is not None and self.quantity < 0:
            found["quantity"] = _l("The quantity cannot be negative")
        if self.quantity is not None and self.unit is None:
            found["unit"] = _l("Choose the unit of the quantity")
        return found


class SurveillanceSummary(ArchiveRow, Model):
    """Table 4.5-1: workers who should be and were examined, per hazard category and exam type; a row
    without a category is the 总计 row (each worker counted once)."""

    __tablename__ = "archive_surveillance_summary"
    collection = "surveillance_summaries"

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    hazard_category_id = Column(Integer, ForeignKey("hazard_category.id"))
    hazard_category = relationship(HazardCategory)
    exam_type = Column(String(4), nullable=False)
    should_registered = Column(Integer, nullable=False, default=0)
    should_outsourced = Column(Integer, nullable=False, default=0)
    actual_registered = Column(Integer, nullable=False, default=0)
    actual_outsourced = Column(Integer, nullable=False, default=0)
    institution = Column(String(200))
    report_number = Column(String(50))

    @property
    def category_label(self):
        return self.hazard_category.name if self.hazard_category is not None else _l("Total")

    def problems(self) -> dict[str, str]:
        found = super().problems()
        check_year(self, "year", found)
        check_code(self, "exam_type", EXAM_TYPES, found, required=True)
        check_counts(self, ("should_registered", "should_outsourced", "actual_registered", "actual_outsourced"),
                     found)
        for group in ("registered", "outsourced"):
            check_at_most(self, f"actual_{group}", f"should_{group}", found,
                          _l("Examined workers cannot exceed those who should be examined"))
        return found


RESULTS = ("normal", "abnormal", "contraindication", "suspected")  # 4.5-2 体检结果 columns
GROUPS = ("registered", "outsourced")


class SurveillanceResult(ArchiveRow, Model):
    """Table 4.5-2: exam results per hazard factor, exam type and year, for registered and outsourced
    workers; the factor must be one of table 4-2's."""

    __tablename__ = "archive_surveillance_result"
    collection = "surveillance_results"

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    exam_type = Column(String(4), nullable=False)
    hazard_factor_id = Column(Integer, ForeignKey("hazard_factor.id"), nullable=False)
    hazard_factor = relationship(HazardFactor)
    should_registered = Column(Integer, nullable=False, default=0)
    should_outsourced = Column(Integer, nullable=False, default=0)
    actual_registered = Column(Integer, nullable=False, default=0)
    actual_outsourced = Column(Integer, nullable=False, default=0)
    normal_registered = Column(Integer, nullable=False, default=0)  # 目前未见异常
    normal_outsourced = Column(Integer, nullable=False, default=0)
    abnormal_registered = Column(Integer, nullable=False, default=0)  # 其他疾患或异常
    abnormal_outsourced = Column(Integer, nullable=False, default=0)
    contraindication_registered = Column(Integer, nullable=False, default=0)  # 职业禁忌证
    contraindication_outsourced = Column(Integer, nullable=False, default=0)
    suspected_registered = Column(Integer, nullable=False, default=0)  # 疑似职业病
    suspected_outsourced = Column(Integer, nullable=False, default=0)
    reassigned = Column(Integer, nullable=False, default=0)  # 实际调离人数

    def problems(self) -> dict[str, str]:
        found = super().problems()
        check_year(self, "year", found)
        check_code(self, "exam_type", EXAM_TYPES, found, required=True)
        factor = linked(self, "hazard_factor")
        if factor is None:
            found["hazard_factor"] = _l("Choose the hazard factor")
        elif self.archive is not None and not in_exposure_table(self, ExposureDetection.hazard_factor_id,
                                                                 factor.id):
            found["hazard_factor"] = _l("Choose a hazard factor listed in table 4-2 of this archive")
        counts = [f"{kind}_{group}" for kind in ("should", "actual") + RESULTS for group in GROUPS]
        check_counts(self, counts + ["reassigned"], found)
        for group in GROUPS:
            check_at_most(self, f"actual_{group}", f"should_{group}", found,
                          _l("Examined workers cannot exceed those who should be examined"))
            for result in RESULTS:
                check_at_most(self, f"{result}_{group}", f"actual_{group}", found,
                              _l("A result count cannot exceed the workers examined"))
            results = [f"{result}_{group}" for result in RESULTS]
            if not found.keys() & set(results) and sum(getattr(self, r) for r in results) > getattr(
                    self, f"actual_{group}"):
                found[f"normal_{group}"] = _l("The results together cannot exceed the workers examined")
        # Note 5: reassigned for a contraindication or a suspected occupational disease.
        eligible = sum(getattr(self, f"{result}_{group}") for result in ("contraindication", "suspected")
                       for group in GROUPS)
        if "reassigned" not in found and self.reassigned > eligible:
            found["reassigned"] = _l("Cannot exceed the workers with a contraindication or a suspected disease")
        return found


class DiseaseCase(ArchiveRow, Model):
    """Table 4.6: occupational-disease cases of the year, by disease and job type (from table 4-2)."""

    __tablename__ = "archive_disease_case"
    collection = "disease_cases"

    id = Column(Integer, primary_key=True)
    disease_category_id = Column(Integer, ForeignKey("disease_category.id"), nullable=False)
    disease_category = relationship(DiseaseCategory)
    disease_id = Column(Integer, ForeignKey("disease.id"))
    disease = relationship(Disease)
    disease_name = Column(String(100))
    job_type_id = Column(Integer, ForeignKey("job_type.id"))
    job_type = relationship(JobType)
    cases = Column(Integer, nullable=False, default=1)
    diagnosed_on = Column(Date)

    @property
    def disease_label(self):
        return self.disease_name or (self.disease.name if self.disease is not None else "")

    def problems(self) -> dict[str, str]:
        found = super().problems()
        found.update(disease_problems(self, self.diagnosed_on))
        if self.cases is None or self.cases < 1:
            found["cases"] = _l("Enter at least one case")
        job_type = linked(self, "job_type")
        if job_type is not None and self.archive is not None and not in_exposure_table(
                self, ExposureDetection.job_type_id, job_type.id):
            found["job_type"] = _l("Choose a job type listed in table 4-2 of this archive")
        check_past(self, ("diagnosed_on",), found)
        return found


def disease_problems(record, diagnosed_on) -> dict[str, str]:
    """A diagnosis names its catalogue category — of the catalogue in force on the diagnosis date — and
    the disease: a catalogue entry of that category, or its name in words."""
    found = {}
    category, disease = linked(record, "disease_category"), linked(record, "disease")
    if category is None:
        found["disease_category"] = _l("Choose the disease category")
    elif diagnosed_on is not None and category.catalogue != catalogue_on(diagnosed_on):
        found["disease_category"] = _l("Diagnosed on %(day)s: choose a category of the %(catalogue)s catalogue",
                                       day=diagnosed_on, catalogue=catalogue_on(diagnosed_on))
    elif disease is not None and disease.category_id != category.id:
        found["disease"] = _l("This disease belongs to another category")
    if disease is None and not record.disease_name:
        found["disease_name"] = _l("Choose the disease or enter its name")
    return found
