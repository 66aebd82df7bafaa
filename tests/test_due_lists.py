"""Due and overdue lists and the home page, on a hand-built city (福州 350100) whose every list is known.

District P (p1, p2) and district Q (q1, q2, q3). Today is T; every employer was registered last year
unless told otherwise, and none has declared unless told.

p1 employers:
  S_due     serious, detected (screening report) T − 1 year + 30 days: cycle ends within 60 days → due
  S_ok      serious, archive 4-2 detection T − 3 years and a screening report T − 100 days → in cycle
  S_over    serious, archive 4-2 detection T − 1 year − 10 days → overdue
  S_never   serious, never detected → overdue
  S_closed  serious, never detected but closed (关闭) → not listed
  G_due     general, archive 4-2 detection T − 3 years + 10 days → due
  G_ok      general, archive 4-2 detection T − 2 years → in cycle
  G_over    general, screening report T − 3 years − 1 day → overdue
  D_now     declared, detected T − 30 days, patrolled today → patrolled this half-year
  D_old     declared, detected T − 30 days, patrolled before this half-year → not patrolled
  D_none    declared, detected T − 30 days, never patrolled → not patrolled
  N_new     no hazards, registered this year, only a draft screening of today (not yet reported, so not
            a screening done) → new, not screened
  N_done    no hazards, registered this year, screened today (accepted)
  N_old     no hazards, registered last year, not screened; carries the unsubmitted records:
            a draft patrol visited T − 10 days (late) and a returned screening visited T − 2 days (not late),
            and a submitted screening (awaiting review, not listed)
p2: S_p2 serious never detected (overdue); N_p2 with a draft screening of today; one overdue candidate.
p1 patients: PA_unvisited (visited last year), PA_visited (today), PA_dead, PA_lost; p2: PB_unvisited.
p1 candidates: C_over (found T − 40 days, unverified), C_recent (T − 5 days), C_verified.
Rehab stations: q1 100 pneumoconiosis patients, no station → listed; q2 100 and a station → not;
q3 99 pneumoconiosis patients, one dead one and one card 5.2 patient → not.
"""
import io
import random
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import delete, insert, select, update

from app.codes import id_number_check_char
from app.models import (CITY, DISTRICT, TOWNSHIP, ChecklistTemplate, DeclarationCandidate, Disease,
                        DiseaseCategory, Employer, ExposureDetection, FollowUpVisit, HazardFactor, HealthArchive,
                        JobType, OrgUnit, Patient, Patrol, PreventionInstitution, ProductionStatus, RiskClass,
                        Screening, db)
from app.models.checklist import ABSENT, PRESENT
from app.models.org import spans_every_unit
from app.models.workflow import ACCEPTED, RETURNED, STATES, SUBMITTED
from app.reports.due import DUE_LISTS_BY_CODE, count, counts, page, rows, years_before
from app.seed.demo import make_credit_code, make_user
from tests.conftest import PASSWORD
from tests.test_scoping import listed_ids

T = date.today()
LAST_YEAR = date(T.year - 1, 6, 1)
SHANGHAI_TEMPLATE = "上海市职业健康协管巡查个案信息表"


def id_number(serial: int, region: str = "350102") -> str:
    first17 = f"{region}19600101{serial:03d}"
    return first17 + id_number_check_char(first17)


@pytest.fixture(scope="module")
def fuzhou(app):
    rng = random.Random(35)
    with app.app_context():
        session = db.session
        serious, general = (session.scalar(select(RiskClass).where(RiskClass.code == code)) for code in "21")
        closed = session.scalar(select(ProductionStatus).where(ProductionStatus.code == "4"))
        normal = session.scalar(select(ProductionStatus).where(ProductionStatus.code == "1"))
        template = session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == SHANGHAI_TEMPLATE))
        job_type, factor = session.scalars(select(JobType)).first(), session.scalars(select(HazardFactor)).first()
        city = OrgUnit(level=CITY, code="350100", name="福州市")
        p = OrgUnit(level=DISTRICT, code="350102", name="鼓楼区", parent=city)
        q = OrgUnit(level=DISTRICT, code="350103", name="台江区", parent=city)
        units = {"city": city, "p": p, "q": q,
                 **{f"p{n}": OrgUnit(level=TOWNSHIP, code=f"{p.code}00{n}", name=f"鼓楼{n}街道", parent=p) for n in (1, 2)},
                 **{f"q{n}": OrgUnit(level=TOWNSHIP, code=f"{q.code}00{n}", name=f"台江{n}街道", parent=q) for n in (1, 2, 3)}}
        session.add_all(units.values())
        employers = {}

        def employer(key, township="p1", risk=None, registered=LAST_YEAR, declared=False, status=None):
            employers[key] = Employer(
                name=f"福州{key}", org_unit=units[township], has_hazard=risk is not None, risk_class=risk,
                registered_on=registered, hazard_declared=declared, production_status=status,
                credit_code=make_credit_code(rng, units[township].parent.code))

        for key, risk in (("S_due", serious), ("S_ok", serious), ("S_over", serious), ("S_never", serious),
                          ("G_due", general), ("G_ok", general), ("G_over", general)):
            employer(key, risk=risk)
        employer("S_closed", risk=serious, status=closed)
        for key in ("D_now", "D_old", "D_none"):
            employer(key, risk=serious, declared=True)
        employer("N_new", registered=date(T.year, 1, 1))
        employer("N_done", registered=date(T.year, 1, 1))
        employer("N_old")
        employer("S_p2", "p2", risk=serious)
        employer("N_p2", "p2")
        session.add_all(employers.values())
        session.flush()

        def archive_detection(key, day):
            archive = HealthArchive(employer=employers[key])
            session.add_all([archive, ExposureDetection(archive=archive, workplace="车间", job_type=job_type,
                                                        hazard_factor=factor, detected_on=day)])

        def screening(key, visit=T, state=ACCEPTED, detected=None):
            record = Screening(employer=employers[key], visit_date=visit, state=state,
                               submitted_at=datetime.combine(visit, datetime.min.time()) if state != "draft" else None)
            if detected is not None:
                record.detection_status, record.detection_report_date = "all", detected
                record.detection_report_number, record.detection_agency = "JC-1", "福州市疾控中心"
            session.add(record)
            return record

        def patrol(key, visit, state=ACCEPTED):
            record = Patrol(employer=employers[key], visit_date=visit, template=template, production_status=normal,
                            state=state, submitted_at=datetime.combine(visit, datetime.min.time())
                            if state != "draft" else None)
            record.fill_answers({number: (PRESENT if number != 7 else ABSENT, None) for number in range(1, 8)})
            session.add(record)
            return record

        screening("S_due", detected=years_before(T, 1) + timedelta(days=30))
        archive_detection("S_ok", years_before(T, 3))
        screening("S_ok", detected=T - timedelta(days=100))
        archive_detection("S_over", years_before(T, 1) - timedelta(days=10))
        archive_detection("G_due", years_before(T, 3) + timedelta(days=10))
        archive_detection("G_ok", years_before(T, 2))
        screening("G_over", detected=years_before(T, 3) - timedelta(days=1))
        for key in ("D_now", "D_old", "D_none"):
            archive_detection(key, T - timedelta(days=30))
        patrol("D_now", T)
        patrol("D_old", date(T.year, 1 if T.month <= 6 else 7, 1) - timedelta(days=1))
        screening("N_done")
        records = {"late": patrol("N_old", T - timedelta(days=10), state="draft"),
                   "returned": screening("N_old", T - timedelta(days=2), state=RETURNED),
                   "submitted": screening("N_old", T - timedelta(days=1), state=SUBMITTED),
                   "p2": screening("N_p2", T, state="draft"),
                   "new_draft": screening("N_new", T, state="draft")}

        category = session.scalar(select(DiseaseCategory).join(Disease).where(
            Disease.name == "矽肺", DiseaseCategory.catalogue == "2013"))
        silicosis = session.scalar(select(Disease).where(Disease.name == "矽肺", Disease.category_id == category.id))
        patients = {}
        for serial, (key, township, extra) in enumerate((
                ("PA_unvisited", "p1", {}), ("PA_visited", "p1", {}),
                ("PA_dead", "p1", {"dead": True, "died_on": T - timedelta(days=3)}),
                ("PA_lost", "p1", {"lost": True, "lost_on": T - timedelta(days=3), "lost_reason": "3"}),
                ("PB_unvisited", "p2", {})), start=1):
            patients[key] = Patient(org_unit=units[township], card_type="pneumoconiosis", id_number=id_number(serial),
                                    name=f"福州{key}", onset_employer_name="某厂", disease_category=category,
                                    disease=silicosis, stage1_on=date(2020, 1, 1), **extra)
        session.add_all([*patients.values(), FollowUpVisit(patient=patients["PA_unvisited"], visited_on=LAST_YEAR,
                                                           method="1"),
                         FollowUpVisit(patient=patients["PA_visited"], visited_on=T, method="1")])

        candidates = {}
        for key, township, found, verified in (("C_over", "p1", T - timedelta(days=40), None),
                                               ("C_recent", "p1", T - timedelta(days=5), None),
                                               ("C_verified", "p1", T - timedelta(days=60), T - timedelta(days=50)),
                                               ("C_p2", "p2", T - timedelta(days=40), None)):
            candidates[key] = DeclarationCandidate(
                name=f"福州{key}", org_unit=units[township], source="township", found_on=found,
                verified_on=verified, outcome="not_hazardous" if verified else None,
                reported_on=verified and found + timedelta(days=5))
        session.add_all(candidates.values())
        session.add(PreventionInstitution(name="台江2尘肺病康复站", kind="rehab_station", org_unit=q,
                                          served_township=units["q2"]))
        session.flush()

        # The rehab-station populations, inserted in bulk: what matters is their number per township.
        population, serial = [], 100
        for township, number in (("q1", 100), ("q2", 100), ("q3", 99)):
            for _ in range(number):
                serial += 1
                population.append({"org_unit_id": units[township].id, "card_type": "pneumoconiosis",
                                   "id_number": id_number(serial, "350103"), "name": f"尘肺{serial}",
                                   "sex": "male", "birth_date": date(1960, 1, 1),
                                   "disease_category_id": category.id, "disease_id": silicosis.id})
        for extra in ({"dead": True, "died_on": T}, {"card_type": "other", "disease_id": None}):
            serial += 1
            population.append({"org_unit_id": units["q3"].id, "card_type": "pneumoconiosis",
                               "id_number": id_number(serial, "350103"), "name": f"尘肺{serial}", "sex": "male",
                               "birth_date": date(1960, 1, 1), "disease_category_id": category.id,
                               "disease_id": silicosis.id, **extra})
        session.execute(insert(Patient), population)

        sm = app.appbuilder.sm
        for username, role, unit in (("fzclerkp1", "Township clerk", units["p1"]),
                                     ("fzdistrictp", "District admin", p), ("fzleader", "Leader", city)):
            session.add(make_user(sm, username, role, unit, PASSWORD))
        session.commit()
        return SimpleNamespace(unit={k: u.id for k, u in units.items()},
                               employer={k: e.id for k, e in employers.items()},
                               patient={k: e.id for k, e in patients.items()},
                               candidate={k: c.id for k, c in candidates.items()},
                               record={k: r.id for k, r in records.items()})


def listed(app, fuzhou, code, unit_key) -> list:
    """The rows of a list for a unit's subtree, computed outside any request (unscoped)."""
    with app.app_context():
        unit = db.session.get(OrgUnit, fuzhou.unit[unit_key])
        return list(rows(DUE_LISTS_BY_CODE[code], unit))


def subjects(app, fuzhou, code, unit_key, kind="employer") -> set[str]:
    ids = {row.subject_id for row in listed(app, fuzhou, code, unit_key)}
    return {key for key, id_ in getattr(fuzhou, kind).items() if id_ in ids}


def test_detection_due_and_overdue_follow_the_risk_class_cycle(app, fuzhou):
    assert subjects(app, fuzhou, "detection_due", "p1") == {"S_due", "G_due"}
    assert subjects(app, fuzhou, "detection_overdue", "p1") == {"S_over", "S_never", "G_over"}
    assert subjects(app, fuzhou, "detection_overdue", "p") == {"S_over", "S_never", "G_over", "S_p2"}
    due = {row.name: row for row in listed(app, fuzhou, "detection_due", "p1")}
    fields = {field.key: field for field in DUE_LISTS_BY_CODE["detection_due"].fields}
    assert fields["cycle"].value(due["福州S_due"]) == 1 and fields["cycle"].value(due["福州G_due"]) == 3
    assert fields["cycle_end"].value(due["福州S_due"]) == T + timedelta(days=30)
    assert fields["cycle_end"].value(due["福州G_due"]) == T + timedelta(days=10)


def test_declared_employers_not_patrolled_this_half_year(app, fuzhou):
    assert subjects(app, fuzhou, "not_patrolled", "p") == {"D_old", "D_none"}
    last = {row.name: row.last_patrol for row in listed(app, fuzhou, "not_patrolled", "p1")}
    assert last["福州D_none"] is None and last["福州D_old"] < date(T.year, 1 if T.month <= 6 else 7, 1)


def test_new_employers_of_this_year_not_yet_screened(app, fuzhou):
    assert subjects(app, fuzhou, "new_not_screened", "p") == {"N_new"}


def test_managed_patients_not_visited_this_year(app, fuzhou):
    assert subjects(app, fuzhou, "patients_not_visited", "p1", "patient") == {"PA_unvisited"}
    assert subjects(app, fuzhou, "patients_not_visited", "p", "patient") == {"PA_unvisited", "PB_unvisited"}


def test_records_not_yet_submitted_with_days_and_lateness(app, fuzhou):
    found = {row.subject_id: row for row in listed(app, fuzhou, "unsubmitted", "p1")}
    record = fuzhou.record
    assert set(found) == {record["late"], record["returned"], record["new_draft"]}  # not the submitted one
    fields = {field.key: field for field in DUE_LISTS_BY_CODE["unsubmitted"].fields}
    late, returned = found[record["late"]], found[record["returned"]]
    assert (late.kind, fields["days"].value(late), fields["late"].value(late)) == ("patrol", 10, True)
    assert (returned.kind, fields["days"].value(returned), fields["late"].value(returned)) == ("screening", 2, False)
    assert returned.state == RETURNED and fields["state"].value(returned) == STATES[RETURNED]
    assert {row.subject_id for row in listed(app, fuzhou, "unsubmitted", "p2")} == {record["p2"]}


def test_records_returned_by_the_district_wait_for_the_township(app, fuzhou):
    assert {row.subject_id for row in listed(app, fuzhou, "returned", "p1")} == {fuzhou.record["returned"]}
    assert listed(app, fuzhou, "returned", "p2") == []


def test_declaration_candidates_not_verified_within_a_month(app, fuzhou):
    assert subjects(app, fuzhou, "candidates_overdue", "p1", "candidate") == {"C_over"}
    assert subjects(app, fuzhou, "candidates_overdue", "p", "candidate") == {"C_over", "C_p2"}


def test_townships_with_100_pneumoconiosis_patients_and_no_rehab_station(app, fuzhou):
    found = listed(app, fuzhou, "rehab_station", "city")
    assert [(row.subject_id, row.patients) for row in found] == [(fuzhou.unit["q1"], 100)]


def test_a_clerk_sees_only_their_township_on_every_list(app, fuzhou, login):
    client = login("fzclerkp1")
    html = client.get("/due/detection_overdue").data.decode()
    assert "福州S_never" in html and "福州S_p2" not in html
    assert fuzhou.employer["S_never"] in listed_ids(html.encode(), "/employers")
    html = client.get("/due/evaluation_overdue").data.decode()  # 现状评价: none is on record in Fuzhou
    assert "福州S_never" in html and "福州D_now" in html and "最近现状评价" in html
    for code in ("detection_due", "evaluation_due", "evaluation_overdue", "not_patrolled", "new_not_screened",
                 "patients_not_visited", "unsubmitted", "returned", "candidates_overdue"):
        html = client.get(f"/due/{code}").data.decode()
        assert "福州S_p2" not in html and "福州N_p2" not in html and "福州C_p2" not in html
        assert "福州PB_unvisited" not in html, code
    assert client.get(f"/due/detection_overdue?unit={fuzhou.unit['p2']}").status_code == 404
    assert client.get(f"/due/detection_overdue?unit={fuzhou.unit['p']}").status_code == 404
    assert client.get(f"/due/detection_overdue/xlsx?unit={fuzhou.unit['p2']}").status_code == 404
    assert client.get("/due/rehab_station").status_code == 404  # institutions are the district's
    assert client.get("/due/no_such_list").status_code == 404


def test_a_district_admin_narrows_a_list_to_one_township_and_pages_it(app, fuzhou, login):
    client = login("fzdistrictp")
    html = client.get("/due/detection_overdue").data.decode()
    assert "福州S_never" in html and "福州S_p2" in html
    html = client.get(f"/due/detection_overdue?unit={fuzhou.unit['p2']}").data.decode()
    assert "福州S_p2" in html and "福州S_never" not in html
    assert client.get(f"/due/detection_overdue?unit={fuzhou.unit['q']}").status_code == 404
    assert "福州S_never" in client.get("/due/detection_overdue?page=9").data.decode()  # past the end: the last page
    with app.app_context():
        overdue, p = DUE_LISTS_BY_CODE["detection_overdue"], db.session.get(OrgUnit, fuzhou.unit["p"])
        first, second = page(overdue, p, 1, 3), page(overdue, p, 2, 3)
        assert len(first) == 3 and len(second) == 1
        assert {row.subject_id for row in first + second} == {row.subject_id for row in rows(overdue, p)}


def test_the_xlsx_download_has_the_lists_rows_under_chinese_headers(app, fuzhou, login):
    client = login("fzclerkp1")
    response = client.get("/due/unsubmitted/xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert table[0] == ["记录", "企业名称", "街道（乡镇）", "访视日期", "状态", "距访视天数", "是否已逾期"]
    assert sorted((row[0], row[1], row[5], row[6]) for row in table[1:]) == [
        ("巡查", "福州N_old", 10, "是"), ("排查", "福州N_new", 0, "否"), ("排查", "福州N_old", 2, "否")]


def test_a_list_longer_than_a_worksheet_is_refused_back_on_the_list(fuzhou, login, monkeypatch):
    monkeypatch.setattr("app.views.due.SHEET_ROWS", 4)  # title, headers and two rows
    client = login("fzclerkp1")
    response = client.get("/due/unsubmitted/xlsx")
    assert response.status_code == 302 and response.headers["Location"] == "/due/unsubmitted"
    assert "导出的记录超过 Excel 的上限 2 行，请先用筛选条件缩小范围（当前 3 行）" in client.get("/due/unsubmitted").data.decode()


def test_home_page_counts_per_role(app, fuzhou, login):
    def home_counts(username):
        html = login(username).get("/").data.decode()
        return html, {code: int(html.split(f'data-list="{code}"')[1].split("<strong>")[1].split("<")[0])
                      for code in DUE_LISTS_BY_CODE if f'data-list="{code}"' in html}

    html, clerk = home_counts("fzclerkp1")
    # no 4-2 row is a 现状评价: every serious-risk active employer's evaluation is overdue (tests/test_detection_rules)
    assert clerk == {"detection_due": 2, "detection_overdue": 3, "evaluation_due": 0, "evaluation_overdue": 7,
                     "not_patrolled": 2, "new_not_screened": 1,
                     "patients_not_visited": 1, "unsubmitted": 3, "returned": 1, "candidates_overdue": 1}
    assert "/patrols/add" in html and "/screenings/add" in html
    html, district = home_counts("fzdistrictp")
    assert district == {"detection_due": 2, "detection_overdue": 4, "evaluation_due": 0, "evaluation_overdue": 8,
                        "not_patrolled": 2, "new_not_screened": 1,
                        "patients_not_visited": 2, "unsubmitted": 4, "returned": 1, "candidates_overdue": 2,
                        "rehab_station": 0}
    assert "待审核的上报记录：1" in html and "_flt_3_state=submitted" in html
    review = login("fzdistrictp").get("/screenings/list/?_flt_3_state=submitted").data
    assert fuzhou.record["submitted"] in listed_ids(review, "/screenings")
    assert fuzhou.record["returned"] not in listed_ids(review, "/screenings")
    html, leader = home_counts("fzleader")
    assert leader["rehab_station"] == 1 and "/reports/rollup" in html
    html, audit = home_counts("auditor")
    assert audit == {} and "/auditlog/list" in html


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_counts_match_the_lists(app, fuzhou):
    with app.app_context():
        p = db.session.get(OrgUnit, fuzhou.unit["p"])
        found = counts(list(DUE_LISTS_BY_CODE.values()), p)
        for code, due_list in DUE_LISTS_BY_CODE.items():
            assert found[code] == len(list(rows(due_list, p))) == count(due_list, p)


def test_counts_match_the_lists_in_every_unit_and_over_the_whole_tree(app, fuzhou):
    """The counts leave out the shown columns, and a unit spanning every unit has no subtree condition
    at all: neither may change what is counted."""
    with app.app_context():
        units = [db.session.get(OrgUnit, fuzhou.unit[key]) for key in ("city", "p", "q", "p1", "p2", "q1")]
        roots = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).all()
        assert len(roots) > 1 and not spans_every_unit(units[0].path) and spans_every_unit("")
        everything = SimpleNamespace(path="")  # the subtree of every unit, e.g. the only city's
        for due_list in DUE_LISTS_BY_CODE.values():
            for unit in units:
                assert count(due_list, unit) == len(list(rows(due_list, unit))), (due_list.code, unit.name)
            assert count(due_list, everything) == len(list(rows(due_list, everything))) == sum(
                count(due_list, root) for root in roots), due_list.code


def kept_dates() -> dict:
    return {row.id: (row.last_detected_on, row.last_screened_on, row.last_patrolled_on)
            for row in db.session.execute(select(Employer.id, Employer.last_detected_on, Employer.last_screened_on,
                                                 Employer.last_patrolled_on))}


def scanned_dates() -> dict:
    """The same dates read from the visits themselves."""
    reported = (SUBMITTED, ACCEPTED)
    found = {employer_id: [None, None, None] for employer_id in db.session.scalars(select(Employer.id))}

    def take(position, query):
        for employer_id, day in db.session.execute(query):
            if day is not None and (found[employer_id][position] is None or day > found[employer_id][position]):
                found[employer_id][position] = day

    take(0, select(Screening.employer_id, Screening.detection_report_date).where(Screening.state.in_(reported)))
    take(0, select(HealthArchive.employer_id, ExposureDetection.detected_on)
         .join(ExposureDetection, ExposureDetection.archive_id == HealthArchive.id))
    take(1, select(Screening.employer_id, Screening.visit_date).where(Screening.state.in_(reported)))
    take(2, select(Patrol.employer_id, Patrol.visit_date).where(Patrol.state.in_(reported)))
    return {employer_id: tuple(dates) for employer_id, dates in found.items()}


def test_the_dates_employers_keep_follow_every_write_to_their_visits(app, fuzhou):
    """Insert, edit, workflow step, move to another employer and delete — by the session, by a workflow
    step's own UPDATE and by bulk statements — each leaves the kept dates equal to a scan of the visits.
    Everything is rolled back at the end."""
    def check(step):
        db.session.flush()
        assert kept_dates() == scanned_dates(), step

    with app.app_context():
        session, employer = db.session, fuzhou.employer
        try:
            check("as built")
            template = session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == SHANGHAI_TEMPLATE))
            normal = session.scalar(select(ProductionStatus).where(ProductionStatus.code == "1"))
            d_none = session.get(Employer, employer["D_none"])
            patrol = Patrol(employer=d_none, visit_date=T - timedelta(days=3), template=template,
                            production_status=normal, state=ACCEPTED, submitted_at=datetime.now())
            patrol.fill_answers({number: (PRESENT if number != 7 else ABSENT, None) for number in range(1, 8)})
            session.add(patrol)
            check("a reported patrol added")

            late = session.get(Patrol, fuzhou.record["late"])
            late.visit_date = T - timedelta(days=12)
            check("a draft's visit date edited")
            late.submit()
            check("a draft patrol submitted (the workflow's own UPDATE)")
            late.accept()
            check("accepted")

            returned = session.get(Screening, fuzhou.record["returned"])
            returned.detection_status, returned.detection_report_date = "all", T - timedelta(days=20)
            returned.detection_report_number, returned.detection_agency = "JC-2", "福州市疾控中心"
            check("a returned screening's detection filled in")
            returned.submit()
            check("the screening submitted")

            detection = session.scalar(select(ExposureDetection).join(HealthArchive).where(
                HealthArchive.employer_id == employer["G_ok"]))
            detection.detected_on = T - timedelta(days=1)
            check("an archive 4-2 date edited")

            session.execute(update(Screening).where(Screening.id == fuzhou.record["submitted"])
                            .values(employer_id=employer["N_done"]))
            check("a submitted screening moved to another employer")
            session.execute(update(HealthArchive).where(HealthArchive.employer_id == employer["G_ok"])
                            .values(employer_id=employer["N_old"]))
            check("an archive moved to another employer")

            session.delete(patrol)
            check("a patrol deleted")
            session.execute(delete(ExposureDetection).where(ExposureDetection.id == detection.id))
            check("an archive 4-2 row deleted")
            archive = session.scalar(select(HealthArchive).where(HealthArchive.employer_id == employer["S_over"]))
            session.delete(archive)
            check("an archive deleted with its rows")
            session.execute(update(Screening).where(Screening.employer_id == employer["S_due"]).values(state=RETURNED))
            check("a reported screening returned in bulk")

            session.execute(insert(Patrol), [
                {"employer_id": employer[key], "org_unit_id": fuzhou.unit["p1"], "visit_date": T - timedelta(days=2),
                 "template_id": template.id, "production_status_id": normal.id, "state": SUBMITTED,
                 "submitted_at": datetime.now()} for key in ("D_old", "D_none")])
            check("patrols inserted in bulk")
        finally:
            session.rollback()
