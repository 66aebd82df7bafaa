"""``flask portal …`` commands: set up the database, seed dictionaries and demo data."""
import click
from flask import Flask, current_app
from flask_migrate import upgrade

from app.models import db


def prepare_database(with_demo: bool, with_province: bool = False) -> list[tuple[str, str, str]]:
    """Bring the schema up to date, make the roles and dictionaries exist, on an empty database add the
    demo city and, when asked, the demo province beside it. Returns the demo logins (role, username,
    password) when demo data exists."""
    from app import sync_roles
    from app.seed.demo import demo_logins, seed_demo
    from app.seed.demo_province import seed_demo_province
    from app.seed.dictionaries import seed_dictionaries

    upgrade(directory=current_app.extensions["migrate"].directory)
    sync_roles(current_app.appbuilder.sm)
    seed_dictionaries(db.session)
    if with_demo:
        seed_demo(db.session, current_app.appbuilder.sm)
    if with_province:
        seed_demo_province(db.session, current_app.appbuilder.sm)
    db.session.commit()
    return demo_logins(db.session)


def register(app: Flask) -> None:
    group = click.Group("portal", help="Set up the portal's database.")

    @group.command("init")
    @click.option("--demo/--no-demo", default=False, help="Add the demo city to an empty database.")
    @click.option("--province", is_flag=True, default=False,
                  help="Add the demo province (Guizhou: 9 prefectures, 88 counties) unless it is there.")
    def init(demo: bool, province: bool) -> None:
        """Migrate the schema, sync roles, seed the code dictionaries (and the demo city, the demo province)."""
        for role, username, password in prepare_database(with_demo=demo, with_province=province):
            click.echo(f"{role:<16} {username:<16} {password}")

    @group.command("keep-rollups")
    @click.option("--years", default=2, show_default=True, help="This year and the years before it to fill.")
    def keep_rollups(years: int) -> None:
        """Fill the rollup's kept township sums (every indicator; each year, half-year and quarter) for the
        top units. Optional: after a deployment, or a change to a dictionary's codes, the first leader's
        rollup then reads kept sums instead of scanning the whole province once per period."""
        from app.reports.summary import keep_periods

        for unit, key, seconds in keep_periods(years):
            click.echo(f"{unit} {key:<8} {seconds:6.1f} s")

    app.cli.add_command(group)
