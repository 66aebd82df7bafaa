"""Code dictionaries (码表, DOMAIN.md §3 and §6): admin-editable tables seeded with the national lists."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declared_attr, relationship

from app.models.audit import Audited
from app.models.base import Model, Validated
from app.models.versioned import Versioned


class Dictionary(Validated, Versioned, Audited):
    """A code and its name; inactive entries stay for old records but are not offered for new ones."""

    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False)
    name = Column(String(200), nullable=False)
    sort_order = Column(Integer, nullable=False, default=0)
    active = Column(Boolean, nullable=False, default=True)

    @declared_attr
    def __table_args__(cls):
        from sqlalchemy import UniqueConstraint

        return (UniqueConstraint(*cls.unique_within, "code", name=f"uq_{cls.__tablename__}_code"),)

    unique_within: tuple[str, ...] = ()
    display_columns = ("code", "name")  # what __repr__ reads, for exports in SQL (app.exports)

    def __repr__(self):
        return f"{self.code} {self.name}" if self.code else self.name or ""

    def problems(self) -> dict[str, str]:
        found = {}
        if not (self.code or "").strip():
            found["code"] = _l("Enter the code")
        if not (self.name or "").strip():
            found["name"] = _l("Enter the name")
        return found


class Industry(Dictionary, Model):
    """GB/T 4754-2017: sections (A–T) and their divisions (01–97)."""

    __tablename__ = "industry"
    picker_columns = ("code", "name")  # a hundred divisions and more: searched, not listed (app/views/pickers.py)
    parent_id = Column(Integer, ForeignKey("industry.id"), index=True)
    parent = relationship("Industry", remote_side="Industry.id")

    @property
    def section_code(self) -> str:
        return self.parent.code if self.parent is not None else self.code


class RegistrationType(Dictionary, Model):
    """登记注册类型 (国统字〔2011〕86号)."""

    __tablename__ = "registration_type"


class EconomicType(Dictionary, Model):
    """Annex 2's nine economic types."""

    __tablename__ = "economic_type"


class EnterpriseSize(Dictionary, Model):
    """大/中/小/微 (codes 1–4, Annex 4 note 6)."""

    __tablename__ = "enterprise_size"


class RiskClass(Dictionary, Model):
    """一般/严重 (建设项目职业病危害风险分类管理目录 2021)."""

    __tablename__ = "risk_class"


class ProductionStatus(Dictionary, Model):
    """正常生产/停产/搬迁/关闭 (Annex 3)."""

    __tablename__ = "production_status"


class HazardCategory(Dictionary, Model):
    """The six categories of 职业病危害因素分类目录 (2015)."""

    __tablename__ = "hazard_category"


class HazardFactor(Dictionary, Model):
    """A factor of the 2015 catalogue (459, app/seed/data/hazard_factors.csv): code = category code and
    number (矽尘 1001, 苯 2028)."""

    __tablename__ = "hazard_factor"
    picker_columns = ("code", "name", "cas_number")  # 459 factors: searched, not listed (app/views/pickers.py)
    unique_within = ("category_id",)
    category_id = Column(Integer, ForeignKey("hazard_category.id"), nullable=False, index=True)
    category = relationship(HazardCategory)
    cas_number = Column(String(20))


class DiseaseCategory(Dictionary, Model):
    """Categories of 职业病分类和目录; old records keep the catalogue they were diagnosed under."""

    __tablename__ = "disease_category"
    unique_within = ("catalogue",)
    catalogue = Column(String(4), nullable=False, default="2024")


class DevelopmentZone(Dictionary, Model):
    """开发区（园区）: tagged on employers, not a tier."""

    __tablename__ = "development_zone"


class JobType(Dictionary, Model):
    __tablename__ = "job_type"


class ProtectiveMeasureType(Dictionary, Model):
    __tablename__ = "protective_measure_type"


class DetectionType(Dictionary, Model):
    """Annex 4 table 4-2: 1 评价, 2 定期, 3 监督 detection."""

    __tablename__ = "detection_type"


DICTIONARIES = (Industry, RegistrationType, EconomicType, EnterpriseSize, RiskClass, ProductionStatus,
                HazardCategory, HazardFactor, DiseaseCategory, DevelopmentZone, JobType,
                ProtectiveMeasureType, DetectionType)
