"""The base view of the programme records: code-list columns (``coded`` in the model) get a select of
their labels in the add, edit and search forms, and show their label on list and show pages."""
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.models.programme.common import coded_columns
from app.views.base import ScopedModelView

TOWNSHIPS_ONLY = [["level", FilterEqual, "township"]]
DISTRICTS_ONLY = [["level", FilterEqual, "district"]]


class ProgrammeView(ScopedModelView):
    def __init__(self, **kwargs):
        model = self.datamodel.obj
        codes = coded_columns(model)
        fields = {name: self._code_field(name, code_list, _column_default(model, name))
                  for name, code_list in codes.items()}
        self.add_form_extra_fields = {**fields, **(self.add_form_extra_fields or {})}
        self.edit_form_extra_fields = {**fields, **(self.edit_form_extra_fields or {})}
        self.search_form_extra_fields = {
            **{name: self._code_field(name, code_list) for name, code_list in codes.items()},
            **(self.search_form_extra_fields or {})}
        self.formatters_columns = {**{name: code_list.label for name, code_list in codes.items()},
                                   **(self.formatters_columns or {})}
        super().__init__(**kwargs)

    def _code_field(self, name: str, code_list, default: str | None = None) -> SelectField:
        return SelectField(self.label_columns.get(name, name), widget=Select2Widget(), default=default or "",
                           choices=[("", _l("(none)")), *code_list.choices()])


def _column_default(model, name: str) -> str | None:
    default = model.__table__.columns[name].default
    return default.arg if default is not None else None
