"""The base views every entity inherits: scoped data, one permission name per entity, model rules
reported next to the field they concern."""
import sys
from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import ModelRestApi, ModelView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import gettext, lazy_gettext as _l
from marshmallow import ValidationError, fields
from marshmallow_sqlalchemy.fields import Related
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadRequest
from wtforms import HiddenField

from app import exports
from app.models import RecordInvalid
from app.models.versioned import NO_VERSION_MESSAGE, STALE_MESSAGE, Versioned
from app.request_bounds import MAX_PAGE, MAX_PAGE_SIZE
from app.scoping import ScopedInterface, capped_counts
from app.views.dates import DATETIME_FORMAT
from app.views.pickers import REFUSED, RelationPickers
from app.xlsx import TooManyRows, refused, send_workbook

VIEW_PERMISSIONS = {
    "list": "read", "show": "read", "download": "read", "picker": "read", "export": "read",
    "add": "write", "edit": "write", "delete": "delete", "muldelete": "delete",
}
API_PERMISSIONS = {
    "get_list": "read", "get": "read", "info": "read",
    "post": "write", "put": "write", "delete": "delete",
}


def _copy_state(item, probe) -> None:
    """Copy the columns and many-to-one/many-to-many links of ``item`` onto a transient ``probe``."""
    mapper = inspect(type(item))
    for attr in mapper.column_attrs:
        setattr(probe, attr.key, getattr(item, attr.key))
    for rel in mapper.relationships:
        if rel.direction.name != "ONETOMANY" and not rel.backref and not rel.back_populates:
            value = getattr(item, rel.key)
            setattr(probe, rel.key, list(value) if rel.uselist else value)


def _detach(probe) -> None:
    """Undo what setting the probe's links did to the other side (backrefs), so no persistent object
    keeps a reference to it."""
    for rel in inspect(type(probe)).relationships:
        if rel.backref or rel.back_populates:
            setattr(probe, rel.key, [] if rel.uselist else None)


def checked_form(form_class, datamodel):
    """A form that runs the model's rules on a transient copy of the record as it would be saved, and puts
    each problem next to its field: together with its own validators' problems, so that one save reports
    every problem (a field its validators refused keeps their word alone)."""

    class CheckedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self:
                if getattr(field, "allow_blank", False) and not field.blank_text:
                    field.blank_text = _l("(none)")  # select2 would show the blank's value "__None"

        def validate(self, extra_validators=None):
            record_id = getattr(self, "_id", None)
            stored = datamodel.get(record_id) if record_id is not None else None
            if stored is not None and self._stale(stored):
                return False
            valid = super().validate(extra_validators=extra_validators)
            probe = datamodel.obj()
            if stored is not None:
                _copy_state(stored, probe)
            self.populate_obj(probe)
            probe.clean()
            problems = probe.all_problems()
            _detach(probe)
            for field, message in problems.items():
                target = self._fields.get(field)
                if target is None:
                    self.form_errors.append(message)
                elif not target.errors:
                    target.errors = [message]
            return valid and not problems

        def _stale(self, stored) -> bool:
            """Refuse, before anything is written, a save of an older version than the stored one or of
            no version at all (a form loaded before versions existed, a script: it could overwrite any
            later save), and show the stored values instead of the ones typed over them, with the
            version to save against. A save racing another in the same instant is refused by
            SQLAlchemy's counter (``ScopedModelView.database_error_message``)."""
            if "version" not in self._fields:
                return False
            if self.version.data in (None, ""):
                message = NO_VERSION_MESSAGE
            elif stored.is_stale(self.version.data):
                message = STALE_MESSAGE
            else:
                return False
            self.process(formdata=None, obj=stored)
            self.form_errors.append(message)
            flash(message, "danger")
            return True

        def populate_obj(self, obj):
            """The version is SQLAlchemy's to move (``version_id_col``), never the form's."""
            for name, field in self._fields.items():
                if name != "version":
                    field.populate_obj(obj, name)

    if issubclass(datamodel.obj, Versioned):
        CheckedForm.version = HiddenField()  # the version the form was loaded with
    CheckedForm.__name__ = form_class.__name__
    return CheckedForm


def display(value):
    """How a value reads on a page: nothing for no value, 是/否 for a flag, a time to the second."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _l("Yes") if value else _l("No")
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    return value


class DisplayFormatters(dict):
    """The view's own formatters, and ``display`` for every other column."""

    def get(self, key, default=None):
        return super().get(key, display)


class ModelRulesInForms:
    """Add and edit forms that report the model's rules next to the fields."""

    def _init_forms(self):
        super()._init_forms()
        if hasattr(self.datamodel.obj, "problems"):
            self.add_form = checked_form(self.add_form, self.datamodel)
            self.edit_form = checked_form(self.edit_form, self.datamodel)


class ScopedModelView(ModelRulesInForms, RelationPickers, ModelView):
    """List/add/edit/show bounded by the user's org-unit subtree (through ``ScopedInterface``), with
    relation pickers that search on the server, and the list as an xlsx file (导出Excel, ``app.exports``)."""

    method_permission_name = VIEW_PERMISSIONS
    page_size = 25
    list_template = "scoped/list.html"
    # Links the listed properties read: loaded a page at a time with the list's rows and an export's.
    list_loads: tuple[str, ...] = ()
    export_name: str | None = None  # the xlsx file's name; by default the route's
    # What one record is called (e.g. 行业分类), for the titles a view does not set: FAB would make them
    # in English from the class name ("Add Industry"). By default the list's title.
    record_label = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = DisplayFormatters(self.formatters_columns or {})
        self.datamodel.list_relations = tuple(
            column for column in self.list_columns if self.datamodel.is_relation_many_to_one(column)
        ) + self.list_loads
        if "export" in self.exclude_route_methods or "export" not in (self.include_route_methods or {"export"}):
            self.list_template = ModelView.list_template  # no export route (the audit log): no link to it

    def _get_list_widget(self, *args, **kwargs):
        """The list's page: its count stops at ``LIST_COUNT_CAP`` ("100000+"), whatever the data grows to."""
        with capped_counts():
            return super()._get_list_widget(*args, **kwargs)

    def _init_titles(self):
        """The show, add and edit titles from the record label, in the user's language."""
        record = self.record_label or self.list_title
        self.show_title = self.show_title or record
        self.add_title = self.add_title or _l("Add %(record)s", record=record)
        self.edit_title = self.edit_title or _l("Edit %(record)s", record=record)
        super()._init_titles()

    @property
    def database_error_message(self):
        """What FAB flashes when an edit's save fails (read while the error is handled). A save that
        lost the race to another one in the same instant — the form's version check passed, then the
        other's UPDATE got in first (StaleDataError, raised as itself by ScopedInterface.edit) — is told
        like a stale form; nothing of it was written."""
        if isinstance(sys.exc_info()[1], StaleDataError):
            return STALE_MESSAGE
        return ModelView.database_error_message

    def render_template(self, template, **kwargs):
        """Every page of the view may ask the view what it shows (the list: ``filters_on``)."""
        return super().render_template(template, scoped_view=self, **kwargs)

    def filters_on(self) -> list[tuple]:
        """The list's filters from the request, as (field, operator, value) the way people read them: a
        linked record by its name, a code by its label (the view's formatters). A linked record outside
        the user's scope is not named."""
        shown = []
        for flt, value in self._filters.get_filters_values():
            values = value if isinstance(value, list) else [value]
            if self.datamodel.is_relation(flt.column_name):
                linked = self.datamodel.get_related_interface(flt.column_name)
                values = [linked.get(item) or item for item in values]
            elif self.datamodel.is_boolean(flt.column_name):  # FAB's flag filter: "y" is true
                values = [display(item == "y") for item in values]
            else:
                values = [self.formatters_columns.get(flt.column_name)(item) for item in values]
            shown.append((self.label_columns.get(flt.column_name, flt.column_name), flt.name,
                          "、".join(map(str, values))))
        return shown

    def listed(self) -> tuple:
        """The filters (the request's and the view's own) and the order of the list as on screen."""
        get_filter_args(self._filters)
        order_column, order_direction = get_order_args().get(self.__class__.__name__, ("", ""))
        if order_column not in self.order_columns:
            order_column, order_direction = self.base_order or ("", "")
        return self._filters.get_joined_filters(self._base_filters), order_column, order_direction

    @expose("/export/")
    @has_access
    def export(self):
        """The list as filtered on screen, as an xlsx file: refused, back on the list, when Excel could not
        hold it."""
        filters, order_column, order_direction = self.listed()
        back = url_for(f"{self.__class__.__name__}.list") + (
            f"?{request.query_string.decode()}" if request.query_string else "")
        count = exports.list_count(self, filters)
        if count > exports.LIST_ROWS:
            return refused(TooManyRows(exports.LIST_ROWS, count), back)
        rows = exports.list_rows(self, filters, order_column, order_direction)
        return send_workbook(lambda book: exports.write_list(book, exports.list_headers(self), rows),
                             f"{self.export_name or self.route_base.strip('/')}.xlsx", back)

    @action("muldelete", _l("Delete"), _l("Delete the selected records?"), "fa-trash", single=False)
    def muldelete(self, items):
        found = [item for item in (items if isinstance(items, list) else [items]) if item is not None]
        if not found:  # every id was outside the user's scope: as if it did not exist
            abort(404)
        try:
            self.datamodel.delete_all(found)
        except DatabaseException as err:  # e.g. other records still refer to one of them: nothing deleted
            flash(str(err), "danger")
        else:
            flash(_l("%(count)d records deleted", count=len(found)), "success")
        return redirect(self.get_redirect())


BY_ID_ONLY = _l("Give the related record's id (a number), not an object")


class RelatedById(Related):
    """A relation an API body sets by id only, found through the related model's ``ScopedInterface``: an
    object (which marshmallow-sqlalchemy would insert as a new row), a missing id and another township's
    id are refused, the last two with the same words. (A ``Related`` still, for ``/_info`` to list the
    values a client may choose.)"""

    def __init__(self, interface, many: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.interface, self.many = interface, many

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return [item.id for item in value] if self.many else value.id

    def _deserialize(self, value, attr, data, **kwargs):
        values = value if self.many and isinstance(value, list) else [value]
        if self.many != isinstance(value, list) or any(type(pk) is not int for pk in values):
            raise ValidationError(str(BY_ID_ONLY))
        found = [self.interface.get(pk) for pk in values]
        if None in found:
            raise ValidationError(str(REFUSED))
        return found if self.many else found[0]


class ScopedSchemaConverter(Model2SchemaConverter):
    """The API's schemas: relations set by id through the user's scope; whole numbers strictly (1.5 is
    refused, not cut to 1)."""

    def _column2relation(self, datamodel, column, nested=False, parent_schema_name=None):
        field = super()._column2relation(datamodel, column, nested, parent_schema_name)
        if nested:
            return field
        many = not datamodel.is_relation_many_to_one(column.name)
        return RelatedById(datamodel.get_related_interface(column.name), many=many, required=field.required,
                           allow_none=not field.required and not many)

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = super()._column2field(datamodel, column, nested, parent_schema_name)
        if isinstance(field, fields.Integer):
            field.strict = True
        return field


class ScopedApi(ModelRestApi):
    """The REST API of an entity, with the same scope and the same model rules as its views."""

    method_permission_name = API_PERMISSIONS
    allow_browser_login = True
    model2schemaconverter = ScopedSchemaConverter
    max_page_size = MAX_PAGE_SIZE

    def _sanitize_page_args(self, page, page_size):
        """A page past any list or a page size beyond the largest is a bad request (FAB would read them)."""
        if page is not None and not 0 <= page <= MAX_PAGE or page_size is not None and not (
                1 <= page_size <= MAX_PAGE_SIZE):
            raise BadRequest(gettext("Page %(max)d at most, %(size)d rows a page at most", max=MAX_PAGE,
                                     size=MAX_PAGE_SIZE))
        return super()._sanitize_page_args(page, page_size)

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        """FAB translates a missing label or description as "", which gettext answers with the catalog's
        header (naming the Babel version): a field without one has none."""
        info = super()._get_field_info(field, filter_rel_field, page, page_size)
        for key, texts in (("label", self.label_columns), ("description", self.description_columns)):
            info[key] = str(texts[field.name]) if texts.get(field.name) else ""
        return info

    def _init_properties(self):
        super()._init_properties()
        if issubclass(self.datamodel.obj, Versioned) and "version" not in self.show_columns:
            self.show_columns = [*self.show_columns, "version"]  # what a client sends back with its save

    def post_headless(self):
        try:
            return super().post_headless()
        except RecordInvalid as err:
            return self._refused(err)

    def put_headless(self, pk):
        """Like FAB's, plus safe concurrent editing: a client sends back the ``version`` it loaded (a GET
        shows it). Without one the answer is 428 Precondition Required: the client must load the record
        first, as a save on no known version could overwrite whatever was saved since. With one that is
        not the stored one — or when another save got in between (SQLAlchemy's StaleDataError) — it is
        409 Conflict with the record as it is now stored. Either way nothing is written."""
        try:
            return self._version_refusal(pk) or super().put_headless(pk)
        except RecordInvalid as err:
            return self._refused(err)
        except StaleDataError:
            self.datamodel.session.rollback()
            return self._stale(pk)

    def _refused(self, err: RecordInvalid):
        """The model's rules refused the write: nothing is kept, each problem is named by its field."""
        self.datamodel.session.rollback()
        return self.response_422(message={k: [str(v)] for k, v in err.problems.items()})

    def _version_refusal(self, pk):
        """The answer refusing a save without the stored version, or None to go ahead. Takes ``version``
        out of the JSON body (the edit schema does not know it); a body that is no JSON object and a
        record out of scope are FAB's to answer (400, 404)."""
        body = request.get_json(silent=True)
        if not issubclass(self.datamodel.obj, Versioned) or not isinstance(body, dict):
            return None
        loaded_version = body.pop("version", None)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return None
        if loaded_version in (None, ""):
            return self.response(428, message=str(NO_VERSION_MESSAGE))
        return self._stale(pk) if item.is_stale(loaded_version) else None

    def _stale(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        return self.response(409, message=str(STALE_MESSAGE), version=item.version,
                             result=self.show_model_schema.dump(item))


def scoped(model) -> ScopedInterface:
    return ScopedInterface(model)


__all__ = ["ModelRulesInForms", "RelationPickers", "ScopedModelView", "ScopedApi", "scoped", "_l"]
