"""Users have one 姓名 (issue 13, finding 8): the forms ask one name, every page shows it whole, and an
upgrade keeps the names accounts had as Flask-AppBuilder's first and last name, family name first."""
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.models import OrgUnit, PortalUser, db
from app.models.security import full_name
from app.roles import CITY_ADMIN, TOWNSHIP_CLERK
from app.seed.demo import DEMO_USERS, make_user
from tests.conftest import PASSWORD
from tests.test_accounts import client_of, new_account
from tests.test_migrations import migrated_sqlite


def test_a_name_from_first_and_last_name_puts_a_chinese_family_name_first():
    assert full_name("三", "张") == "张三"
    assert full_name("小明", "欧阳") == "欧阳小明"
    assert full_name("Ada", "Lovelace") == "Ada Lovelace"  # a directory's Latin name, as it gives it
    assert full_name("三", None) == "三"


def test_the_security_admin_creates_and_renames_a_user_with_one_name_shown_whole_everywhere(app, city, login):
    client = login("sysadmin")
    form = new_account("zhangsan", city.unit["a1"])
    assert "name" in form and "first_name" not in form
    html = client.get("/users/add").get_data(as_text=True)
    assert 'id="name"' in html and 'id="first_name"' not in html and 'id="last_name"' not in html
    assert "姓名" in html
    assert client.post("/users/add", data={**form, "name": "张三"}).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(PortalUser).where(PortalUser.username == "zhangsan"))
        assert (user.name, user.get_full_name(), str(user)) == ("张三", "张三", "张三")
        assert (user.first_name, user.last_name) == ("张三", "")  # FAB's fields carry it in step
        uid = user.id
    assert "张三" in client.get("/users/list/?_flt_0_username=zhangsan").get_data(as_text=True)
    show = client.get(f"/users/show/{uid}").get_data(as_text=True)
    assert "张三" in show and "True" not in show and "None" not in show
    client = login("secadmin")
    from tests.test_accounts import save_account
    assert save_account(client, uid, name="张三丰").status_code == 302
    with app.app_context():
        user = db.session.get(PortalUser, uid)
        assert (user.name, user.first_name, user.last_name) == ("张三丰", "张三丰", "")


def test_the_user_sees_their_name_whole_in_the_greeting_and_the_navbar_and_edits_it_in_one_field(app, user):
    uid = user("lisi", name="李四")
    client = client_of(app, "lisi")
    home = client.get("/").get_data(as_text=True)
    assert "欢迎，李四" in home
    assert home.count("李四") >= 2  # the greeting and the navbar's user menu
    form = client.get("/userinfoeditview/form").get_data(as_text=True)
    assert 'id="name"' in form and "first_name" not in form and "修改姓名" in form
    assert client.post("/userinfoeditview/form", data={"name": "李思"}).status_code == 302
    with app.app_context():
        assert db.session.get(PortalUser, uid).name == "李思"
    assert "欢迎，李思" in client.get("/").get_data(as_text=True)


def test_flask_appbuilders_own_first_and_last_name_make_the_name(app, city):
    """FAB's own code (``flask fab create-admin``, a directory sign-in) sets first and last name."""
    with app.app_context():
        unit = db.session.get(OrgUnit, city.unit["a1"])
        user = make_user(app.appbuilder.sm, "wangwu", TOWNSHIP_CLERK, unit, PASSWORD,
                         first_name="五", last_name="王")
        db.session.add(user)
        db.session.commit()
        assert user.name == "王五"
        user.first_name = "伍"
        db.session.commit()
        assert user.name == "王伍"


def test_the_demo_users_have_one_name_each():
    assert [name for _, username, name, _ in DEMO_USERS if username == "clerk"] == ["乡镇协管员"]


def test_upgrading_keeps_each_users_name_family_name_first_and_their_roles(tmp_path):
    """0014 reads the stored first and last name: a user entered as 名 三, 姓 张 is 张三; the demo accounts,
    seeded given-name-first (乡镇 + 协管员), read as seeded. Plain ALTER TABLE: roles stay."""
    with migrated_sqlite(tmp_path / "names.db") as (directory, city):
        sm = current_app.appbuilder.sm
        with db.session.no_autoflush:  # each new user joins its role before the session holds it
            db.session.add_all([make_user(sm, "zhang", CITY_ADMIN, city, PASSWORD, name="x"),
                                make_user(sm, "clerk", TOWNSHIP_CLERK, city, PASSWORD, name="x")])
        db.session.commit()
        downgrade(directory=directory, revision="0013")
        db.session.remove()
        with db.engine.begin() as connection:  # as the accounts were before 0014
            connection.execute(text("UPDATE ab_user SET first_name = '三', last_name = '张', "
                                    "email = 'zhang@example.cn' WHERE username = 'zhang'"))
            connection.execute(text("UPDATE ab_user SET first_name = '乡镇', last_name = '协管员' "
                                    "WHERE username = 'clerk'"))
        upgrade(directory=directory)
        users = {user.username: user for user in db.session.scalars(select(PortalUser))}
        assert users["zhang"].name == "张三" and users["clerk"].name == "乡镇协管员"
        assert [role.name for role in users["zhang"].roles] == [CITY_ADMIN]
        assert [role.name for role in users["clerk"].roles] == [TOWNSHIP_CLERK]


def test_a_picker_offers_and_finds_a_user_by_the_whole_name(app, city, login, user):
    user("zhaoliu", name="赵六")
    client = login("clerka1")
    offered = client.get("/patrols/picker/coordinator?form=add&q=赵六&page=1").get_json()["results"]
    assert [option["text"] for option in offered] == ["赵六"]
