"""The pages and API of the record workflow (the rules are ``app.models.workflow``'s): a ``WorkflowRecord``'s
view mixes in ``WorkflowViews`` (or a ``YearLocked`` record's only ``LockedRecordViews``) and its API
``LockedRecordApi``, before ScopedModelView / ScopedApi."""
from flask import abort, flash, redirect, render_template, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.widgets import ListWidget
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.models.base import RecordInvalid
from app.models.workflow import may

WORKFLOW_PERMISSIONS = {"submit": "write", "accept": "review", "return_record": "review",
                        "print_form": "read"}


def flash_refusal(item, problems: dict) -> None:
    flash(f"{item}：{'；'.join(map(str, problems.values()))}", "warning")


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Reason for returning"),
                           validators=[DataRequired(message=_l("Say why the record is returned"))])


class LockedRowsListWidget(ListWidget):
    """FAB's list, whose edit and delete icons show on a row only when the user may edit or delete that
    record: ``row_rights(pk)`` answers (may edit, may delete). It is asked as the widget is made, while the
    page's records are still loaded, so it reads them without a query."""

    template = "workflow/list_widget.html"

    def __init__(self, row_rights, **kwargs):
        super().__init__(**kwargs)
        self.template_args["row_rights"] = {pk: row_rights(pk) for pk in kwargs.get("pks", ())}


class LockedRecordViews:
    """Mix into the ModelView of a ``YearLocked`` record (before ScopedModelView): edit and delete —
    single or bulk — are refused, with the reason, for what the user may not change, and the list shows
    no edit or delete icon on such a row. Both follow the record's ``edit_problem`` and
    ``delete_problems``."""

    list_widget = LockedRowsListWidget

    def _get_list_widget(self, *args, **kwargs):
        return super()._get_list_widget(*args, row_rights=self._row_rights, **kwargs)

    def _row_rights(self, pk) -> tuple[bool, bool]:
        item = self.datamodel.session.get(self.datamodel.obj, pk)  # the listed record, already loaded
        return not item.edit_problem(), not item.delete_problems()

    def _edit(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        problem = item is not None and item.edit_problem()
        if problem:
            flash(problem, "warning")
            return None
        return super()._edit(pk)

    def pre_delete(self, item):
        problems = item.delete_problems()
        if problems:
            raise RecordInvalid(problems)

    @action("muldelete", _l("Delete"), _l("Delete the selected records?"), "fa-trash", single=False)
    def muldelete(self, items):
        found = [item for item in (items if isinstance(items, list) else [items]) if item is not None]
        deletable = []
        for item in found:
            problems = item.delete_problems()
            if problems:
                flash_refusal(item, problems)
            else:
                deletable.append(item)
        if found and not deletable:
            return redirect(self.get_redirect())
        return super().muldelete(deletable)


class WorkflowViews(LockedRecordViews):
    """Mix into a ``WorkflowRecord``'s ModelView (before ScopedModelView): a status panel with submit /
    accept / return-with-reason on the show page, bulk submit and accept on the list, and the printable
    form (set ``print_template``)."""

    print_template: str
    show_template = "workflow/show.html"

    def _get_show_widget(self, pk, item, **kwargs):
        widgets = super()._get_show_widget(pk, item, **kwargs)
        widgets["workflow"] = lambda: Markup(render_template(
            "workflow/panel.html", record=item, view=self.__class__.__name__, actions=item.allowed_transitions(),
            editable=may(item.permission_name, "w") and not item.edit_problem()))
        return widgets

    @action("submit", _l("Submit"), _l("Submit the selected records to the district?"), "fa-upload",
            single=False)
    def submit(self, items):
        return self._transition(items, lambda item: item.submit(),
                                lambda count: _l("%(count)d records submitted", count=count))

    @action("accept", _l("Accept"), _l("Accept the selected records?"), "fa-check", single=False)
    def accept(self, items):
        return self._transition(items, lambda item: item.accept(),
                                lambda count: _l("%(count)d records accepted", count=count))

    def _transition(self, items, step, done_message):
        found = [item for item in (items if isinstance(items, list) else [items]) if item is not None]
        if not found:  # outside the user's scope: as if it did not exist
            abort(404)
        done = 0
        for item in found:
            try:
                step(item)
                done += 1
            except RecordInvalid as refused:
                flash_refusal(item, refused.problems)
        self.datamodel.session.commit()
        if done:
            flash(done_message(done), "success")
        if isinstance(items, list):
            return redirect(self.get_redirect())
        return redirect(url_for(f"{self.__class__.__name__}.show", pk=found[0].id))

    @expose("/return/<int:pk>", methods=["GET", "POST"])
    @has_access
    def return_record(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        form = ReturnForm()
        if form.validate_on_submit():
            try:
                item.return_to_clerk(form.reason.data)
            except RecordInvalid as refused:
                flash("；".join(map(str, refused.problems.values())), "warning")
            else:
                self.datamodel.session.commit()
                flash(_l("The record was returned to the township"), "success")
            return redirect(url_for(f"{self.__class__.__name__}.show", pk=pk))
        return self.render_template("workflow/return.html", form=form, record=item,
                                    title=_l("Return to the township"),
                                    show_url=url_for(f"{self.__class__.__name__}.show", pk=pk))

    @expose("/print/<int:pk>")
    @has_access
    def print_form(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        return render_template(self.print_template, record=item, **self.print_context())

    def print_context(self) -> dict:
        """What the printed form offers besides the record (e.g. the options printed as boxes)."""
        return {}


class LockedRecordApi:
    """Mix into a ``YearLocked`` record's REST API (before ScopedApi): a delete the model refuses answers
    422 with the reason (an edit already does, through ScopedApi)."""

    def delete_headless(self, pk):
        try:
            return super().delete_headless(pk)
        except RecordInvalid as err:
            self.datamodel.session.rollback()
            return self.response_422(message={k: [str(v)] for k, v in err.problems.items()})
