"""A city with every kind of record an indicator reads, and the values worked out by hand (shared by the
rollup tests and the kept-summary tests)."""
import random
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import select

from app.models import CITY, DISTRICT, TOWNSHIP, ChecklistTemplate, Employer, OrgUnit, RiskClass, db
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD


def report_city(app, code: str, name: str, tag: str, districts=("瑶海区", "庐阳区")) -> SimpleNamespace:
    """City ``code`` with districts M (code + 02: m1, m2) and N (code + 03: n1, n2 empty); period 2025 (ends 12-31).
    Its users are ``{tag}leader`` and ``{tag}districtm``; records are named after the city (合肥A …);
    tests/test_reports.py's HEFEI_2025 gives its values.
    Screenings (S) and patrols (P) are written straight into their tables (the workflow cannot back-date a
    submission); the deadline is 7 days, so a record submitted before visit + 8 days is on time.

    Employers (E = hazardous, declared = by period end, registered 2024-01-01 unless told):
      m1: A hazardous, serious risk, declared 2024-05-01; complete archive reviewed 2025-06-01;
            S1 2025-03-01 accepted (submitted 03-05, on time): detection report 2025-02-01, exposed 10
            (dust), trained 6, exams due 10 done 8 (report 2025-02-20); P1 2025-04-10 accepted (submitted 04-12, on time)
          B hazardous, general, registered 2025-03-01 (new), not declared; S2 2025-03-10 a draft with a
            detection report 2025-03-01 (a draft is not data: not screened, not detected, not on time)
          C no hazards, registered 2025-05-01 (new); S3 2025-06-01 submitted 06-02 (on time), no exposure
      m2: D hazardous, general, registered 2020-01-01, declared 2023-01-01; archive last reviewed
            2024-01-01 (stale) with a 4-2 detection on 2023-06-01 (within 3 years of 2025-12-31);
            S4 2025-01-15 accepted (on time) exposed 5 trained 5 due 5 done 5, superseded by
            S5 2025-08-01 submitted 08-30 (late) exposed 4 trained 2 due 4 done 1 (report 2024-09-01: an
            exam of 2024, not of 2025);
            P2 2025-09-01 submitted 09-20 (patrolled, but late)
      n1: E hazardous, serious, declared 2025-02-01; S6 2024-06-01 accepted with a detection report
            2024-06-01 (over a year before 2025-12-31: not within a serious employer's cycle), exams due 2
            (not screened in 2025: its workers still should be examined)
    Patients (managed = diagnosed by the end, not dead and not lost by then):
      m1: Pa visited 2025-05-01 (1/1); Pb last visited 2024-03-01 (0/1); Pc died 2024-12-01 (not managed)
      n1: Pd lost to follow-up 2025-03-01 (not managed)
    Hazard reports found in 2025: m1 H1 reported the same day, H2 not reported; n1 H3 found 12-31,
      reported 2026-01-02 (reported: the rate is reported / found). n1 H4 was found in 2024 (not counted).
    Coordinators serving in 2025: m1 K1 attended and passed (2025-05-01); K2 attended 2025-06-01 without
      passing (passed in 2024: another period); m2 K3 appointed 2025-10-01, no training; K4 dismissed
      2024-12-01 (not serving).
    SME assistance 2025: m1 A 6 items, after it declared, detected, examined and trained; C 3 items, after
      it declared only; m2 D none; n1 E in 2024 (another year).
    No employer has its basic information complete (legal representative, contact, address) nor an
    industry; A and E are serious risk (key patrol coverage); no promotion activities.

    By hand (numerator, denominator) — m1 | m2 | M | n1 | N | city:
      declaration  1/2 | 1/1 | 2/3 | 1/1 | 1/1 | 3/4
      archive      1/2 | 0/1 | 1/3 | 0/1 | 0/1 | 1/4
      new_screening 1/2 (C) | 0/0 | 1/2 | 0/0 | 0/0 — | 1/2
      patrol       0/1 (A: H1 only; B undeclared) | 0/1 (D: H2 only) | 0/2 | 0/1 | 0/1 | 0/3
      patrol@2025H1 1/1 | 0/1 | 1/2 | 0/1 | 0/1 | 1/3;  patrol@2025H2 0/1 | 1/1 | 1/2 | 0/1 | 0/1 | 1/3
      follow_up    1/2 | 0/0 | 1/2 | 0/0 | 0/0 — | 1/2
      on_time      3/4 (S1 S3 P1; S2 draft) | 1/3 (S4) | 4/7 | 0/0 | 0/0 — | 4/7
      information  1/2 | 0/0 | 1/2 | 1/1 | 1/1 | 2/3
      detection    1/2 (A) | 1/1 (D) | 2/3 | 0/1 | 0/1 | 2/4
      health_exam  8/10 (S1; B none) | 0/4 (S5's exam of 2024) | 8/14 | 0/2 (S6) | 0/2 | 8/16
      training     6/10 | 2/4 | 8/14 | 0/0 | — | 8/14
      coordinator_attended 2/2 | 0/1 | 2/3 | 0/0 | — | 2/3
      coordinator_passed   1/2 | 0/0 (K3 never attended) | 1/2 | 0/0 | — | 1/2
      sme_declared 2/2 | 0/1 | 2/3 | 0/0 | — | 2/3;  sme_detected, sme_examined, sme_trained 1/2 | 0/1 | 1/3 | 1/3
      sme_count    2 | 1 | 3 (< 20: not met) | 0 | 0 (not met) | 3 (not met: not every district)
    """
    from app.models import (ArchiveReview, Coordinator, CoordinatorTraining, EnterpriseSize, ExposureDetection,
                            ExposureSummary, FollowUpVisit, HazardReport, HealthArchive, Patient, Patrol,
                            Screening, SmeAssistance)
    from app.models.programme.assistance import SIX_ITEMS
    from tests.fieldwork import production_status_id
    from tests.test_archive import WORKFORCE, table_rows
    from tests.test_patient import disease, unique_id_number

    rng = random.Random(34)
    short = name.removesuffix("市")
    refs = table_rows(app)
    category, silicosis = disease(app, "矽肺")
    status = production_status_id(app)
    with app.app_context():
        risks = {code: db.session.scalar(select(RiskClass).where(RiskClass.code == code)) for code in ("1", "2")}
        small = db.session.scalar(select(EnterpriseSize).where(EnterpriseSize.code == "3"))
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        city = OrgUnit(level=CITY, code=code, name=name)
        m = OrgUnit(level=DISTRICT, code=f"{code[:4]}02", name=districts[0], parent=city)
        n = OrgUnit(level=DISTRICT, code=f"{code[:4]}03", name=districts[1], parent=city)
        units = {"city": city, "m": m, "n": n,
                 "m1": OrgUnit(level=TOWNSHIP, code=f"{m.code}001", name="M1街道", parent=m),
                 "m2": OrgUnit(level=TOWNSHIP, code=f"{m.code}002", name="M2街道", parent=m),
                 "n1": OrgUnit(level=TOWNSHIP, code=f"{n.code}001", name="N1街道", parent=n),
                 "n2": OrgUnit(level=TOWNSHIP, code=f"{n.code}002", name="N2街道", parent=n)}
        db.session.add_all(units.values())

        def employer(key, township, risk=None, registered=date(2024, 1, 1), declared=None):
            return Employer(name=f"{short}{key}", org_unit=units[township], has_hazard=risk is not None,
                            risk_class=risks.get(risk), registered_on=registered, enterprise_size=small,
                            hazard_declared=declared is not None, declared_on=declared,
                            credit_code=make_credit_code(rng, units[township].parent.code))

        e = {"A": employer("A", "m1", "2", declared=date(2024, 5, 1)),
             "B": employer("B", "m1", "1", registered=date(2025, 3, 1)),
             "C": employer("C", "m1", registered=date(2025, 5, 1)),
             "D": employer("D", "m2", "1", registered=date(2020, 1, 1), declared=date(2023, 1, 1)),
             "E": employer("E", "n1", "2", declared=date(2025, 2, 1))}
        db.session.add_all(e.values())
        for key, reviewed in (("A", date(2025, 6, 1)), ("D", date(2024, 1, 1))):
            archive = HealthArchive(employer=e[key], established_on=date(2023, 1, 1), production_mode="1",
                                    oh_manager="王敏", **WORKFORCE)
            db.session.add_all([
                archive, ArchiveReview(archive=archive, reviewed_on=reviewed),
                ExposureSummary(archive=archive, hazard_category_id=refs["dust"], registered_exposed=10),
                ExposureDetection(archive=archive, workplace="打磨车间", job_type_id=refs["grinder"],
                                  hazard_factor_id=refs["silica"], registered_total=10,
                                  detected_on=date(2023, 6, 1) if key == "D" else None)])
        db.session.flush()

        def visits(model, rows, **extra):
            ids = {}
            for key, emp, day, state, submitted, values in rows:
                ids[key] = db.session.execute(model.__table__.insert().values(
                    employer_id=e[emp].id, org_unit_id=e[emp].org_unit_id, visit_date=day, state=state,
                    submitted_at=submitted, **extra, **values).returning(model.__table__.c.id)).scalar_one()
            return ids

        def counts(exposed, trained, due, done, detected=None, examined=None):
            return {"exposed_total": exposed, "exposed_dust": exposed, "workers_trained": trained,
                    "exam_due_count": due, "exam_done_count": done, "detection_report_date": detected,
                    "exam_report_date": examined}

        at = datetime.fromisoformat
        s = visits(Screening, [
            ("S1", "A", date(2025, 3, 1), "accepted", at("2025-03-05 09:00"), counts(10, 6, 10, 8, date(2025, 2, 1), date(2025, 2, 20))),
            ("S2", "B", date(2025, 3, 10), "draft", None, counts(3, 0, 3, 0, date(2025, 3, 1))),
            ("S3", "C", date(2025, 6, 1), "submitted", at("2025-06-02 09:00"), counts(0, 0, 0, 0)),
            ("S4", "D", date(2025, 1, 15), "accepted", at("2025-01-16 09:00"), counts(5, 5, 5, 5)),
            ("S5", "D", date(2025, 8, 1), "submitted", at("2025-08-30 09:00"), counts(4, 2, 4, 1, examined=date(2024, 9, 1))),
            ("S6", "E", date(2024, 6, 1), "accepted", at("2024-06-02 09:00"), counts(2, 2, 2, 2, date(2024, 6, 1))),
        ])
        p = visits(Patrol, [
            ("P1", "A", date(2025, 4, 10), "accepted", at("2025-04-12 09:00"), {}),
            ("P2", "D", date(2025, 9, 1), "submitted", at("2025-09-20 09:00"), {}),
        ], template_id=template, production_status_id=status)

        def patient(key, township, **fields):
            return Patient(card_type="pneumoconiosis", org_unit=units[township], name=f"{short}病人{key}",
                           id_number=unique_id_number(m.code),
                           onset_employer_name=f"{short}某铸造厂", disease_category_id=category, disease_id=silicosis,
                           stage1_on=date(2020, 4, 10), **fields)

        patients = {"Pa": patient("a", "m1"), "Pb": patient("b", "m1"),
                    "Pc": patient("c", "m1", dead=True, died_on=date(2024, 12, 1)),
                    "Pd": patient("d", "n1", lost=True, lost_on=date(2025, 3, 1), lost_reason="3")}
        db.session.add_all(patients.values())
        db.session.add_all([FollowUpVisit(patient=patients["Pa"], visited_on=date(2025, 5, 1), method="2"),
                            FollowUpVisit(patient=patients["Pb"], visited_on=date(2024, 3, 1), method="1"),
                            FollowUpVisit(patient=patients["Pd"], visited_on=date(2025, 2, 1), method="1")])

        def report(key, found, reported=None):
            return HazardReport(employer=e[key], category="violation", description="未设置警示标识",
                                found_at=at(found), reported_at=reported and at(reported),
                                reported_to=reported and "区卫生监督所")

        reports = {"H1": report("A", "2025-04-10 10:00", "2025-04-10 12:00"), "H2": report("A", "2025-07-01 10:00"),
                   "H3": report("E", "2025-12-31 15:00", "2026-01-02 09:00"), "H4": report("E", "2024-11-01 10:00")}
        db.session.add_all(reports.values())

        def coordinator(key, township, appointed, **fields):
            return Coordinator(name=f"{short}协管员{key}", org_unit=units[township], appointed_on=appointed, **fields)

        k = {"K1": coordinator("1", "m1", date(2024, 1, 1)), "K2": coordinator("2", "m1", date(2024, 1, 1)),
             "K3": coordinator("3", "m2", date(2025, 10, 1)),
             "K4": coordinator("4", "m2", date(2022, 1, 1), status="dismissed", dismissed_on=date(2024, 12, 1),
                               dismissal_reason="retirement")}
        db.session.add_all(k.values())
        db.session.add_all([
            CoordinatorTraining(coordinator=k["K1"], course="业务培训", held_on=date(2025, 5, 1), attended=True,
                                passed=True),
            CoordinatorTraining(coordinator=k["K2"], course="业务培训", held_on=date(2025, 6, 1), attended=True),
            CoordinatorTraining(coordinator=k["K2"], course="岗前培训", held_on=date(2024, 5, 1), attended=True,
                                passed=True)])

        def assistance(key, year, done, *after):
            items = {f"{item}_done": True for item in list(SIX_ITEMS)[:done]}
            days = {f"{item}_on": date(year, 9, 1) for item in list(SIX_ITEMS)[:done]}
            return SmeAssistance(employer=e[key], year=year, team=f"{short}管家团队", **items, **days,
                                 **{f"{flag}_after": True for flag in after})

        sme = {"A": assistance("A", 2025, 6, "declared", "detected", "examined", "trained"),
               "C": assistance("C", 2025, 3, "declared"), "D": assistance("D", 2025, 0),
               "E": assistance("E", 2024, 6)}
        db.session.add_all(sme.values())
        sm = app.appbuilder.sm
        for username, role, unit in ((f"{tag}leader", "Leader", city), (f"{tag}districtm", "District admin", m)):
            db.session.add(make_user(sm, username, role, unit, PASSWORD))
        db.session.commit()
        return SimpleNamespace(
            unit={key: unit.id for key, unit in units.items()}, employer={key: x.id for key, x in e.items()},
            screening=s, patrol=p, patient={key: x.id for key, x in patients.items()},
            report={key: x.id for key, x in reports.items()}, coordinator={key: x.id for key, x in k.items()},
            assistance={key: x.id for key, x in sme.items()})
