"""Demo occupational-disease patients: a few hundred, mostly pneumoconiosis, with valid generated ID
numbers, follow-up visits over the last two years, some lost to follow-up and some dead."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.codes import id_number_check_char
from app.models import (TOWNSHIP, Disease, Employer, FollowUpVisit, OccupationalHistory, OrgUnit, Patient,
                        RehabilitationRecord)
from app.models.diseases import catalogue_on
from app.models.form_codes import LOST_DEATH, OTHER_CARD, PNEUMOCONIOSIS_CARD

PATIENTS = 400
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "国强", "志明", "卫东", "海华", "永福", "德胜", "金根", "根宝", "秀英", "桂兰", "阿毛", "文斌", "小龙"]
HOSPITALS = ["上海市肺科医院", "上海市化工职业病防治院", "上海市第六人民医院"]
OTHER_PROVINCES = ["340102", "320102", "510104", "420102", "410102"]  # birthplaces outside Shanghai


def make_id_number(rng: random.Random, region: str, birth: date, male: bool) -> str:
    """A valid GB 11643 ID number: region, birth date, sequence (odd for men), check character."""
    sequence = rng.randint(0, 49) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{rng.randint(0, 9)}{sequence:02d}"
    return first17 + id_number_check_char(first17)


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def seed_demo_patients(session) -> None:
    rng = random.Random(5104)
    today = date.today()
    townships = session.scalars(select(OrgUnit).where(OrgUnit.level == TOWNSHIP).order_by(OrgUnit.path)).all()
    employers = session.scalars(select(Employer).where(Employer.has_hazard.is_(True)).order_by(Employer.id)).all()
    diseases = session.scalars(select(Disease).join(Disease.category).where(Disease.active.is_(True))
                               .order_by(Disease.id)).all()
    by_catalogue = {(d.category.catalogue, d.pneumoconiosis): [] for d in diseases}
    for found in diseases:
        by_catalogue[(found.category.catalogue, found.pneumoconiosis)].append(found)
    used = set()
    for _ in range(PATIENTS):
        township = rng.choice(townships)
        pneumoconiosis = rng.random() < 0.85
        male = rng.random() < (0.95 if pneumoconiosis else 0.7)
        birth = _day_between(rng, date(1942, 1, 1), date(1980, 12, 31))
        region = township.parent.code if rng.random() < 0.7 else rng.choice(OTHER_PROVINCES)
        id_number = make_id_number(rng, region, birth, male)
        while id_number in used:
            id_number = make_id_number(rng, region, birth, male)
        used.add(id_number)
        diagnosed = _day_between(rng, max(birth + timedelta(days=365 * 35), date(1995, 1, 1)),
                                 today - timedelta(days=120))
        disease = rng.choice(by_catalogue[(catalogue_on(diagnosed), pneumoconiosis)])
        employer = rng.choice(employers) if rng.random() < 0.5 else None
        patient = Patient(
            org_unit=township, card_type=PNEUMOCONIOSIS_CARD if pneumoconiosis else OTHER_CARD,
            id_number=id_number, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            household_registration="上海市" if region.startswith("31") else "外省市",
            address=f"{township.name}{rng.randint(1, 300)}弄{rng.randint(1, 60)}号",
            mobile=f"13{rng.randint(100000000, 999999999)}", onset_employer=employer,
            onset_employer_name=None if employer else f"原上海{rng.choice(['第三', '第七', '红旗', '长城'])}"
                                                       f"{rng.choice(['铸造厂', '矿山机械厂', '耐火材料厂', '石英砂厂'])}",
            job_at_detection=rng.choice(["铸造工", "喷砂工", "电焊工", "打磨工", "凿岩工"]),
            exposure_years=rng.randint(3, 30), exposure_months=rng.randint(0, 11),
            disease_category=disease.category, disease=disease,
            smokes=rng.random() < 0.5, basic_medical_insurance=True,
            work_injury_insurance=rng.random() < 0.6, reporter="协管员",
        )
        if pneumoconiosis:
            patient.exposure_started_on = _day_between(rng, birth + timedelta(days=365 * 18),
                                                       diagnosed - timedelta(days=365 * 3))
            patient.stage1_on, patient.stage1_hospital = diagnosed, rng.choice(HOSPITALS)
            if diagnosed < today - timedelta(days=400) and rng.random() < 0.25:
                patient.stage2_on = _day_between(rng, diagnosed + timedelta(days=365), today)
                patient.stage2_hospital = rng.choice(HOSPITALS)
                if rng.random() < 0.2:
                    patient.stage3_on = _day_between(rng, patient.stage2_on, today)
        else:
            patient.diagnosed_on, patient.diagnosis_hospital = diagnosed, rng.choice(HOSPITALS)
        session.add(patient)
        _seed_card(session, rng, patient, diagnosed, today)
    session.flush()


def _seed_card(session, rng, patient, diagnosed: date, today: date) -> None:
    """History, visits over the last two years, yearly rehabilitation; then death or loss for a few."""
    session.add(OccupationalHistory(patient=patient, employer_name=patient.onset_employer_name
                                    or patient.onset_employer.name, job=patient.job_at_detection,
                                    started_on=patient.exposure_started_on, ended_on=diagnosed,
                                    hazards="矽尘" if patient.card_type == PNEUMOCONIOSIS_CARD else "噪声"))
    last = today - timedelta(days=rng.randint(0, 200))  # some are not visited in the current period
    visit = max(diagnosed, today - timedelta(days=730)) + timedelta(days=rng.randint(0, 60))
    while visit <= last:
        session.add(FollowUpVisit(patient=patient, visited_on=visit, method=rng.choice("1122223"),
                                  institution=f"{patient.org_unit.name}社区卫生服务中心",
                                  regular_checkup=rng.random() < 0.7, outcome=rng.choice(["稳定", "好转", "进展"])))
        visit += timedelta(days=rng.randint(80, 120))
    if patient.card_type == PNEUMOCONIOSIS_CARD and rng.random() < 0.3:
        patient.baseline_spo2, patient.baseline_adl_score = rng.randint(88, 97), rng.randint(60, 95)
        for year in range(max(diagnosed.year, today.year - 2), today.year):
            session.add(RehabilitationRecord(patient=patient, year=year, first_on=date(year, 3, 1),
                                             last_on=date(year, 11, 30), method="呼吸康复训练",
                                             sessions=rng.randint(6, 24), hours_per_session=1.5,
                                             spo2=rng.randint(90, 98), adl_score=rng.randint(65, 98)))
    roll = rng.random()
    if roll < 0.08:
        patient.dead, patient.died_on, patient.death_cause = True, min(today, last + timedelta(days=1)), "呼吸衰竭"
        patient.lost, patient.lost_on, patient.lost_reason = True, patient.died_on, LOST_DEATH
    elif roll < 0.13:
        patient.lost, patient.lost_on = True, min(today, last + timedelta(days=1))
        patient.lost_reason = rng.choice("23")
