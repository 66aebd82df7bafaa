"""Demo occupational-health archives for about half of the hazardous employers: most complete, some
without table 4.4, some whose last review is over a year old."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.models import (ArchiveChemical, ArchiveProduct, ArchiveReview, DetectionType, Employer, ExposureDetection,
                        ExposureSummary, HazardFactor, HealthArchive, JobType, ProtectiveMeasureType,
                        SurveillanceResult, SurveillanceSummary)

SHARE = 0.5
# (job type, workplace, hazard factor name, hazard category code)
EXPOSURES = [("电焊工", "焊接车间", "电焊烟尘", "1"), ("打磨工", "打磨车间", "矽尘（游离SiO2含量≥10%）", "1"),
             ("喷漆工", "喷涂车间", "二甲苯", "2"), ("冲压工", "冲压车间", "噪声", "3"),
             ("铸造工", "铸造车间", "高温", "3")]
CHEMICALS = [("二甲苯", "2", "3"), ("石英砂", "1", "2"), ("油漆", "2", "3"), ("切削液", "2", "3")]


def seed_demo_archives(session) -> None:
    rng = random.Random(4404)
    today = date.today()
    employers = session.scalars(select(Employer).where(Employer.has_hazard.is_(True)).order_by(Employer.id)).all()
    job_types = {j.name: j for j in session.scalars(select(JobType))}
    factors = {f.name: f for f in session.scalars(select(HazardFactor))}
    measures = {m.name: m for m in session.scalars(select(ProtectiveMeasureType))}
    routine = session.scalar(select(DetectionType).where(DetectionType.code == "1"))
    for employer in employers:
        if rng.random() >= SHARE:
            continue
        actual = max(employer.total_workers, 5)
        production = actual * rng.randint(60, 90) // 100
        exposed = production * rng.randint(40, 90) // 100
        outsourced = employer.outsourced_workers
        archive = HealthArchive(
            employer=employer, established_on=today - timedelta(days=rng.randint(400, 2500)),
            founded_on=employer.start_date, has_union=rng.random() < 0.5, oh_department="安全环保部",
            oh_staff_full_time=rng.randint(0, 2), oh_staff_part_time=rng.randint(1, 3),
            oh_manager=employer.contact_person, oh_manager_phone=employer.contact_phone,
            production_mode=rng.choice("1112"), actual_total=actual, actual_female=employer.female_workers,
            actual_outsourced=outsourced, production_total=production, exposed_total=exposed,
            production_outsourced=outsourced, exposed_outsourced=outsourced, workers_trained=exposed,
            hazard_declared=employer.hazard_declared, principal_trained=True, manager_trained=True,
            detected_this_year=rng.random() < 0.7, surveillance_this_year=rng.random() < 0.8,
        )
        session.add(archive)
        session.add(ArchiveProduct(archive=archive, rank=1, name=employer.products or "产品",
                                   annual_output=rng.randint(100, 50000), output_unit="件"))
        name, source, state = rng.choice(CHEMICALS)
        session.add(ArchiveChemical(archive=archive, name=name, source=source, quantity=rng.randint(1, 50),
                                    unit="1", physical_state=state))
        if rng.random() < 0.85:  # the rest lack table 4.4
            job, workplace, factor, category = rng.choice(EXPOSURES)
            factor = factors[factor]
            session.add(ExposureSummary(archive=archive, hazard_category=factor.category,
                                        registered_exposed=exposed, outsourced_exposed=outsourced))
            tested = rng.randint(2, 12)
            session.add(ExposureDetection(
                archive=archive, workplace=workplace, job_type=job_types[job], equipment_state=rng.choice("123"),
                operation_mode=rng.choice("1234"), hazard_factor=factor, registered_total=exposed,
                outsourced_total=outsourced,
                protective_measures=[measures["防尘口罩" if category == "1" else "耳塞或耳罩"]],
                detection_type=routine, points_tested=tested, points_passed=tested - (rng.random() < 0.2),
                detected_on=today - timedelta(days=rng.randint(30, 900)), detection_agency="上海某职业卫生技术服务有限公司",
                report_number=f"JC{today.year}-{employer.id:05d}"))
            session.flush()  # table 4.5-2 may only name factors already in table 4-2
            examined = exposed - rng.randint(0, exposed // 10)
            session.add(SurveillanceSummary(archive=archive, year=today.year - 1, hazard_category=factor.category,
                                            exam_type="on", should_registered=exposed, actual_registered=examined,
                                            institution="上海某体检中心"))
            suspected = int(rng.random() < 0.05)
            session.add(SurveillanceResult(archive=archive, year=today.year - 1, exam_type="on",
                                           hazard_factor=factor, should_registered=exposed,
                                           actual_registered=examined, normal_registered=examined - suspected,
                                           suspected_registered=suspected))
        stale = rng.random() < 0.15
        reviewed = today - timedelta(days=rng.randint(380, 700) if stale else rng.randint(5, 300))
        session.add(ArchiveReview(archive=archive, reviewed_on=max(reviewed, archive.established_on),
                                  table1_changed=rng.random() < 0.3))
    session.flush()
