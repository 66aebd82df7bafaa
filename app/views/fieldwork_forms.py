"""Form pieces of the field-work views: the employer picker (searching on the server, app/views/pickers.py)
that fills the form from the register, the template select that brings its checklist and shows the header
fields it uses, the patrol checklist as rows of 有/无 (/不适用) radio buttons, and the show-page rendering of
the answers."""
from datetime import date

from flask import render_template, url_for
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2ManyWidget, Select2Widget
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Optional

from app.models import ChecklistTemplate, Model, Patrol, db
from app.models.checklist import ANSWERS, HEADER_FIELDS
from app.scoping import current_user_or_none
from app.views.base import scoped
from app.views.pickers import PickerWidget, RecordPicker, picker_label

CHOOSE_ONE = _l("Choose one")
DROP_ANSWERS = _l("The other template has no item of the same number for %(count)s answers given; drop them?")


class RegisterFillingPickerWidget(PickerWidget):
    """The employer picker of a visit's form: choosing one fills in the register's values
    (static/js/visit_forms.js asks the view's ``register``)."""

    def __call__(self, field, **kwargs):
        return super().__call__(field, **{"data-register-url": url_for(".register"), **kwargs})


class ChecklistTemplateWidget(Select2Widget):
    """The template select of a new patrol's form: choosing another swaps in its checklist
    (static/js/visit_forms.js asks the view's ``checklist``), keeping the answers to the same item numbers
    and asking before any other answer is dropped."""

    def __call__(self, field, **kwargs):
        return super().__call__(field, **{"data-checklist-url": url_for(".checklist"),
                                          "data-drop-message": str(DROP_ANSWERS), **kwargs})


def employer_picker(label, required: bool = True, fills_form: bool = False) -> RecordPicker:
    """The employers of the user's scope (a clerk: their township), searched by name or credit code."""
    return RecordPicker(
        label, validators=[DataRequired()] if required else [Optional()],
        widget=RegisterFillingPickerWidget() if fills_form else PickerWidget(),
        description=_l("Type part of the name or the credit code to search"))


def form_value(value):
    """A value as a form field takes it, for JSON: a date as 2026-10-15, a record as its id and label, a
    list of records as a list of those."""
    if isinstance(value, list):
        return [form_value(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return {"id": value.id, "text": picker_label(value)}
    return value


def template_picker(label) -> QuerySelectField:
    """The templates in use; a new patrol starts from the user's district's or city's default."""
    interface = scoped(ChecklistTemplate)
    return QuerySelectField(
        label, query_func=lambda: [t for t in interface.query(order_column="name")[1] if t.active],
        get_pk_func=lambda template: template.id, validators=[DataRequired()], widget=ChecklistTemplateWidget(),
        description=_l("Your district's or city's default; another one brings its checklist"))


def choice_field(label, choices: dict, required: bool = True) -> SelectField:
    """One of ``choices``, starting unchosen: a preset choice could contradict what the clerk enters next
    (均未体检 before the counts of examined workers). The blank is select2's placeholder, never offered as a
    choice; where the field is optional, it is no value."""
    return SelectField(label, choices=[("", ""), *choices.items()],
                       validators=[DataRequired(message=CHOOSE_ONE) if required else Optional()],
                       widget=Select2Widget())


def many_choices(label, choices: dict, required: bool = True) -> SelectMultipleField:
    """Some of ``choices`` (a list column: a template's header fields, an item's answers)."""
    return SelectMultipleField(label, choices=list(choices.items()),
                               validators=[DataRequired(message=CHOOSE_ONE) if required else Optional()],
                               widget=Select2ManyWidget())


def filter_choice(label, choices: dict) -> SelectField:
    """One of ``choices`` as a search panel's filter value."""
    return SelectField(label, choices=list(choices.items()), widget=Select2Widget())


def default_template() -> ChecklistTemplate | None:
    user = current_user_or_none()
    return ChecklistTemplate.default_for(getattr(user, "org_unit", None))


class ShownAsRequired:
    """Marks a field required on the form where the model decides when it is: a patrol's production status,
    required where its template prints it (the form hides it elsewhere)."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class ChecklistWidget:
    def __call__(self, field, **kwargs):
        return Markup(render_template("fieldwork/checklist_field.html", field=field, rows=field.rows,
                                      answers=field.data or {}, labels=ANSWERS, header_fields=field.header_fields,
                                      optional_fields=list(HEADER_FIELDS)))


class ChecklistField(Field):
    """A patrol's checklist lines, each answered with one of the answers its item allows (radio buttons
    named ``<name>-answer-<number>``) with a note where the form asks for one. The lines are the patrol's own once it exists, else those
    of the template chosen in the form (or the user's default); the model records them (fill_answers)."""

    widget = ChecklistWidget()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags.required = True  # every line is answered 有 or 无 (Patrol.problems): marked on the form

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.object_data = data if isinstance(data, list) else None
        self.data = {answer.item_number: (answer.answer, answer.note) for answer in self.object_data or []}
        if formdata is None:
            return
        numbers = set()
        for key in formdata:
            prefix, _, number = key.rpartition("-")
            if prefix in (f"{self.name}-answer", f"{self.name}-note") and number.isdigit():
                numbers.add(int(number))
        self.data = {number: (formdata.get(f"{self.name}-answer-{number}") or None,
                              formdata.get(f"{self.name}-note-{number}")) for number in numbers}

    @property
    def chosen_template(self) -> ChecklistTemplate | None:
        """The template chosen on a new patrol's form (an existing patrol keeps its own)."""
        return getattr(getattr(self._form, "template", None), "data", None)

    @property
    def template(self) -> ChecklistTemplate | None:
        """The template the lines come from: the patrol's own once it exists, else the one chosen."""
        record_id = getattr(self._form, "_id", None)
        if record_id is not None:
            return db.session.get(Patrol, int(record_id)).template
        return self.chosen_template or default_template()

    @property
    def header_fields(self) -> list[str]:
        """The header fields of the form the template prints: the others are hidden."""
        template = self.template
        return [name for name in HEADER_FIELDS if template is not None and name in template.header_fields]

    @property
    def rows(self):
        if self.object_data:
            return [answer.row for answer in self.object_data]
        record_id = getattr(self._form, "_id", None)
        if record_id is not None:
            return Patrol.rows_for(int(record_id), None)
        return Patrol.rows_for(None, self.chosen_template or default_template())

    def populate_obj(self, obj, name):
        if self.chosen_template is not None:  # fields populate in no guaranteed order
            obj.template = self.chosen_template
        obj.fill_answers(self.data)


def checklist_table(answers) -> Markup:
    """The answers on the show page, laid out as on the paper form."""
    return Markup(render_template("fieldwork/checklist_show.html", answers=answers))
