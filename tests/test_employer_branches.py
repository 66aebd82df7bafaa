"""Branches (分支机构), Annex 4 cover note 3: "如填报单位无法人资格，但其上级具有法人资格的，应填写其上级单位的统一社会信用代码，
并在“单位名称”中注明上级单位名称". A branch gives its parent's credit code; the code stays unique among the
employers that are not branches, in the model and in the database; every employer keeps its own archive
number."""
import random

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.models import Employer, HealthArchive, OrgUnit, RecordInvalid, db
from app.seed.demo import make_credit_code
from tests.test_employer import employer_named, field_errors, form
from tests.test_exports import rows_of
from tests.test_scoping import picker_answers, picker_url


def parent_of(app, city, key: str) -> Employer:
    """A parent of its own in the township of the small city's employer ``key``: the branches made here
    share its code, and other tests search the small city's employers by theirs."""
    with app.app_context():
        township = db.session.get(Employer, city.employer[key]).org_unit
        parent = Employer(name=f"上级单位{random.randrange(10 ** 9)}", org_unit=township,
                          credit_code=make_credit_code(random.Random(), township.parent.code))
        db.session.add(parent)
        db.session.commit()
        db.session.refresh(parent)
        return parent


def test_a_clerk_registers_a_branch_with_its_parents_credit_code(app, city, login):
    """The clerk ticks 分支机构 and chooses the parent: the branch is saved with the parent's code and an
    archive number of its own; both pages show the link."""
    parent = parent_of(app, city, "a1_1")
    client = login("clerka1")
    response = client.post("/employers/add", data=form(city, name="甲企业浦江分公司", is_branch="y",
                                                       parent=str(parent.id), credit_code=parent.credit_code))
    assert response.status_code == 302, field_errors(response.data)
    branch = employer_named(app, "甲企业浦江分公司")
    assert (branch.is_branch, branch.parent_id, branch.credit_code) == (True, parent.id, parent.credit_code)
    assert branch.archive_number and branch.archive_number != parent.archive_number
    assert parent.name in client.get(f"/employers/show/{branch.id}").data.decode()
    assert "甲企业浦江分公司" in client.get(f"/employers/show/{parent.id}").data.decode()


def test_a_branch_left_without_a_code_takes_its_parents(app, city, login):
    parent = parent_of(app, city, "a1_2")
    response = login("clerka1").post("/employers/add", data=form(city, name="乙企业分部", is_branch="y",
                                                                 parent=str(parent.id), credit_code=""))
    assert response.status_code == 302, field_errors(response.data)
    assert employer_named(app, "乙企业分部").credit_code == parent.credit_code


def test_the_parents_code_without_the_branch_flag_is_refused_with_a_hint(app, city, login):
    parent = parent_of(app, city, "a1_1")
    response = login("clerka1").post("/employers/add", data=form(city, name="未勾选分支机构",
                                                                 credit_code=parent.credit_code))
    assert "分支机构" in field_errors(response.data)["credit_code"]
    assert employer_named(app, "未勾选分支机构") is None


@pytest.mark.parametrize("case, field, fragment", [
    ("other code", "credit_code", "上级单位"),
    ("no parent", "parent", "上级单位"),
    ("branch parent", "parent", "辖区"),  # the picker offers no branch: told as a record it does not offer
    ("parent elsewhere", "parent", "辖区"),
])
def test_a_branch_needs_a_parent_in_jurisdiction_that_is_no_branch_and_its_code(app, city, login, case, field,
                                                                                 fragment):
    parent = parent_of(app, city, "a1_3")
    data = {"is_branch": "y", "parent": str(parent.id), "credit_code": parent.credit_code}
    if case == "other code":
        data["credit_code"] = make_credit_code(random.Random(), "310101")  # a valid code, not the parent's
    elif case == "no parent":
        data["parent"] = ""
    elif case == "branch parent":
        with app.app_context():
            branch = Employer(name="分支的分支上级", org_unit=db.session.get(OrgUnit, city.unit["a1"]),
                              is_branch=True, parent_id=parent.id)
            db.session.add(branch)
            db.session.commit()
            data["parent"] = str(branch.id)
    else:
        data["parent"] = str(city.employer["b1_1"])
    name = f"分支机构{case}"
    response = login("clerka1").post("/employers/add", data=form(city, name=name, **data))
    assert fragment in field_errors(response.data).get(field, ""), field_errors(response.data)
    assert employer_named(app, name) is None


def test_the_parent_picker_offers_only_employers_that_are_no_branch_in_the_clerks_township(app, city, login):
    client = login("clerka1")
    offered = {int(answer["id"]) for answer in
               picker_answers(client, picker_url(client.get("/employers/add").data, "parent"))}
    with app.app_context():
        expected = set(db.session.scalars(select(Employer.id).where(
            Employer.org_unit_id == city.unit["a1"], Employer.is_branch.is_(False))))
    assert offered == expected and city.employer["a1_1"] in offered


def test_the_database_keeps_the_code_unique_among_employers_that_are_no_branch(app, city):
    """uq_employer_credit_code (migration 0015): a second non-branch with the code is refused by the
    database itself — on SQLite and PostgreSQL — while a branch may repeat it."""
    with app.app_context():
        parent = db.session.get(Employer, parent_of(app, city, "b2_1").id)
        columns = ("name, credit_code, credit_code_pending, is_branch, parent_id, org_unit_id, registered_on, "
                   "total_workers, female_workers, outsourced_workers, has_hazard, hazard_declared, version")
        insert = text(f"INSERT INTO employer ({columns}) VALUES (:name, :code, false, :branch, :parent, :unit, "
                      "'2026-01-01', 0, 0, 0, false, false, 1)")
        values = {"code": parent.credit_code, "unit": parent.org_unit_id}
        db.session.execute(insert, {**values, "name": "库里的分支", "branch": True, "parent": parent.id})
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(insert, {**values, "name": "库里的重号", "branch": False, "parent": None})
        db.session.rollback()


def add_branch(parent: Employer, name: str) -> Employer:
    """A branch of ``parent`` in its township, saved (within an app context)."""
    branch = Employer(name=name, org_unit=parent.org_unit, is_branch=True, parent=parent)
    db.session.add(branch)
    db.session.commit()
    return branch


def test_a_parents_new_code_is_its_branches(app, city):
    with app.app_context():
        parent = db.session.get(Employer, parent_of(app, city, "b2_2").id)
        branch = add_branch(parent, "跟随上级的分支")
        parent.credit_code, parent.credit_code_pending = None, True
        db.session.commit()
        db.session.refresh(branch)
        assert (branch.credit_code, branch.credit_code_pending) == (None, True)


def test_a_branch_of_a_branch_is_refused_by_the_model(app, city):
    with app.app_context():
        parent = db.session.get(Employer, parent_of(app, city, "b1_1").id)
        branch = add_branch(parent, "模型里的分支")
        db.session.add(Employer(name="分支的分支", org_unit=parent.org_unit, is_branch=True, parent=branch))
        with pytest.raises(RecordInvalid) as refused:
            db.session.commit()
        db.session.rollback()
    assert "itself a branch" in str(refused.value.problems["parent"])  # outside a request: English


def test_an_employer_with_branches_cannot_become_a_branch(app, city):
    with app.app_context():
        parent = db.session.get(Employer, parent_of(app, city, "b1_2").id)
        add_branch(parent, "有分支的上级之分支")
        parent.is_branch, parent.parent_id = True, city.employer["b1_3"]
        with pytest.raises(RecordInvalid) as refused:
            db.session.commit()
        db.session.rollback()
    assert "is_branch" in refused.value.problems


def test_the_list_and_its_export_show_each_branchs_parent(app, city, login):
    parent = parent_of(app, city, "a2_1")
    with app.app_context():
        db.session.add(Employer(name="导出的分支机构", org_unit=db.session.get(OrgUnit, city.unit["a2"]),
                                is_branch=True, parent_id=parent.id))
        db.session.commit()
    header, rows = rows_of(login("districta").get("/employers/export/"))
    row = next(row for row in rows if "导出的分支机构" in row)
    assert row[header.index("上级单位")] == parent.name
    assert row[header.index("统一社会信用代码")] == parent.credit_code


def test_the_api_registers_a_branch_under_the_same_rules(app, city, login):
    parent = parent_of(app, city, "a1_1")
    client = login("clerka1")
    refused = client.post("/api/v1/employer/", json={"name": "接口分支", "org_unit": city.unit["a1"],
                                                     "is_branch": True, "parent": parent.id,
                                                     "credit_code": "91310000MA1FL8LQ5N"})
    assert refused.status_code == 422 and "上级单位" in refused.json["message"]["credit_code"][0]
    created = client.post("/api/v1/employer/", json={"name": "接口分支", "org_unit": city.unit["a1"],
                                                     "is_branch": True, "parent": parent.id})
    assert created.status_code == 201, created.json
    assert employer_named(app, "接口分支").credit_code == parent.credit_code


def test_a_branchs_archive_cover_names_its_parent(app, city, login):
    """"并在“单位名称”中注明上级单位名称": the archive's cover shows the parent next to the branch's name."""
    parent = parent_of(app, city, "a1_1")
    with app.app_context():
        branch = Employer(name="建档的分支机构", org_unit=db.session.get(OrgUnit, city.unit["a1"]), is_branch=True,
                          parent_id=parent.id)
        archive = HealthArchive(employer=branch)
        db.session.add_all([branch, archive])
        db.session.commit()
        archive_id = archive.id
    page = login("clerka1").get(f"/archives/show/{archive_id}").data.decode()
    assert "上级单位" in page and parent.name in page
