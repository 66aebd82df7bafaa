"""Table 4-2's protective measures (issue 14 item 4): note 7 "职业病危害防护措施：填写“有”或“无”；如为“有”，
填写具体措施名称。见代码表附表6" — chosen from the protective-measure types, and the text typed before carried
over by the migration."""
import re

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.models import ProtectiveMeasureType, db
from tests.fieldwork import errors_by_field
from tests.test_migrations import migrated_sqlite


def test_the_form_offers_the_code_list_not_free_text(app, city, login):
    from tests.test_archive import add_archive, table_rows
    client = login("clerka1")
    refs = table_rows(app)
    archive = add_archive(client, app, city.employer["a1_1"])
    html = client.get(f"/exposuredetectionview/add?_flt_0_archive={archive}").data.decode()
    select_tag = re.search(r'<select[^>]*name="protective_measures"[^>]*>', html).group(0)
    assert "multiple" in select_tag
    options = html.split(select_tag)[1].split("</select>")[0]
    assert ">01 局部排风除尘装置<" in options and ">05 防尘口罩<" in options
    assert 'name="protective_equipment"' not in html and 'name="personal_protection"' not in html
    assert refs["exhaust"] and refs["dust_mask"]


def test_an_inactive_measure_type_is_refused(app, city, login):
    from tests.test_archive import add_archive, add_row, detection_form, table_rows
    client = login("clerka1")
    refs = table_rows(app)
    archive = add_archive(client, app, city.employer["a1_2"])
    with app.app_context():
        retired = ProtectiveMeasureType(code="99", name="已停用措施", sort_order=99, active=False)
        db.session.add(retired)
        db.session.commit()
        retired_id = retired.id
    response = add_row(client, "exposuredetectionview", archive,
                       detection_form(refs, protective_measures=[str(retired_id)]))
    assert response.status_code == 200
    assert "protective_measures" in errors_by_field(response.data)


def test_the_migration_carries_the_typed_measures_over_and_back(tmp_path):
    """局部排风除尘装置、防尘口罩 become those two types; a measure the list lacks (隔热服) is added to it."""
    with migrated_sqlite(tmp_path / "measures.db") as (directory, city):
        downgrade(directory=directory, revision="0014")
        db.session.commit()
        db.session.execute(text("PRAGMA foreign_keys=OFF"))  # a table 4-2 row alone, without its archive
        seeded = db.session.execute(text(
            "INSERT INTO protective_measure_type (code, name, sort_order, active, version) "
            "VALUES ('01', '局部排风除尘装置', 1, 1, 1), ('05', '防尘口罩', 5, 1, 1)"))
        assert seeded.rowcount == 2
        db.session.execute(text(
            "INSERT INTO archive_exposure_detection (id, archive_id, workplace, job_type_id, hazard_factor_id, "
            "registered_total, registered_female, registered_migrant, outsourced_total, outsourced_female, "
            "protective_equipment, emergency_facilities, personal_protection, points_tested, points_passed, "
            "version) VALUES (1, 1, '焊接车间', 1, 1, 0, 0, 0, 0, 0, '局部排风除尘装置', '无', '防尘口罩、隔热服', "
            "0, 0, 1)"))
        db.session.commit()
        db.session.execute(text("PRAGMA foreign_keys=ON"))
        upgrade(directory=directory)
        rows = db.session.execute(text(
            "SELECT t.name FROM archive_exposure_detection_measure m JOIN protective_measure_type t "
            "ON t.id = m.measure_type_id WHERE m.detection_id = 1 ORDER BY t.sort_order")).scalars().all()
        assert rows == ["局部排风除尘装置", "防尘口罩", "隔热服"]
        assert db.session.scalar(select(ProtectiveMeasureType.code).where(
            ProtectiveMeasureType.name == "隔热服")) == "06"
        downgrade(directory=directory, revision="0014")
        assert db.session.execute(text(
            "SELECT protective_equipment FROM archive_exposure_detection WHERE id = 1")).scalar() == \
            "局部排风除尘装置、防尘口罩、隔热服"
        upgrade(directory=directory)
