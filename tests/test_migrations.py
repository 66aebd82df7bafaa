"""The Alembic migrations build exactly the schema the models describe."""
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from flask import current_app
from sqlalchemy import select, text

from app import create_app, sync_roles
from app.models import HealthArchive, Model, OrgUnit, PortalUser, db
from app.roles import CITY_ADMIN
from app.seed.demo import make_user
from config import TestConfig


def test_migrations_and_models_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Model.metadata) == []


@contextmanager
def migrated_sqlite(path):
    """In the app context of a new SQLite file that the migrations built, with the roles: the migrations'
    directory and a city to put users in."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        sync_roles(app.appbuilder.sm)
        yield directory, OrgUnit(level="city", code="310000", name="上海市")


def test_upgrading_an_existing_database_keeps_every_users_roles(tmp_path):
    """A migration that rebuilt ab_user on SQLite (batch mode drops the old table, and with foreign keys on
    that deletes the rows that refer to it) once took every user's roles away on upgrade."""
    with migrated_sqlite(tmp_path / "upgrade.db") as (directory, city):
        db.session.add(make_user(current_app.appbuilder.sm, "keeper", CITY_ADMIN, city, "Keep@2026!"))
        db.session.commit()
        downgrade(directory=directory, revision="0009")
        upgrade(directory=directory)
        db.session.expire_all()
        keeper = db.session.scalar(select(PortalUser).where(PortalUser.username == "keeper"))
        assert [role.name for role in keeper.roles] == [CITY_ADMIN]


def test_rebuilding_the_employer_table_keeps_every_row_that_refers_to_an_employer(tmp_path):
    """Migration 0015 rebuilds the employer table on SQLite to drop the credit code's UNIQUE constraint
    (branches, Annex 4 cover note 3: "应填写其上级单位的统一社会信用代码"). With foreign keys on, dropping the old
    table would delete a training activity's employers (ON DELETE CASCADE) and null a patient's onset
    employer (SET NULL); the rebuild keeps both, the kept dates' triggers, and foreign keys on afterwards."""
    with migrated_sqlite(tmp_path / "branches.db") as (directory, city):
        downgrade(directory=directory, revision="0014")
        run = lambda sql, **values: db.session.execute(text(sql), values)  # noqa: E731
        run("INSERT INTO org_unit (id, level, code, name, path) VALUES (1, 'township', '01', '街道', '/310101/01/')")
        run("INSERT INTO detection_type (id, code, name, active, sort_order) VALUES (2, '2', '现状评价', true, 0)")
        run("INSERT INTO job_type (id, code, name, active, sort_order) VALUES (1, '1', '电焊工', true, 0)")
        run("INSERT INTO hazard_category (id, code, name, active, sort_order) VALUES (1, '1', '粉尘', true, 0)")
        run("INSERT INTO hazard_factor (id, code, name, category_id, active, sort_order) "
            "VALUES (1, '1', '矽尘', 1, true, 0)")
        for number in (1, 2):
            run("INSERT INTO employer (id, name, credit_code, credit_code_pending, org_unit_id, registered_on, "
                "total_workers, female_workers, outsourced_workers, has_hazard, hazard_declared, version) "
                f"VALUES ({number}, '企业{number}', 'C{number}', false, 1, '2024-01-01', 1, 0, 0, true, true, 1)")
        run("INSERT INTO training_activity (id, held_on, kind, topic, org_unit_id, audience_count, version) "
            "VALUES (1, '2024-03-01', 'training', '培训', 1, 5, 1)")
        run("INSERT INTO training_activity_employer (activity_id, employer_id) VALUES (1, 1), (1, 2)")
        run("INSERT INTO disease_category (id, code, name, catalogue, active, sort_order) "
            "VALUES (1, '1', '尘肺病', '2024', true, 0)")
        run("INSERT INTO patient (id, id_number, name, sex, birth_date, disease_category_id, org_unit_id, "
            "onset_employer_id, card_type, stage1_complication, stage2_complication, stage3_complication, copd, "
            "other_disease, reassigned, dead, smokes, quit_smoking, drinks, work_injury_insurance, "
            "employer_compensation, basic_medical_insurance, other_insurance, lost, version) VALUES "
            "(1, '110101199003070000', '张三', 'male', '1990-03-07', 1, 1, 2, 'other', false, false, false, "
            "false, false, false, false, false, false, false, false, false, false, false, false, 1)")
        db.session.execute(HealthArchive.__table__.insert().values(id=1, employer_id=1))  # with its defaults
        run("INSERT INTO archive_exposure_detection (archive_id, workplace, job_type_id, hazard_factor_id, "
            "detection_type_id, detected_on, registered_total, registered_female, registered_migrant, "
            "outsourced_total, outsourced_female, points_tested, points_passed, version) "
            "VALUES (1, '车间', 1, 1, 2, '2024-05-01', 1, 0, 0, 0, 0, 1, 1, 1)")
        db.session.commit()
        upgrade(directory=directory)
        assert run("SELECT employer_id FROM training_activity_employer ORDER BY employer_id").scalars().all() == [1, 2]
        assert run("SELECT onset_employer_id FROM patient").scalar() == 2
        assert run("SELECT last_evaluated_on, last_detected_on FROM employer WHERE id = 1").one() == \
            ("2024-05-01", "2024-05-01")
        run("UPDATE archive_exposure_detection SET detected_on = '2025-02-03'")  # the triggers still keep them
        assert run("SELECT last_evaluated_on, last_detected_on FROM employer WHERE id = 1").one() == \
            ("2025-02-03", "2025-02-03")
        assert run("PRAGMA foreign_keys").scalar() == 1
        db.session.rollback()
