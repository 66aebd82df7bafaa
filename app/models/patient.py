"""The occupational-disease patient (职业病病人) and the dynamic visit card (动态访视卡, Annex 5): one
model for both cards — 5.1 for pneumoconiosis, with stages I–III, COPD and rehabilitation; 5.2 for the
other diseases. The card's tables (history, visits, rehabilitation, complications, contact changes) are
in ``patient_records``.

A patient belongs to the township where they live, and is scoped by it; the employer at onset may lie
in another township or outside the city, so it is a name, with an optional link to a registered
employer. "Managed" patients (alive and not lost to follow-up) are read from the plain indexed flags
``dead`` and ``lost``.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, Numeric, String, select
from sqlalchemy.orm import relationship

from app.codes import id_number_birth_date, id_number_problem, id_number_sex
from app.models.archive_tables import disease_problems
from app.models.audit import Audited
from app.models.base import Model, db
from app.models.dictionaries import DiseaseCategory, EconomicType, EnterpriseSize, Industry
from app.models.diseases import Disease
from app.models.duplicate_notice import note_duplicate_elsewhere
from app.models.employer import Employer
from app.models.form_codes import (CARD_TYPES, LOST_DEATH, LOST_OTHER, LOST_REASONS, OTHER_CARD,
                                   PNEUMOCONIOSIS_CARD, check_code, check_order, check_past, linked)
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.personal import PersonalData
from app.models.versioned import Versioned
from app.scoping import in_scope

STAGES = ("1", "2", "3")
STAGE_NAMES = {"1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ"}
STAGE_FIELDS = ("on", "complication", "complication_name", "hospital")
PNEUMOCONIOSIS_ONLY = tuple(f"stage{s}_{f}" for s in STAGES for f in STAGE_FIELDS if f != "complication") + (
    "copd_diagnosed_on", "exposure_started_on")
MAX_DISABILITY_GRADE = 10


def years_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


class Patient(PersonalData, InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "patient"
    picker_columns = ("name",)  # never the ID number: it is searched by full value only
    unit_level = TOWNSHIP  # the township of residence
    personal_fields = ("id_number", "phone", "mobile")
    # The managed patients of a unit with what the due lists ask of them, from the index alone (migration 0009).
    __table_args__ = (Index("ix_patient_due", "org_unit_id", "dead", "lost", "card_type", "disease_id", "id"),)

    id = Column(Integer, primary_key=True)
    card_type = Column(String(20), nullable=False, default=PNEUMOCONIOSIS_CARD, index=True)
    # The person.
    id_number = Column(String(18), nullable=False, unique=True)
    name = Column(String(50), nullable=False, index=True)
    sex = Column(String(6), nullable=False)  # from the ID number
    birth_date = Column(Date, nullable=False)  # from the ID number
    household_registration = Column(String(200))  # 户口所在地
    address = Column(String(200))  # 在沪住址
    phone = Column(String(30), info={"phone": True})
    mobile = Column(String(30), info={"phone": True})
    # The employer at onset (发病单位).
    onset_employer_id = Column(Integer, ForeignKey("employer.id", ondelete="SET NULL"), index=True)
    onset_employer = relationship(Employer)
    onset_employer_name = Column(String(200))  # required by the rules: a link may fill it
    onset_workplace = Column(String(200))
    onset_employer_address = Column(String(200))  # 厂址
    onset_employer_district = Column(String(50))
    onset_employer_postcode = Column(String(6))
    onset_employer_contact = Column(String(50))
    onset_employer_phone = Column(String(30), info={"phone": True})
    economic_type_id = Column(Integer, ForeignKey("economic_type.id"))
    economic_type = relationship(EconomicType)
    industry_id = Column(Integer, ForeignKey("industry.id"))
    industry = relationship(Industry)
    enterprise_size_id = Column(Integer, ForeignKey("enterprise_size.id"))  # blank: 不详
    enterprise_size = relationship(EnterpriseSize)
    job_at_detection = Column(String(50))  # 检出时工种
    exposure_started_on = Column(Date)  # 5.1 开始接尘日期
    exposure_years = Column(Integer)  # 5.1 实际接尘工龄 / 5.2 专业工龄
    exposure_months = Column(Integer)
    # Diagnosis.
    disease_category_id = Column(Integer, ForeignKey("disease_category.id"), nullable=False)
    disease_category = relationship(DiseaseCategory)
    disease_id = Column(Integer, ForeignKey("disease.id"), index=True)
    disease = relationship(Disease)
    disease_name = Column(String(100))
    diagnosed_on = Column(Date, index=True)  # 5.2 诊断日期; 5.1 the first stage's (set by clean)
    diagnosis_hospital = Column(String(200))
    stage1_on = Column(Date)
    stage1_complication = Column(Boolean, nullable=False, default=False)
    stage1_complication_name = Column(String(100))
    stage1_hospital = Column(String(200))
    stage2_on = Column(Date)
    stage2_complication = Column(Boolean, nullable=False, default=False)
    stage2_complication_name = Column(String(100))
    stage2_hospital = Column(String(200))
    stage3_on = Column(Date)
    stage3_complication = Column(Boolean, nullable=False, default=False)
    stage3_complication_name = Column(String(100))
    stage3_hospital = Column(String(200))
    copd = Column(Boolean, nullable=False, default=False)
    copd_diagnosed_on = Column(Date)
    other_disease = Column(Boolean, nullable=False, default=False)
    other_disease_name = Column(String(100))
    other_disease_diagnosed_on = Column(Date)
    other_disease_hospital = Column(String(200))
    disability_grade = Column(Integer)  # 1–10; blank: 未定级
    reassigned = Column(Boolean, nullable=False, default=False)  # 当时处理: 调离 / 未调离
    # Survival.
    dead = Column(Boolean, nullable=False, default=False, index=True)
    died_on = Column(Date)
    death_cause = Column(String(200))
    # Habits.
    smokes = Column(Boolean, nullable=False, default=False)
    cigarettes_per_day = Column(Integer)
    smoking_years = Column(Integer)
    quit_smoking = Column(Boolean, nullable=False, default=False)
    quit_years = Column(Integer)
    drinks = Column(Boolean, nullable=False, default=False)
    alcohol_liang_per_day = Column(Numeric(4, 1))
    drinking_years = Column(Integer)
    # Insurance (保障情况).
    work_injury_insurance = Column(Boolean, nullable=False, default=False)
    work_injury_insurance_since = Column(Date)
    employer_compensation = Column(Boolean, nullable=False, default=False)
    basic_medical_insurance = Column(Boolean, nullable=False, default=False)
    other_insurance = Column(Boolean, nullable=False, default=False)
    other_insurance_type = Column(String(100))
    # 5.1 康复记录: indicators before the first rehabilitation.
    baseline_spo2 = Column(Numeric(4, 1))
    baseline_adl_score = Column(Numeric(5, 1))
    baseline_psych_score = Column(String(50))
    # Lost to follow-up (失访).
    lost = Column(Boolean, nullable=False, default=False, index=True)
    lost_on = Column(Date, index=True)
    lost_reason = Column(String(1))
    lost_reason_other = Column(String(100))
    # The card's footer.
    unit_head = Column(String(50))
    reporter = Column(String(50))
    reporter_phone = Column(String(30), info={"phone": True})
    reported_on = Column(Date)

    history = relationship("OccupationalHistory", cascade="all, delete", overlaps="patient",
                           order_by="OccupationalHistory.started_on")
    visits = relationship("FollowUpVisit", cascade="all, delete", overlaps="patient",
                          order_by="FollowUpVisit.visited_on.desc()")
    rehabilitation = relationship("RehabilitationRecord", cascade="all, delete", overlaps="patient")
    complication_visits = relationship("ComplicationVisit", cascade="all, delete", overlaps="patient")
    contact_changes = relationship("ContactChange", cascade="all, delete", overlaps="patient")

    def __repr__(self):
        return self.name or ""

    @property
    def is_pneumoconiosis(self) -> bool:
        return self.card_type == PNEUMOCONIOSIS_CARD

    @property
    def diagnosis(self) -> str:
        return self.disease_name or (self.disease.name if self.disease is not None else "")

    @property
    def stage(self) -> str:
        """The highest pneumoconiosis stage diagnosed (Ⅰ, Ⅱ or Ⅲ)."""
        reached = [s for s in STAGES if getattr(self, f"stage{s}_on") is not None]
        return STAGE_NAMES[reached[-1]] if reached else ""

    @property
    def onset_age(self) -> int | None:  # 发病年龄
        return years_between(self.birth_date, self.diagnosed_on)

    @property
    def death_age(self) -> int | None:
        return years_between(self.birth_date, self.died_on)

    @property
    def last_visited_on(self) -> date | None:
        return max((visit.visited_on for visit in self.visits), default=None)

    def clean(self) -> None:
        """Birth date and sex come from the ID number; a 5.1 card is diagnosed on its first stage; the
        employer's name is the linked employer's unless typed."""
        super().clean()
        if self.id_number:
            self.id_number = self.id_number.upper()
            if id_number_problem(self.id_number) is None:
                self.birth_date = id_number_birth_date(self.id_number)
                self.sex = id_number_sex(self.id_number)
        if self.card_type == PNEUMOCONIOSIS_CARD:
            first = next((s for s in STAGES if getattr(self, f"stage{s}_on") is not None), None)
            if first is not None:
                self.diagnosed_on = getattr(self, f"stage{first}_on")
                self.diagnosis_hospital = getattr(self, f"stage{first}_hospital")
        if not self.onset_employer_name and self.onset_employer is not None:
            self.onset_employer_name = self.onset_employer.name

    def _onset_employer_changed(self) -> bool:
        if self.id is None:
            return True
        with db.session.no_autoflush:
            stored = db.session.scalar(select(Patient.onset_employer_id).where(Patient.id == self.id))
        employer = self.onset_employer
        return (employer.id if employer is not None else self.onset_employer_id) != stored

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if not self.name:
            found["name"] = _l("Enter the patient's name")
        self._check_id_number(found)
        check_code(self, "card_type", CARD_TYPES, found, required=True)
        self._check_onset_employer(found)
        self._check_diagnosis(found)
        self._check_survival(found)
        if self.disability_grade is not None and not 1 <= self.disability_grade <= MAX_DISABILITY_GRADE:
            found["disability_grade"] = _l("A disability grade is 1 to 10; leave it empty if not graded")
        if self.exposure_months is not None and not 0 <= self.exposure_months <= 11:
            found["exposure_months"] = _l("Months are 0 to 11")
        for field in ("exposure_years", "cigarettes_per_day", "smoking_years", "quit_years", "drinking_years",
                      "alcohol_liang_per_day"):
            value = getattr(self, field)
            if value is not None and value < 0:
                found[field] = _l("The number cannot be negative")
        if self.quit_smoking and not self.smokes:
            found["quit_smoking"] = _l("Only a smoker can have quit")
        if self.other_insurance and not self.other_insurance_type:
            found["other_insurance_type"] = _l("Name the other insurance")
        if self.baseline_spo2 is not None and not 0 <= self.baseline_spo2 <= 100:
            found["baseline_spo2"] = _l("Oxygen saturation is a percentage, 0 to 100")
        check_past(self, ("exposure_started_on", "work_injury_insurance_since", "reported_on"), found)
        return found

    def _check_id_number(self, found: dict) -> None:
        if not self.id_number:
            found["id_number"] = _l("Enter the ID number")
            return
        problem = id_number_problem(self.id_number)
        if problem:
            found["id_number"] = _l("ID number: %(problem)s", problem=problem)
        elif (other := self.another_with(id_number=self.id_number)) is not None:
            if in_scope(other.org_unit.path):
                found["id_number"] = _l("Another patient already has this ID number")
            else:  # not confirmed to the user: their district admin hears of it (finding 13)
                note_duplicate_elsewhere(other)
                found["id_number"] = _l("This ID number cannot be entered in your jurisdiction: the district "
                                        "admin has been asked to check it")

    def _check_onset_employer(self, found: dict) -> None:
        if not self.onset_employer_name and linked(self, "onset_employer") is None:
            found["onset_employer_name"] = _l("Enter the employer at onset, or choose a registered one")
        employer = linked(self, "onset_employer")
        if employer is not None and not in_scope(employer.org_unit.path) and self._onset_employer_changed():
            found["onset_employer"] = _l("This employer is outside your jurisdiction: enter its name instead")
        if self.onset_employer_postcode and not (len(self.onset_employer_postcode) == 6
                                                 and self.onset_employer_postcode.isdigit()):
            found["onset_employer_postcode"] = _l("A postcode is 6 digits")

    def _check_diagnosis(self, found: dict) -> None:
        found.update(disease_problems(self, self.diagnosed_on))
        disease = linked(self, "disease")
        if disease is not None and "disease" not in found:
            if self.card_type == PNEUMOCONIOSIS_CARD and not disease.pneumoconiosis:
                found["disease"] = _l("Card 5.1 is for pneumoconiosis: choose a pneumoconiosis")
            elif self.card_type == OTHER_CARD and disease.pneumoconiosis:
                found["disease"] = _l("A pneumoconiosis patient has card 5.1")
        if self.card_type == PNEUMOCONIOSIS_CARD:
            if all(getattr(self, f"stage{s}_on") is None for s in STAGES):
                found["stage1_on"] = _l("Enter the date of at least one stage diagnosis")
            for earlier, later in (("1", "2"), ("2", "3"), ("1", "3")):
                check_order(self, f"stage{earlier}_on", f"stage{later}_on", found,
                            _l("A later stage cannot be diagnosed before an earlier one"))
            for s in STAGES:
                if getattr(self, f"stage{s}_complication") and not getattr(self, f"stage{s}_complication_name"):
                    found[f"stage{s}_complication_name"] = _l("Name the complication")
            if self.copd_diagnosed_on is not None and not self.copd:
                found["copd"] = _l("Tick COPD when you enter its diagnosis date")
        elif self.card_type == OTHER_CARD:
            if self.diagnosed_on is None:
                found["diagnosed_on"] = _l("Enter the diagnosis date")
            for field in PNEUMOCONIOSIS_ONLY:
                if getattr(self, field) is not None:
                    found[field] = _l("Only card 5.1 (pneumoconiosis) records this")
        if self.other_disease and not self.other_disease_name:
            found["other_disease_name"] = _l("Name the other occupational disease")
        # A 5.1 card's diagnosis date mirrors its first stage: report on the stages the clerk entered.
        diagnosis = tuple(f"stage{s}_on" for s in STAGES) if self.card_type == PNEUMOCONIOSIS_CARD else (
            "diagnosed_on",)
        dates = diagnosis + ("copd_diagnosed_on", "other_disease_diagnosed_on")
        check_past(self, dates, found)
        if self.birth_date is not None:
            for field in dates + ("exposure_started_on",):
                value = getattr(self, field)
                if field not in found and value is not None and value < self.birth_date:
                    found[field] = _l("The date cannot precede the birth date")

    def _check_survival(self, found: dict) -> None:
        if self.dead and self.died_on is None:
            found["died_on"] = _l("Enter the date of death")
        elif not self.dead and (self.died_on is not None or self.death_cause):
            found["dead"] = _l("Tick 'dead' when you enter a date or cause of death")
        check_past(self, ("died_on", "lost_on"), found)
        check_order(self, "diagnosed_on", "died_on", found, _l("Death cannot precede the diagnosis"))
        check_code(self, "lost_reason", LOST_REASONS, found)
        if self.lost:
            if self.lost_on is None:
                found["lost_on"] = _l("Enter the date lost to follow-up")
            if self.lost_reason is None:
                found["lost_reason"] = _l("Choose why the patient was lost to follow-up")
            elif self.lost_reason == LOST_DEATH and not self.dead:
                found["lost_reason"] = _l("Record the death (tick 'dead', with its date) first")
            elif self.lost_reason == LOST_OTHER and not self.lost_reason_other:
                found["lost_reason_other"] = _l("Describe the other reason")
        elif self.lost_on is not None or self.lost_reason is not None:
            found["lost"] = _l("Tick 'lost to follow-up' when you enter its date or reason")

