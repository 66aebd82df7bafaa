"""The tables of the dynamic visit card (Annex 5): occupational history, follow-up visits,
rehabilitation records (5.1 only), complication visits and the contact-change log."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, Index, Integer, Numeric, String, UniqueConstraint, func, select

from app.models.base import Model, db
from app.models.child_rows import rows_of
from app.models.form_codes import VISIT_METHODS, check_code, check_order, check_past, check_year
from app.models.patient import Patient
from app.models.personal import PersonalData


class PatientRow(rows_of(Patient, "patient_id", "patient")):
    """A row of the patient's visit card, edited on the patient's page and scoped with the patient."""

    def after_diagnosis(self, field: str, found: dict) -> None:
        """Visits follow the diagnosis they are about."""
        value, patient = getattr(self, field), self.patient
        if field not in found and value is not None and patient is not None and patient.diagnosed_on is not None \
                and value < patient.diagnosed_on:
            found[field] = _l("The date cannot precede the diagnosis (%(day)s)", day=patient.diagnosed_on)


class OccupationalHistory(PatientRow, Model):
    """个人职业史: one employment, its job, hazards, exposure years and protection."""

    __tablename__ = "patient_occupational_history"
    collection = "history"

    id = Column(Integer, primary_key=True)
    started_on = Column(Date)
    ended_on = Column(Date)
    employer_name = Column(String(200), nullable=False)
    job = Column(String(50))
    hazards = Column(String(200))  # 接触危害因素名称
    exposure_years = Column(Numeric(4, 1))  # 接触工龄
    engineering_protection = Column(String(200))
    personal_protection = Column(String(200))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not self.employer_name:
            found["employer_name"] = _l("Enter the employer")
        check_past(self, ("started_on", "ended_on"), found)
        check_order(self, "started_on", "ended_on", found, _l("The end cannot precede the start"))
        if self.exposure_years is not None and self.exposure_years < 0:
            found["exposure_years"] = _l("The number cannot be negative")
        return found


class FollowUpVisit(PatientRow, Model):
    """职业病访视记录: method and institution, disease dynamics and work dynamics. ``visited_on`` is
    what the follow-up rate counts (indexed with the patient)."""

    __tablename__ = "patient_follow_up_visit"
    # (visit date, patient): who was visited in a period, from the index alone (the due list, migration 0009).
    __table_args__ = (Index("ix_follow_up_patient_visited", "patient_id", "visited_on"),
                      Index("ix_follow_up_visited_patient", "visited_on", "patient_id"))
    collection = "visits"

    id = Column(Integer, primary_key=True)
    visited_on = Column(Date, nullable=False)
    method = Column(String(1), nullable=False)
    institution = Column(String(200))
    # 病情动态
    medical_advice = Column(String(100))  # 执行医嘱情况
    regular_checkup = Column(Boolean, nullable=False, default=False)  # 定期复查
    hospitalised = Column(Boolean, nullable=False, default=False)  # 住院或疗养
    complaint = Column(String(200))  # 目前主诉
    outcome = Column(String(100))  # 转归
    # 工作动态
    current_job = Column(String(50))
    exposed = Column(Boolean, nullable=False, default=False)  # 是否接触危害因素
    since = Column(Date)  # 起始日期
    off_work = Column(Boolean, nullable=False, default=False)  # 休息离岗

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.visited_on is None:
            found["visited_on"] = _l("Enter the visit date")
        check_code(self, "method", VISIT_METHODS, found, required=True)
        check_past(self, ("visited_on", "since"), found)
        self.after_diagnosis("visited_on", found)
        patient = self.patient
        if "visited_on" not in found and patient is not None and patient.died_on is not None \
                and self.visited_on > patient.died_on:
            found["visited_on"] = _l("The patient died on %(day)s: no visit after that", day=patient.died_on)
        return found


class RehabilitationRecord(PatientRow, Model):
    """康复记录 (card 5.1): one year's rehabilitation and the indicators measured."""

    __tablename__ = "patient_rehabilitation"
    __table_args__ = (UniqueConstraint("patient_id", "year", name="uq_patient_rehabilitation_year"),)
    collection = "rehabilitation"

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False)
    first_on = Column(Date)
    last_on = Column(Date)
    method = Column(String(100))  # 康复方式
    sessions = Column(Integer)
    hours_per_session = Column(Numeric(4, 1))
    spo2 = Column(Numeric(4, 1))  # 血氧饱和度 %
    adl_score = Column(Numeric(5, 1))  # 日常生活能力评分
    psych_score = Column(String(50))  # 心理量表测量

    def problems(self) -> dict[str, str]:
        found = super().problems()
        patient = self.patient
        check_year(self, "year", found)
        if patient is not None and not patient.is_pneumoconiosis:  # the patient is fixed: say it at the year
            found["year"] = _l("Rehabilitation records belong to card 5.1 (pneumoconiosis)")
        if "year" not in found and patient is not None:
            with db.session.no_autoflush:
                taken = db.session.scalar(select(func.count(RehabilitationRecord.id)).where(
                    RehabilitationRecord.patient_id == patient.id, RehabilitationRecord.year == self.year,
                    RehabilitationRecord.id != (self.id or 0)))
            if taken:
                found["year"] = _l("This year already has a rehabilitation record")
        check_past(self, ("first_on", "last_on"), found)
        check_order(self, "first_on", "last_on", found, _l("The last session cannot precede the first"))
        for field in ("first_on", "last_on"):
            value = getattr(self, field)
            if field not in found and "year" not in found and value is not None and value.year != self.year:
                found[field] = _l("The date must fall in the record's year")
        if self.sessions is not None and self.sessions < 0:
            found["sessions"] = _l("The number cannot be negative")
        if self.hours_per_session is not None and not 0 <= self.hours_per_session <= 24:
            found["hours_per_session"] = _l("Hours per session are 0 to 24")
        if self.spo2 is not None and not 0 <= self.spo2 <= 100:
            found["spo2"] = _l("Oxygen saturation is a percentage, 0 to 100")
        return found


class ComplicationVisit(PatientRow, Model):
    """访视记录（并发症及其他疾病）: tuberculosis, cancers and diseases of the respiratory, cardiac,
    cerebral, liver, kidney and blood systems found at a visit, and their course."""

    __tablename__ = "patient_complication_visit"
    collection = "complication_visits"

    id = Column(Integer, primary_key=True)
    visited_on = Column(Date, nullable=False, index=True)
    disease_name = Column(String(100), nullable=False)
    symptoms = Column(String(200))
    diagnosed_on = Column(Date)
    hospital = Column(String(200))
    medical_advice = Column(String(100))
    regular_checkup = Column(Boolean, nullable=False, default=False)
    hospitalised = Column(Boolean, nullable=False, default=False)
    outcome = Column(String(100))
    died_on = Column(Date)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.visited_on is None:
            found["visited_on"] = _l("Enter the visit date")
        if not self.disease_name:
            found["disease_name"] = _l("Enter the disease")
        check_past(self, ("visited_on", "diagnosed_on", "died_on"), found)
        self.after_diagnosis("visited_on", found)
        return found


class ContactChange(PersonalData, PatientRow, Model):
    """联系地址/电话变更登记: the employer and home addresses and phones from a date on."""

    __tablename__ = "patient_contact_change"
    collection = "contact_changes"
    personal_fields = ("employer_phone", "home_phone")

    id = Column(Integer, primary_key=True)
    changed_on = Column(Date, nullable=False)
    employer_address = Column(String(200))  # 厂名/地址
    employer_phone = Column(String(30), info={"phone": True})
    home_address = Column(String(200))
    home_phone = Column(String(30), info={"phone": True})
    postcode = Column(String(6))

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.changed_on is None:
            found["changed_on"] = _l("Enter the date of the change")
        check_past(self, ("changed_on",), found)
        if not any((self.employer_address, self.employer_phone, self.home_address, self.home_phone)):
            found["home_address"] = _l("Enter at least one new address or phone")
        if self.postcode and not (len(self.postcode) == 6 and self.postcode.isdigit()):
            found["postcode"] = _l("A postcode is 6 digits")
        return found

