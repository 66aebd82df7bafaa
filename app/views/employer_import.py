"""Excel import of employers: template, upload with a preview of every bad cell, all-or-nothing commit.

Between preview and commit the uploaded file waits under instance/imports/ named by a random token; the
token lives in the signed session, never in the form, and the commit reads and checks the file again —
the client is trusted with nothing, and a record added meanwhile (e.g. the same credit code) is caught."""
import io
import secrets
import time
from pathlib import Path

from flask import current_app, flash, g, redirect, request, send_file, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from app.imports.employers import check_workbook, import_employers, template_workbook
from app.models import RecordInvalid, db
from app.roles import EMPLOYER
from app.xlsx import XLSX_MIMETYPE

SESSION_KEY = "employer_import"
MAX_BYTES = 5 * 1024 * 1024  # below the app's MAX_CONTENT_LENGTH, which refuses a bigger body unread
KEEP_SECONDS = 24 * 3600  # a preview left without commit or cancel is dropped after a day


def _upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_file() -> Path | None:
    """The file this user previewed in this session: the token is bound to the user who uploaded it."""
    pending = session.get(SESSION_KEY) or {}
    if pending.get("user") != g.user.id or not pending.get("token", "").isidentifier():
        return None
    path = _upload_dir() / f"{pending['token']}.xlsx"
    return path if path.is_file() else None


def _forget_pending() -> None:
    path = _pending_file()
    if path is not None:
        path.unlink()
    session.pop(SESSION_KEY, None)


def _drop_stale_files() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in _upload_dir().glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


class EmployerImportView(BaseView):
    route_base = "/employers/import"
    class_permission_name = EMPLOYER
    method_permission_name = {"index": "write", "template": "write", "upload": "write", "commit": "write"}
    menu_right = "w"  # the menu item shows only to those who may import
    default_view = "index"

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """A body over MAX_CONTENT_LENGTH is refused before it is read (by the CSRF check in production):
        told as a file too big, on the upload page."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.register_error_handler(RequestEntityTooLarge, lambda error: self._too_big())
        return blueprint

    def _too_big(self):
        flash(str(_l("Choose an .xlsx file of at most 5 MB")), "danger")
        return redirect(url_for(".index"))

    @expose("/")
    @has_access
    def index(self):
        return self.render_template("imports/upload.html", title=_l("Import employers from Excel"))

    @expose("/template")
    @has_access
    def template(self):
        return send_file(io.BytesIO(template_workbook()), mimetype=XLSX_MIMETYPE, as_attachment=True,
                         download_name=f"{_l('Employer import template')}.xlsx")

    @expose("/upload", methods=["POST"])
    @has_access
    def upload(self):
        upload = request.files.get("file")
        content = upload.read(MAX_BYTES + 1) if upload else b""
        if not content or len(content) > MAX_BYTES:
            return self._too_big()
        _forget_pending()
        _drop_stale_files()
        token = "f" + secrets.token_hex(24)
        (_upload_dir() / f"{token}.xlsx").write_bytes(content)
        session[SESSION_KEY] = {"token": token, "user": g.user.id}
        return self.render_template("imports/preview.html", result=check_workbook(content),
                                    title=_l("Import preview"))

    @expose("/commit", methods=["POST"])
    @has_access
    def commit(self):
        path = _pending_file()
        if path is None:
            flash(str(_l("Upload the file again: the previewed file is no longer available")), "danger")
            return redirect(url_for(".index"))
        try:
            result = import_employers(path.read_bytes())
        except (RecordInvalid, IntegrityError):
            db.session.rollback()
            flash(str(_l("Nothing was imported: another user changed the register meanwhile; upload again")),
                  "danger")
            return redirect(url_for(".index"))
        if result.problems:
            flash(str(_l("Nothing was imported: correct every problem and upload the file again")), "danger")
            return self.render_template("imports/preview.html", result=result, title=_l("Import preview"))
        _forget_pending()
        flash(str(_l("%(n)d employers imported", n=len(result.employers))), "success")
        return redirect(url_for("EmployerView.list"))
