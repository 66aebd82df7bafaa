"""Relation pickers that search on the server: one mechanism for every relation to a model whose rows grow
with the data (employers, patrols, patients, org units, users …).

A model names the columns a picker matches in ``picker_columns`` (a dotted name follows a link, e.g.
``employer.name``; never a personal number, which is searched by full value only). A view with
``RelationPickers`` builds its add, edit and search forms with ``PickerConverter``: each relation to such a
model becomes a ``RecordPicker``, which renders only the chosen record(s) and lets select2 ask the view's one
JSON endpoint, ``<route_base>/picker/<column>?form=add|edit|search&q=&page=`` (the view's read right), for
a page of matches. The endpoint and a posted id both go through the same ``PickerSource``: the related
model's ScopedInterface (the user's subtree) with the form's ``*_form_query_rel_fields`` for that column. An
id it does not find — another township's, a missing one, no number at all — is refused next to the field.
"""
from flask import abort, jsonify, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.forms import GeneralModelConverter
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import or_
from wtforms import Field
from wtforms.validators import DataRequired, Optional, StopValidation
from wtforms.widgets import html_params

from app.scoping import record_id
from app.views.dates import portal_date_field

PAGE_SIZE = 20
BLANKS = ("", "__None")  # "__None": the blank of Flask-AppBuilder's selects, still posted by old pages
REFUSED = _l("The chosen record does not exist or is outside your jurisdiction")
MESSAGES = {  # select2's own texts, in the user's language
    "placeholder": _l("Type a name or code to search"), "no-results": _l("No matching records"),
    "searching": _l("Searching…"), "loading-more": _l("Loading more results…"),
    "error-loading": _l("The results could not be loaded"),
}


def pickable(model) -> bool:
    """Whether relations to ``model`` get a server-searched picker (its rows grow with the data)."""
    return bool(getattr(model, "picker_columns", ()))


def picker_label(record) -> str:
    return str(getattr(record, "picker_label", record))


def _matches(model, path: str, pattern: str):
    """``path`` (a column, or links then a column) of ``model`` contains the text."""
    head, _, rest = path.partition(".")
    attribute = getattr(model, head)
    if not rest:
        return attribute.ilike(pattern, escape="\\")
    return attribute.has(_matches(attribute.property.mapper.class_, rest, pattern))


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class PickerSource:
    """The records one picker of a view's form offers."""

    def __init__(self, view, form_kind: str, column: str, filter_rel_fields):
        self.view, self.form_kind, self.column = view, form_kind, column
        self.interface = view.datamodel.get_related_interface(column)
        self.model = self.interface.obj
        self.filters = self.interface.get_filters().add_filter_list((filter_rel_fields or {}).get(column, []))

    def url(self) -> str:
        return url_for(f"{self.view.endpoint}.picker", column=self.column, form=self.form_kind)

    def _query(self, *conditions):
        query = self.interface.session.query(self.model).filter(*conditions)
        return self.interface.apply_all(query, self.filters)

    def find(self, ids: list[int]) -> list:
        return self._query(self.model.id.in_(ids)).all() if ids else []

    def search(self, text: str, page: int) -> tuple[list, bool]:
        """One page of the records matching ``text`` (all of them for no text), and whether more follow."""
        columns = self.model.picker_columns
        conditions = [or_(*(_matches(self.model, path, _like_pattern(text)) for path in columns))] if text else []
        order = [getattr(self.model, path) for path in columns if "." not in path][:1] + [self.model.id]
        rows = self._query(*conditions).order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1).all()
        return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


class PickerWidget:
    """A select holding only the chosen record(s); static/js/pickers.js makes it search the server."""

    def __call__(self, field, **kwargs):
        attributes = {
            "id": field.id, "name": field.name, "class": "form-control portal-picker", "multiple": field.multiple,
            "data-picker-url": field.source.url(),
            "data-allow-clear": "false" if field.multiple or field.flags.required else "true",
            **{f"data-{key}": str(text) for key, text in MESSAGES.items()}, **kwargs,
        }
        chosen = field.records()
        options = [] if field.multiple else [Markup('<option value=""></option>')]
        options += [self.option(record, True) for record in chosen]
        options += [self.option(record, False) for record in field.offered if record not in chosen]
        return Markup(f"<select {html_params(**attributes)}>{''.join(options)}</select>")

    @staticmethod
    def option(record, selected: bool) -> Markup:
        return Markup("<option {}>{}</option>").format(
            Markup(html_params(value=record.id, selected=selected)), picker_label(record))


class RecordPicker(Field):
    """A relation chosen by id among what its ``PickerSource`` offers. A posted id is looked up through the
    source, so one outside it is refused with a message, never dropped without a word."""

    widget = PickerWidget()

    def __init__(self, label=None, validators=None, source: PickerSource | None = None, multiple: bool = False,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.source, self.multiple = source, multiple
        self.refused = False
        self.offered = []  # a search panel's records of the filters in the URL, for ab_filters.js to select

    def process_data(self, value):
        self.data = list(value or []) if self.multiple else value

    def process_formdata(self, valuelist):
        if not valuelist and not self.multiple:
            return  # not on the page, e.g. the parent column of a related view's form: the view fills it in
        ids = [record_id(value) for value in valuelist if value not in BLANKS]
        found = self.source.find([pk for pk in ids if pk is not None])
        self.refused = len(found) < len(set(ids))
        self.data = found if self.multiple else (found[0] if found else None)

    def pre_validate(self, form):
        if self.refused:  # said instead of "required", which would be the validators' word for it
            raise StopValidation(REFUSED)

    def records(self) -> list:
        if self.multiple:
            return list(self.data or [])
        return [] if self.data is None else [self.data]


class OfferedMultipleField(QuerySelectMultipleField):
    """A multiple select of a small list (not a picker) that refuses a posted id it does not offer (an
    inactive entry, a missing one): Flask-AppBuilder's own looks at the posted ids only after its check and
    drops them unsaid — which a form that hides a field (an account's roles) relies on, so it is chosen per
    field, not for every relation."""

    def pre_validate(self, form):
        self.data  # noqa: B018 — reading it matches the posted ids against the offered entries
        super().pre_validate(form)


class PickerConverter(GeneralModelConverter):
    """Flask-AppBuilder's form converter, giving a ``RecordPicker`` to every relation to a pickable model,
    the portal's date fields (app/views/dates.py) to date columns,
    and a source to a ``RecordPicker`` the view declares among its extra fields (to choose its label,
    widget or whether it is required)."""

    def __init__(self, view, form_kind: str):
        super().__init__(view.datamodel)
        self.view, self.form_kind = view, form_kind

    def _source(self, column: str, filter_rel_fields) -> PickerSource:
        source = PickerSource(self.view, self.form_kind, column, filter_rel_fields)
        self.view.pickers[(self.form_kind, column)] = source
        return source

    def _convert_simple(self, col_name, label, description, lst_validators, form_props):
        form_props = super()._convert_simple(col_name, label, description, lst_validators, form_props)
        form_props[col_name] = portal_date_field(form_props[col_name])
        return form_props

    def _convert_many_to_one(self, col_name, label, description, lst_validators, filter_rel_fields, form_props):
        if not pickable(self.datamodel.get_related_model(col_name)):
            return super()._convert_many_to_one(col_name, label, description, lst_validators, filter_rel_fields,
                                                form_props)
        required = not self.datamodel.is_nullable(col_name)
        form_props[col_name] = RecordPicker(
            label, [*lst_validators, DataRequired() if required else Optional()], description=description,
            source=self._source(col_name, filter_rel_fields))
        return form_props

    def _convert_many_to_many(self, col_name, label, description, lst_validators, filter_rel_fields, form_props):
        if not pickable(self.datamodel.get_related_model(col_name)):
            return super()._convert_many_to_many(col_name, label, description, lst_validators, filter_rel_fields,
                                                 form_props)
        form_props[col_name] = RecordPicker(label, lst_validators, description=description, multiple=True,
                                            source=self._source(col_name, filter_rel_fields))
        return form_props

    def create_form(self, label_columns=None, inc_columns=None, description_columns=None, validators_columns=None,
                    extra_fields=None, filter_rel_fields=None):
        extra_fields = {name: self._with_source(name, field, filter_rel_fields)
                        for name, field in (extra_fields or {}).items()}
        return super().create_form(label_columns, inc_columns, description_columns, validators_columns,
                                   extra_fields, filter_rel_fields)

    def _with_source(self, name, field, filter_rel_fields):
        if not issubclass(field.field_class, RecordPicker):
            return field
        return field.field_class(*field.args, **{
            **field.kwargs, "source": self._source(name, filter_rel_fields),
            "multiple": self.datamodel.is_relation_many_to_many(name)})


class RelationPickers:
    """A view whose add, edit and search forms use ``RecordPicker`` for relations to growing models, with
    the one endpoint those pickers ask (``picker`` needs the view's read right: VIEW_PERMISSIONS)."""

    def __init__(self, **kwargs):
        if self.include_route_methods is not None:  # a view that lists its routes still answers its pickers
            self.include_route_methods = {*self.include_route_methods, "picker"}
        super().__init__(**kwargs)

    def _init_forms(self):
        """Flask-AppBuilder's forms, made by ``PickerConverter`` (FAB then leaves forms already made)."""
        self.pickers = {}  # (form kind, column) → PickerSource
        self.search_form = self.search_form or PickerConverter(self, "search").create_form(
            self.label_columns, self.search_columns, extra_fields=self.search_form_extra_fields,
            filter_rel_fields=self.search_form_query_rel_fields)
        for kind in ("add", "edit"):
            if not getattr(self, f"{kind}_form"):
                setattr(self, f"{kind}_form", PickerConverter(self, kind).create_form(
                    self.label_columns, getattr(self, f"{kind}_columns"), self.description_columns,
                    self.validators_columns, getattr(self, f"{kind}_form_extra_fields"),
                    getattr(self, f"{kind}_form_query_rel_fields")))
        super()._init_forms()

    def _get_search_widget(self, form=None, exclude_cols=None, widgets=None):
        """A filter given in the URL shows its record's label: the search panel's template of the field
        holds the records the active filters name (ab_filters.js selects each filter's own)."""
        for flt, values in self._filters.get_filters_values():
            field = getattr(form, flt.column_name, None)
            if isinstance(field, RecordPicker):
                ids = [record_id(value) for value in (values if isinstance(values, list) else [values])]
                field.offered += field.source.find([pk for pk in ids if pk is not None])
        return super()._get_search_widget(form=form, exclude_cols=exclude_cols, widgets=widgets)

    @expose("/picker/<column>")
    @has_access
    def picker(self, column):
        """A page of the records a picker offers, matching ``q``, in select2's format."""
        source = self.pickers.get((request.args.get("form", "search"), column))
        if source is None:
            abort(404)
        page = max(request.args.get("page", 1, type=int), 1)
        records, more = source.search(request.args.get("q", "").strip(), page)
        return jsonify(results=[{"id": record.id, "text": picker_label(record)} for record in records],
                       pagination={"more": more})
