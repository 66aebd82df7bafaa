"""Row-level scoping: what each user sees is bounded by their org unit's subtree, on every path."""
import random
import re
from html import unescape
from urllib.parse import urlencode

from sqlalchemy import select

from app.models import Employer, OrgUnit, PortalUser, db
from app.models.org import in_subtree
from app.seed.demo import make_credit_code
from tests.conftest import employer_ids_in
from tests.versions import put_record


def listed_ids(html: bytes, base: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'{base}/show/(\d+)', html.decode())}


def employers_listed(client) -> set[int]:
    """Every employer the list shows the user, page after page (other tests add employers to the city)."""
    found, page = set(), 0
    while True:
        response = client.get(f"/employers/list/?psize_EmployerView=100&page_EmployerView={page}")
        assert response.status_code == 200
        shown = listed_ids(response.data, "/employers")
        if not shown - found:
            return found
        found, page = found | shown, page + 1


def option_values(html: bytes, field: str) -> set[str]:
    select_html = re.search(rf'<select[^>]*id="{field}".*?</select>', html.decode(), re.S).group(0)
    return {v for v in re.findall(r'<option[^>]*value="([^"]*)"', select_html) if v not in ("", "__None")}


def picker_url(html: bytes, field: str) -> str:
    """Where the server-searched picker ``field`` of a page asks for its records."""
    select_html = re.search(rf'<select[^>]*id="{field}"[^>]*>', html.decode()).group(0)
    return unescape(re.search(r'data-picker-url="([^"]*)"', select_html).group(1))


def picker_answers(client, url: str, q: str = "") -> list[dict]:
    """Every record a picker offers for the text ``q``, page after page, as select2 reads them."""
    found, page, more = [], 1, True
    while more:
        answer = client.get(f"{url}&{urlencode({'q': q, 'page': page})}")
        assert answer.status_code == 200, url
        found += answer.json["results"]
        more, page = answer.json["pagination"]["more"], page + 1
    return found


def picker_values(client, page: str, field: str, q: str = "") -> set[str]:
    """The ids the picker ``field`` of the form at ``page`` offers."""
    url = picker_url(client.get(page).data, field)
    return {str(record["id"]) for record in picker_answers(client, url, q)}


def test_clerk_lists_exactly_their_townships_employers(app, city, login):
    client = login("clerka1")
    assert employers_listed(client) == employer_ids_in(app, "a1", city=city)


def test_district_admin_sees_exactly_its_townships(app, city, login):
    client = login("districta")
    assert employers_listed(client) == employer_ids_in(app, "a", city=city)
    units = listed_ids(client.get("/orgunits/list/?psize_OrgUnitView=100").data, "/orgunits")
    assert units == {city.unit["a"], city.unit["a1"], city.unit["a2"]}


def test_city_admin_sees_the_whole_city(app, city, login):
    client = login("cityadmin")
    assert employers_listed(client) == employer_ids_in(app, "city", city=city)


def test_another_townships_employer_is_404_on_every_path(city, login):
    client = login("clerka1")
    other = city.employer["b1_1"]
    assert client.get(f"/employers/show/{other}").status_code == 404
    assert client.get(f"/employers/edit/{other}").status_code == 404
    assert client.post(f"/employers/edit/{other}", data={"name": "taken"}).status_code == 404
    assert client.post(f"/employers/delete/{other}").status_code == 404
    assert client.get(f"/api/v1/employer/{other}").status_code == 404
    assert client.put(f"/api/v1/employer/{other}", json={"name": "taken"}).status_code == 404
    assert client.delete(f"/api/v1/employer/{other}").status_code == 404
    assert client.post("/employers/action_post", data={"action": "muldelete", "rowid": [str(other)]}
                       ).status_code in (302, 404)
    with client.application.app_context():
        assert db.session.get(Employer, other).name != "taken"


def test_bulk_delete_with_an_outside_id_deletes_nothing_outside(app, city, login):
    client = login("clerka1")
    other = city.employer["b2_1"]
    client.post("/employers/action_post", data={"action": "muldelete", "rowid": [str(other)]})
    with app.app_context():
        assert db.session.get(Employer, other) is not None


def test_search_and_api_list_never_show_other_townships(app, city, login):
    client = login("clerka1")
    response = client.get("/employers/list/?_flt_2_name=徐汇区")  # B's employers are named after it
    assert listed_ids(response.data, "/employers") == set()
    pages = [client.get(f"/api/v1/employer/?q=(page:{page},page_size:100)").json for page in range(5)]
    assert {row["id"] for api in pages for row in api["result"]} == employer_ids_in(app, "a1", city=city)
    assert pages[0]["count"] == len(employer_ids_in(app, "a1", city=city)) < 500


def test_dropdowns_offer_only_units_in_scope(city, login):
    client = login("clerka1")
    assert picker_values(client, "/employers/add", "org_unit") == {str(city.unit["a1"])}
    client = login("districta")
    assert picker_values(client, "/employers/add", "org_unit") == {
        str(city.unit["a1"]), str(city.unit["a2"])}


def test_api_related_field_values_are_scoped(city, login):
    client = login("clerka1")
    response = client.get("/api/v1/employer/_info?q=(keys:!(add_columns))")
    assert response.status_code == 200
    field = next(f for f in response.json["add_columns"] if f["name"] == "org_unit")
    assert {value["id"] for value in field["values"]} == {city.unit["a1"]}


def test_clerk_cannot_create_an_employer_in_another_township(app, city, login):
    client = login("clerka1")
    response = client.post("/employers/add", data={
        "name": "越界企业", "credit_code_pending": "y", "org_unit": str(city.unit["b1"]),
        "total_workers": "5", "female_workers": "0", "outsourced_workers": "0",
        "registered_on": "2026-01-05"})
    assert response.status_code == 200  # the form again, with the message next to the field
    with app.app_context():
        assert db.session.scalar(select(Employer).where(Employer.name == "越界企业")) is None
    api = client.post("/api/v1/employer/", json={
        "name": "越界企业", "credit_code_pending": True, "org_unit": city.unit["b1"],
        "total_workers": 5, "female_workers": 0, "outsourced_workers": 0})
    assert api.status_code == 422
    assert "org_unit" in api.json["message"]
    with app.app_context():
        assert db.session.scalar(select(Employer).where(Employer.name == "越界企业")) is None


def test_clerk_cannot_move_their_employer_out_of_their_township(app, city, login):
    client = login("clerka1")
    mine = city.employer["a1_3"]
    api = put_record(client, f"/api/v1/employer/{mine}", {"org_unit": city.unit["a2"]})
    assert api.status_code == 422
    with app.app_context():
        assert db.session.get(Employer, mine).org_unit_id == city.unit["a1"]


def test_district_admin_manages_users_only_inside_the_district(app, city, login):
    client = login("districta")
    html = client.get("/users/list/?psize_PortalUserView=100").data.decode()
    assert "clerka1" in html and "districta" in html
    assert "clerkb1" not in html and "cityadmin" not in html
    with app.app_context():
        clerk_b = db.session.scalar(select(PortalUser.id).where(PortalUser.username == "clerkb1"))
    assert client.get(f"/users/show/{clerk_b}").status_code == 404
    roles = option_values(client.get("/users/add").data, "roles")
    with app.app_context():
        from flask_appbuilder.security.sqla.models import Role
        names = set(db.session.scalars(select(Role.name).where(Role.id.in_([int(r) for r in roles]))))
    assert names == {"District admin", "Township clerk", "Leader"}
    units = picker_values(client, "/users/add", "org_unit")
    assert units == {str(city.unit[k]) for k in ("a", "a1", "a2")}


def test_district_admin_creates_a_clerk_in_the_district_but_not_outside(app, city, login):
    client = login("districta")
    with app.app_context():
        from flask_appbuilder.security.sqla.models import Role
        clerk_role = db.session.scalar(select(Role.id).where(Role.name == "Township clerk"))
    form = {"username": "newclerka2", "name": "新协管员", "email": "n@a2.invalid",
            "org_unit": str(city.unit["a2"]), "roles": [str(clerk_role)], "active": "y",
            "password": "Xx@12345678", "conf_password": "Xx@12345678"}
    assert client.post("/users/add", data=form).status_code == 302
    outside = {**form, "username": "newclerkb2", "email": "n@b2.invalid", "org_unit": str(city.unit["b2"])}
    assert client.post("/users/add", data=outside).status_code == 200
    with app.app_context():
        made = {u.username: u.org_unit_id for u in db.session.scalars(
            select(PortalUser).where(PortalUser.username.in_(["newclerka2", "newclerkb2"])))}
    assert made == {"newclerka2": city.unit["a2"]}


def test_subtree_is_one_prefix_query(app, city):
    with app.app_context():
        district = db.session.get(OrgUnit, city.unit["a"])
        assert district.path == "310000/310101/"
        ids = set(db.session.scalars(select(OrgUnit.id).where(OrgUnit.path.startswith(district.path))))
        assert ids == {city.unit["a"], city.unit["a1"], city.unit["a2"]}


def test_a_city_admin_whose_city_is_the_whole_hierarchy_is_not_filtered_but_never_sees_another_city(
        app, city, login):
    """The whole-hierarchy shortcut (``in_subtree``) holds only while no unit lies outside the city."""
    with app.app_context():
        shanghai = db.session.get(OrgUnit, city.unit["city"])
        outside = db.session.scalar(select(OrgUnit.id).where(~OrgUnit.path.startswith(shanghai.path)).limit(1))
        assert (in_subtree(Employer.org_unit_id, shanghai.path) is None) == (outside is None)
        other = OrgUnit(level="city", code="450100", name="南宁市")
        district = OrgUnit(level="district", code="450102", name="兴宁区", parent=other)
        township = OrgUnit(level="township", code=f"{district.code}001", name="民生街道", parent=district)
        stranger = Employer(name="南宁企业", org_unit=township, total_workers=5,
                            credit_code=make_credit_code(random.Random(3), "450102"))
        db.session.add_all([other, district, township, stranger])
        db.session.commit()
        ids = [stranger.id, township.id, district.id, other.id]
        assert in_subtree(Employer.org_unit_id, shanghai.path) is not None
    try:
        client = login("cityadmin")
        listed = employers_listed(client)
        assert listed == employer_ids_in(app, "city", city=city)
        assert ids[0] not in listed
        assert client.get(f"/employers/show/{ids[0]}").status_code == 404
    finally:
        with app.app_context():
            db.session.delete(db.session.get(Employer, ids[0]))
            for unit_id in ids[1:]:
                db.session.delete(db.session.get(OrgUnit, unit_id))
            db.session.commit()


def test_a_list_counts_its_rows_up_to_the_cap_and_the_api_and_export_count_all(app, city, login, monkeypatch):
    """Issue 15 item 4: a list page's count stops at LIST_COUNT_CAP (shown "N+", the page links up to it):
    counting a province's 20 000 000 patrols would cost more than the page."""
    from app import scoping

    client = login("cityadmin")
    everything = len(employer_ids_in(app, "city", city=city))
    assert everything > 4
    assert re.search(rf"</strong>\s*{everything}\s*</div>", client.get("/employers/list/").get_data(as_text=True))
    monkeypatch.setattr(scoping, "LIST_COUNT_CAP", 4)
    page = client.get("/employers/list/?psize_EmployerView=2").get_data(as_text=True)
    assert re.search(r"</strong>\s*4\+\s*</div>", page)
    assert 'page_EmployerView=1"' in page and 'page_EmployerView=2"' not in page  # 4 rows: two pages of 2
    with app.app_context():  # outside a list page (the API, an export's check) the count is all of them
        interface = scoping.ScopedInterface(Employer, db.session)
        count, rows = interface.query(page=0, page_size=2)
        assert count == len(interface.query()[1]) > 4 and len(rows) == 2
        assert not isinstance(count, scoping.AtLeast)
