"""Views of records with personal data (ID and phone numbers): the one place that decides who sees
them in full.

Lists, related lists on a parent's page and the xlsx export show only the masked values, for every
role: the view swaps each personal column for its ``<field>_masked`` property, whatever the view lists;
searching a personal column matches the full value only. The record page and the edit form show the
full value to users who may edit the record (write right on the entity; the record is in their scope or
they would get 404), and each such view is written to the audit log ("view_personal", one entry per
field shown). Everyone else sees the masked value there too.
"""
from flask_appbuilder.models.sqla.filters import FilterEqual

from app.models import write_audit
from app.views.base import ScopedModelView


class PersonalDataView(ScopedModelView):
    def _init_properties(self):
        model = self.datamodel.obj
        labels = dict(self.label_columns or {})
        for field in model.personal_fields:
            if field in labels:
                labels[model.masked_name(field)] = labels[field]
        self.label_columns = labels
        self.list_columns = [model.masked_name(column) for column in self.list_columns or []]
        super()._init_properties()
        # A personal number is found by its full value only: "starts with" and the like would let a reader
        # recover a number digit by digit from the result counts. Any filter index in a URL means "equal".
        filters = self._filters
        for field in model.personal_fields:
            if field in filters._all_filters:
                exact = next(f for f in filters._all_filters[field] if isinstance(f, FilterEqual))
                filters._all_filters[field] = [exact] * len(filters._all_filters[field])
                if field in filters._search_filters:
                    filters._search_filters[field] = [exact]

    def may_see_personal_data(self) -> bool:
        return self.appbuilder.sm.has_access("can_write", self.class_permission_name)

    def log_personal_view(self, item, columns) -> None:
        shown = [field for field in item.personal_fields if field in columns and getattr(item, field)]
        for field in shown:
            write_audit(self.datamodel.session, "view_personal", item, {"field": field})
        if shown:
            self.datamodel.session.commit()

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        """FAB's show widget, with each personal value masked unless the user may edit the record."""
        if self.may_see_personal_data():
            self.log_personal_view(item, self.show_columns)
            values = self.show_columns
        else:
            values = [self.datamodel.obj.masked_name(column) for column in self.show_columns]
        widgets = widgets or {}
        widgets["show"] = self.show_widget(
            pk=pk, label_columns=self.label_columns, include_columns=self.show_columns,
            value_columns=self.datamodel.get_values_item(item, values),
            formatters_columns=self.formatters_columns, actions=actions or self.actions,
            fieldsets=show_fieldsets or self.show_fieldsets, modelview_name=self.__class__.__name__,
        )
        return widgets

    def prefill_form(self, form, pk):
        """The edit form shows the stored values in full: only writers reach it, and it is logged."""
        self.log_personal_view(self.datamodel.get(pk), self.edit_columns)
