"""Work summaries (Annex 6): due and submitted dates, lateness, the district's review, and the points each
summary costs in the assessment."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import OrgUnit, WorkSummary, db
from tests.programme_data import field_errors
from tests.versions import post_edit


def form(city, **overrides):
    data = {"org_unit": str(city.unit["a1"]), "year": "2025", "kind": "interim", "title": "上半年工作小结",
            "due_on": "2025-07-10", "submitted_on": "2025-07-08"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def summary_titled(app, title):
    with app.app_context():
        return db.session.scalar(select(WorkSummary).where(WorkSummary.title == title))


@pytest.mark.parametrize("kind, due, submitted, review, late, deduction", [
    ("interim", date(2025, 7, 10), date(2025, 7, 10), None, False, 0),
    ("interim", date(2025, 7, 10), date(2025, 7, 11), None, True, 2),
    ("annual", date(2025, 1, 15), date(2025, 1, 20), None, True, 5),
    ("annual", date(2025, 1, 15), None, None, True, 5),           # never submitted, past due
    ("annual", date.today() + timedelta(days=9), None, None, False, 0),
    ("annual", date(2025, 1, 15), date(2025, 1, 20), "nonconforming", True, 7),
    ("interim", date(2025, 7, 10), date(2025, 7, 1), "conforming", False, 0),
])
def test_lateness_and_annex_6_deductions(kind, due, submitted, review, late, deduction):
    summary = WorkSummary(kind=kind, due_on=due, submitted_on=submitted, review=review)
    assert (summary.late, summary.deduction) == (late, deduction)


def test_clerk_submits_and_the_district_reviews(app, city, login):
    clerk = login("clerka1")
    assert clerk.post("/worksummaries/add", data=form(city, title="三季度报表")).status_code == 302
    summary = summary_titled(app, "三季度报表")
    assert summary.review is None
    self_review = post_edit(clerk, f"/worksummaries/edit/{summary.id}", form(city, title="三季度报表",
                                                                               review="conforming"))
    assert "review" in field_errors(self_review.data)
    assert summary_titled(app, "三季度报表").review is None
    district = login("districta")
    no_reason = post_edit(district, f"/worksummaries/edit/{summary.id}", form(city, title="三季度报表",
                                                                              review="nonconforming"))
    assert "review_reason" in field_errors(no_reason.data)
    reviewed = post_edit(district, f"/worksummaries/edit/{summary.id}", form(
        city, title="三季度报表", review="nonconforming", review_reason="未附巡查登记表"))
    assert reviewed.status_code == 302
    assert summary_titled(app, "三季度报表").deduction == 2
    # the clerk may still correct other fields, leaving the district's review as it is
    fixed = post_edit(login("clerka1"), f"/worksummaries/edit/{summary.id}", form(
        city, title="三季度报表", notes="已补交附件", review="nonconforming", review_reason="未附巡查登记表"))
    assert fixed.status_code == 302
    assert summary_titled(app, "三季度报表").notes == "已补交附件"


@pytest.mark.parametrize("overrides, field", [
    ({"submitted_on": (date.today() + timedelta(days=1)).isoformat()}, "submitted_on"),
    ({"due_on": ""}, "due_on"),
    ({"kind": ""}, "kind"),
    ({"title": ""}, "title"),
    ({"year": "3000"}, "year"),
    ({"review_reason": "内容空泛"}, "review_reason"),
])
def test_bad_input_is_refused_next_to_its_field(app, city, login, overrides, field):
    response = login("clerka1").post("/worksummaries/add", data=form(city, notes="坏总结", **overrides))
    assert field in field_errors(response.data), field_errors(response.data)
    with app.app_context():
        assert db.session.scalar(select(WorkSummary).where(WorkSummary.notes == "坏总结")) is None


def test_only_a_submitted_summary_is_reviewed(app, city, login):
    response = login("districta").post("/worksummaries/add", data=form(
        city, title="未交的总结", submitted_on="", review="conforming"))
    assert "review" in field_errors(response.data)
    assert summary_titled(app, "未交的总结") is None


def test_the_list_shows_late_summaries_and_their_points(app, city, login):
    with app.app_context():
        db.session.add(WorkSummary(org_unit=db.session.get(OrgUnit, city.unit["a2"]), year=2024,
                                   kind="annual", title="迟交的年度总结", due_on=date(2025, 1, 10),
                                   submitted_on=date(2025, 2, 1)))
        db.session.commit()
    html = login("districta").get("/worksummaries/list/?_flt_0_year=2024").data.decode()
    assert "迟交的年度总结" in html and ">5<" in html.replace(" ", "").replace("\n", "")
