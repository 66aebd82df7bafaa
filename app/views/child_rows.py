"""Views of a record's tables, edited on the record's page (Flask-AppBuilder ``related_views``), and the
form fields of the paper forms' code lists."""
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from app.models.form_codes import label
from app.views.base import ScopedModelView


def code_fields(codes: dict[str, dict], labels: dict, required: tuple[str, ...] = ()) -> dict:
    """A drop-down per coded column, offering the form's codes (and a blank where optional)."""
    fields = {}
    for column, choices in codes.items():
        blank = [] if column in required else [("", _l("(none)"))]
        fields[column] = SelectField(labels[column], choices=blank + list(choices.items()), widget=Select2Widget(),
                                     validators=[InputRequired()] if column in required else [Optional()])
    return fields


def code_formatters(codes: dict[str, dict]) -> dict:
    """Show a coded column by its label."""
    return {column: (lambda value, choices=choices: label(choices, value)) for column, choices in codes.items()}


class ChildRowView(ScopedModelView):
    """Rows of one table of a parent record (an archive, a patient). The parent's page lists them
    (``related_views``); its add link carries the parent, which Flask-AppBuilder puts into the add form
    (``_fill_form_exclude_cols``, through the scoped interface: a parent out of scope is no parent), and
    saving returns to the parent's page. A row never moves to another parent: the edit form leaves the
    link out. Rights are the parent entity's (same ``class_permission_name``)."""

    parent_field: str

    def _init_properties(self):
        super()._init_properties()
        self.edit_columns = [column for column in self.edit_columns if column != self.parent_field]
