"""Relation pickers that search on the server (issue 11): however many employers and patrols a township has,
no page lists them as choices; a picker asks its view for one page of the user's own records by name or code,
and a record outside them — posted in a form or named in a search filter — is refused or matches nothing."""
import json
import re
from datetime import date

import pytest
from flask_appbuilder.baseviews import BaseCRUDView
from sqlalchemy import delete, func, insert, select

from app.models import (ChecklistTemplate, Employer, HazardReport, OrgUnit, Patrol, PortalUser, ProductionStatus,
                        TrainingActivity, db)
from app.views.pickers import PAGE_SIZE
from tests.fieldwork import add_patrol, errors_by_field, patrol_form
from tests.test_fieldwork_hazard_reports import report_form
from tests.test_patient import add_patient, patient_named
from tests.test_scoping import picker_answers, picker_url
from tests.versions import edit_form

CROWD = 3000  # employers, and as many patrols, in the clerk's township
CROWD_NAME = "选择器压测企业"
BUSINESS_USERS = ("cityadmin", "leader", "districta", "clerka1")
MAX_OPTIONS = 200
# An <option> in the page, or in the search panel's field templates (JSON in a script: "<" is escaped).
OPTION = re.compile(r"<option\b|\\u003coption\b", re.I)
REFUSED = "所选记录不存在或不在您的辖区内"


@pytest.fixture(scope="module")
def crowded_township(app, city):
    """Thousands of employers, each with a patrol, in township a1 — inserted in bulk, removed afterwards."""
    with app.app_context():
        clerk = db.session.scalar(select(PortalUser.id).where(PortalUser.username == "clerka1"))
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        status = db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == "1"))
        before = db.session.scalar(select(func.max(Employer.id)))
        db.session.execute(insert(Employer), [
            {"name": f"{CROWD_NAME}{n:05d}", "org_unit_id": city.unit["a1"], "credit_code_pending": True,
             "registered_on": date(2025, 1, 1)} for n in range(CROWD)])
        employers = db.session.scalars(select(Employer.id).where(Employer.id > before)).all()
        db.session.execute(insert(Patrol), [
            {"employer_id": employer, "org_unit_id": city.unit["a1"], "template_id": template,
             "production_status_id": status, "visit_date": date(2025, 3, 1), "coordinator_id": clerk}
            for employer in employers])
        db.session.commit()
    yield employers
    with app.app_context():
        db.session.execute(delete(Patrol).where(Patrol.employer_id.in_(employers)))
        db.session.execute(delete(Employer).where(Employer.id.in_(employers)))
        db.session.commit()


def search_field(html: str, column: str) -> str:
    """The search panel's template of a field (Flask-AppBuilder writes them into a script, as JSON)."""
    return json.loads(re.search(rf'"{column}": ("\\u003cselect.*?\\u003c/select\\u003e")', html).group(1))


def pages_to_open(client, view) -> list[str]:
    """A model view's list, add form, and — for its first listed record — show page, edit form and the add
    forms its related views link to (carrying the record)."""
    base = view.route_base
    listing = client.get(f"{base}/list/")
    if listing.status_code != 200:  # a view this role may not open
        return []
    pages = [f"{base}/list/", f"{base}/add"]
    first = re.search(rf'{base}/show/(\d+)', listing.data.decode())
    if first:
        show = client.get(f"{base}/show/{first.group(1)}").data.decode()
        related_adds = re.findall(r'href="([^"]*/add\?_flt_\d_[^"]*)"', show)
        pages += [f"{base}/show/{first.group(1)}", f"{base}/edit/{first.group(1)}",
                  *[link.replace("&amp;", "&") for link in related_adds]]
    return pages


@pytest.mark.parametrize("username", BUSINESS_USERS)
def test_no_page_offers_more_than_a_page_of_choices_in_a_crowded_township(app, crowded_township, login,
                                                                          username):
    client = login(username)
    opened = []
    for view in app.appbuilder.baseviews:
        if not isinstance(view, BaseCRUDView):
            continue
        for page in pages_to_open(client, view):
            response = client.get(page)
            if response.status_code == 200:
                options = len(OPTION.findall(response.data.decode()))
                assert options <= MAX_OPTIONS, (username, page, options)
                opened.append(page)
    assert "/employers/list/" in opened and "/patrols/list/" in opened
    if username == "clerka1":
        assert {"/employers/add", "/patrols/add", "/screenings/add", "/hazardreports/add"} <= set(opened)
        assert any(page.startswith("/patrols/edit/") for page in opened)
        assert any("_flt_0_patrol=" in page for page in opened)  # a patrol's hazard report, from its page


def all_pickers(app):
    """(view, form kind, column, PickerSource) of every picker of every registered view."""
    return [(view, kind, column, source) for view in app.appbuilder.baseviews
            for (kind, column), source in getattr(view, "pickers", {}).items()]


def test_every_relation_to_a_growing_model_is_a_picker(app):
    found = {(type(view).__name__, kind, column) for view, kind, column, _ in all_pickers(app)}
    for expected in (("PatrolView", "add", "employer"), ("PatrolView", "search", "employer"),
                     ("ScreeningView", "add", "coordinator"), ("HazardReportView", "edit", "patrol"),
                     ("HazardReportView", "add", "org_unit"), ("TrainingActivityView", "add", "employers"),
                     ("PatientView", "edit", "onset_employer"), ("FollowUpVisitView", "add", "patient"),
                     ("ArchiveProductView", "add", "archive"), ("CoordinatorView", "add", "user"),
                     ("InstitutionProblemView", "add", "institution"), ("PortalUserView", "add", "org_unit"),
                     ("PortalUserView", "search", "org_unit"), ("ClosedYearView", "search", "closed_by"),
                     ("CoordinatorTrainingView", "search", "coordinator")):
        assert expected in found, expected


def test_a_clerk_of_another_township_gets_none_of_the_crowded_townships_records(app, city, crowded_township,
                                                                                 login):
    client = login("clerkb1")
    with app.app_context():
        b1 = db.session.get(OrgUnit, city.unit["b1"]).path
    asked = 0
    for view, kind, column, source in all_pickers(app):
        url = f"{view.route_base}/picker/{column}?form={kind}"
        if client.get(url).status_code != 200:  # a view the clerk may not read
            continue
        with app.app_context():
            model = source.model
            condition = model.scope_clause(b1) if hasattr(model, "scope_clause") else None
            allowed = set(db.session.scalars(select(model.id).where(condition) if condition is not None
                                             else select(model.id)))
        offered = {record["id"] for record in picker_answers(client, url)}
        assert offered <= allowed, url
        if model is Employer:
            assert not offered & set(crowded_township), url
        asked += 1
    assert asked > 20


def test_the_picker_finds_employers_by_name_and_credit_code_a_page_at_a_time(app, city, crowded_township, login):
    client = login("clerka1")
    url = picker_url(client.get("/patrols/add").data, "employer")
    first = client.get(f"{url}&q=&page=1").json
    second = client.get(f"{url}&q=&page=2").json
    assert len(first["results"]) == PAGE_SIZE and first["pagination"]["more"]
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    by_name = client.get(f"{url}&q={CROWD_NAME}00123").json["results"]
    assert [r["text"] for r in by_name] == [f"{CROWD_NAME}00123（尚未取得统一社会信用代码）"]
    assert len(picker_answers(client, url, f"{CROWD_NAME}01")) == 1000
    with app.app_context():
        coded = db.session.scalars(select(Employer).where(Employer.org_unit_id == city.unit["a1"],
                                                          Employer.credit_code.is_not(None))).first()
    by_code = client.get(f"{url}&q={coded.credit_code[-8:]}").json["results"]
    assert coded.id in {r["id"] for r in by_code} and all(coded.credit_code[-8:] in r["text"] for r in by_code)
    assert client.get(f"{url}&q=100%25").json["results"] == []  # % is a character, not a wildcard


def test_units_are_found_by_name_or_code_and_patients_by_name_only(app, city, login):
    client = login("districta")
    url = picker_url(client.get("/employers/add").data, "org_unit")
    assert [r["id"] for r in client.get(f"{url}&q=黄浦区2").json["results"]] == [city.unit["a2"]]
    assert {r["id"] for r in client.get(f"{url}&q=02").json["results"]} == {city.unit["a2"]}
    clerk = login("clerka1")
    add_patient(clerk, app, city, name="选择器病人")
    patient = patient_named(app, "选择器病人")
    url = picker_url(clerk.get("/followupvisitview/add").data, "patient")
    assert [r["id"] for r in clerk.get(f"{url}&q=选择器").json["results"]] == [patient.id]
    assert clerk.get(f"{url}&q={patient.id_number[:10]}").json["results"] == []


def test_a_picker_answers_whoever_may_read_the_view_and_no_one_else(login):
    assert login("leader").get("/patrols/picker/employer?form=search").status_code == 200
    assert login("auditor").get("/patrols/picker/employer?form=search").status_code in (302, 403)
    assert login("clerka1").get("/patrols/picker/template?form=add").status_code == 404  # a static select
    assert login("clerka1").get("/patrols/picker/employer?form=other").status_code == 404


def test_an_untouched_add_form_has_no_employer_chosen(login):
    client = login("clerka1")
    for page in ("/patrols/add", "/screenings/add", "/archives/add"):
        html = client.get(page).data.decode()
        picker = re.search(r'<select[^>]*id="employer".*?</select>', html, re.S).group(0)
        assert re.findall(r"<option[^>]*>", picker) == ['<option value="">'], page
        assert 'data-placeholder="请输入名称或代码搜索"' in picker


def test_the_edit_form_and_the_add_link_of_an_employer_show_the_chosen_one(app, city, login):
    client = login("clerka1")
    record = add_patrol(app, city, "a1_2")
    with app.app_context():
        labels = {key: db.session.get(Employer, city.employer[key]).picker_label for key in ("a1_2", "a1_3")}
    html = client.get(f"/patrols/edit/{record}").data.decode()
    picker = re.search(r'<select[^>]*id="employer".*?</select>', html, re.S).group(0)
    assert f'<option selected value="{city.employer["a1_2"]}">{labels["a1_2"]}</option>' in picker
    html = client.get(f"/patrols/add?employer={city.employer['a1_3']}").data.decode()
    assert f'<option selected value="{city.employer["a1_3"]}">{labels["a1_3"]}</option>' in html


def test_a_filter_in_the_url_shows_its_record_and_a_foreign_one_matches_nothing(app, city, login):
    client = login("clerka1")
    mine, foreign = city.employer["a1_1"], city.employer["b1_1"]
    add_patrol(app, city, "a1_1")
    html = client.get(f"/patrols/list/?_flt_0_employer={mine}").data.decode()
    with app.app_context():
        label = db.session.get(Employer, mine).picker_label
    assert f'<option value="{mine}">{label}</option>' in search_field(html, "employer")
    assert "/patrols/show/" in html
    for value in (foreign, "999999", "abc"):
        response = client.get(f"/patrols/list/?_flt_0_employer={value}")
        assert response.status_code == 200, value
        html = response.data.decode()
        assert "/patrols/show/" not in html and foreign_name(app, city) not in html, value


def test_a_foreign_missing_or_malformed_employer_is_refused_on_add(app, city, login):
    client = login("clerka1")
    before = count(app, Patrol)
    for value in (str(city.employer["b1_1"]), "999999", "abc"):
        response = client.post("/patrols/add", data={**patrol_form(app, city), "employer": value})
        assert response.status_code == 200, value
        assert errors_by_field(response.data).get("employer") == REFUSED, value
        assert foreign_name(app, city) not in response.data.decode()
    assert count(app, Patrol) == before


def test_a_foreign_employer_is_refused_on_edit_and_the_record_is_unchanged(app, city, login):
    client = login("clerka1")
    record = add_patrol(app, city, "a1_1")
    form = edit_form(client, f"/patrols/edit/{record}")
    response = client.post(f"/patrols/edit/{record}", data={**form, "employer": str(city.employer["b1_1"])})
    assert errors_by_field(response.data).get("employer") == REFUSED
    with app.app_context():
        assert db.session.get(Patrol, record).employer_id == city.employer["a1_1"]


def test_a_foreign_township_is_refused_for_a_hazard_report(app, city, login):
    client = login("clerka1")
    before = count(app, HazardReport)
    response = client.post("/hazardreports/add", data=report_form(
        category="complaint", description="越界线索", org_unit=str(city.unit["b1"])))
    assert errors_by_field(response.data).get("org_unit") == REFUSED
    assert count(app, HazardReport) == before


def test_a_foreign_employer_among_an_activitys_employers_is_refused_next_to_the_field(app, city, login):
    client = login("clerka1")
    before = count(app, TrainingActivity)
    response = client.post("/trainingactivities/add", data={
        "org_unit": str(city.unit["a1"]), "held_on": "2025-11-06", "kind": "promotion", "topic": "越界多选",
        "audience_count": "10", "employers": [str(city.employer["a1_1"]), str(city.employer["b1_1"])]})
    assert errors_by_field(response.data).get("employers") == REFUSED
    assert count(app, TrainingActivity) == before


def foreign_name(app, city) -> str:
    """The name of an employer of another district's township (b1): never on the clerk of a1's pages."""
    with app.app_context():
        return db.session.get(Employer, city.employer["b1_1"]).name


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
