"""Excel import of employers: template, upload with a preview of every bad cell, all-or-nothing commit.

Between preview and commit the uploaded file waits in the database (``PendingImport``, so that any app
server can commit it) under a random token; the token lives in the signed session, never in the form, the
file is bound to the user who uploaded it, and the commit reads and checks it again — the client is
trusted with nothing, and a record added meanwhile (e.g. the same credit code) is caught."""
import io
import secrets

from flask import flash, g, redirect, request, send_file, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from app.imports.employers import check_workbook, import_employers, template_workbook
from app.models import PendingImport, RecordInvalid, db
from app.roles import EMPLOYER
from app.xlsx import XLSX_MIMETYPE

SESSION_KEY = "employer_import"
MAX_BYTES = 5 * 1024 * 1024  # below the app's MAX_CONTENT_LENGTH, which refuses a bigger body unread


def _take_pending() -> bytes | None:
    """The file this user previewed in this session, if it is still kept; deleted unless rolled back."""
    pending = session.get(SESSION_KEY) or {}
    if pending.get("user") != g.user.id or not pending.get("token"):
        return None
    return PendingImport.take(pending["token"], g.user.id)


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
        token = secrets.token_hex(24)
        PendingImport.keep(token, g.user.id, content)
        session[SESSION_KEY] = {"token": token, "user": g.user.id}
        return self.render_template("imports/preview.html", result=check_workbook(content),
                                    title=_l("Import preview"))

    @expose("/commit", methods=["POST"])
    @has_access
    def commit(self):
        content = _take_pending()
        if content is None:
            flash(str(_l("Upload the file again: the previewed file is no longer available")), "danger")
            return redirect(url_for(".index"))
        try:
            result = import_employers(content)
        except (RecordInvalid, IntegrityError):
            db.session.rollback()
            flash(str(_l("Nothing was imported: another user changed the register meanwhile; upload again")),
                  "danger")
            return redirect(url_for(".index"))
        if result.problems:
            db.session.rollback()  # the file stays for the preview shown again
            flash(str(_l("Nothing was imported: correct every problem and upload the file again")), "danger")
            return self.render_template("imports/preview.html", result=result, title=_l("Import preview"))
        session.pop(SESSION_KEY, None)
        flash(str(_l("%(n)d employers imported", n=len(result.employers))), "success")
        return redirect(url_for("EmployerView.list"))
