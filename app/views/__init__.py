"""The portal's views, one module per domain area, registered in one place."""
from flask_babel import lazy_gettext as _l

from app.views.archive import ARCHIVE_ROW_VIEWS, ArchiveApi, ArchiveView
from app.views.audit import AuditLogView, DuplicateNoticeView
from app.views.dictionaries import DICTIONARY_VIEWS
from app.views.due import DueListsView
from app.views.employer import EmployerApi, EmployerView
from app.views.employer_import import EmployerImportView
from app.views.fieldwork import (ChecklistItemView, ChecklistTemplateView, ClosedYearView, HazardReportApi,
                                 HazardReportView, PatrolApi, PatrolView, ScreeningApi, ScreeningView)
from app.views.org import OrgUnitApi, OrgUnitView
from app.views.patient import PATIENT_ROW_VIEWS, DiseaseView, PatientApi, PatientView
from app.views.programme import register_programme_views
from app.views.register import PatrolRegisterView
from app.views.targets import IndicatorTargetView
from app.views.reports import ReportsView
from app.views.score import ScoreAdjustmentApi, ScoreAdjustmentView, ScoreView
from app.views.security import PortalSecurityManager, PortalUserView


def register_views(appbuilder) -> None:
    """Menu items are named by the view's permission name, so read rights decide what a role sees."""
    appbuilder.add_view(EmployerView, EmployerView.class_permission_name, label=_l("Employers"),
                        icon="fa-industry", category="Registry", category_label=_l("Registry"))
    appbuilder.add_view(EmployerImportView, "EmployerImport", label=_l("Import employers from Excel"),
                        icon="fa-upload", category="Registry", category_label=_l("Registry"))
    for view, label, icon in ((ScreeningView, _l("Screenings"), "fa-search"), (PatrolView, _l("Patrols"), "fa-road"),
                              (HazardReportView, _l("Hazard and clue reports"), "fa-exclamation-triangle"),
                              (ClosedYearView, _l("Closed years"), "fa-lock")):
        appbuilder.add_view(view, view.class_permission_name, label=label, icon=icon, category="Fieldwork",
                            category_label=_l("Field work"))
    appbuilder.add_view(ArchiveView, ArchiveView.class_permission_name,
                        label=_l("Occupational-health archives"),
                        icon="fa-folder-open", category="Registry", category_label=_l("Registry"))
    appbuilder.add_view(PatientView, PatientView.class_permission_name,
                        label=_l("Occupational-disease patients"),
                        icon="fa-user-md", category="Patients", category_label=_l("Patients"))
    appbuilder.add_view(DuplicateNoticeView, DuplicateNoticeView.class_permission_name,
                        label=_l("Registrations refused outside the jurisdiction"),
                        icon="fa-exchange", category="Patients", category_label=_l("Patients"))
    register_programme_views(appbuilder)
    appbuilder.add_view(OrgUnitView, OrgUnitView.class_permission_name, label=_l("Org units"),
                        icon="fa-sitemap", category="Organisation", category_label=_l("Organisation"))
    for view, label in DICTIONARY_VIEWS:
        appbuilder.add_view(view, view.__name__, label=label, category="Dictionaries",
                            category_label=_l("Dictionaries"), icon="fa-book")
    appbuilder.add_view(ReportsView, ReportsView.class_permission_name, label=_l("Indicator rollup"),
                        icon="fa-bar-chart", category="Reports", category_label=_l("Reports"))
    appbuilder.add_view(DueListsView, DueListsView.class_permission_name, label=_l("Due and overdue lists"),
                        icon="fa-bell", category="Reports", category_label=_l("Reports"))
    for view, label, icon in ((PatrolRegisterView, _l("Patrol work register"), "fa-list-alt"),
                              (ScoreView, _l("Assessment score"), "fa-trophy"),
                              (ScoreAdjustmentView, _l("Score deductions"), "fa-minus-circle"),
                              (IndicatorTargetView, _l("Indicator targets"), "fa-bullseye")):
        appbuilder.add_view(view, view.class_permission_name, label=label, icon=icon, category="Reports",
                            category_label=_l("Reports"))
    appbuilder.add_api(ScoreAdjustmentApi)
    appbuilder.add_view(AuditLogView, AuditLogView.class_permission_name, label=_l("Audit log"),
                        icon="fa-history", category="Audit", category_label=_l("Audit"))
    appbuilder.add_api(EmployerApi)
    appbuilder.add_api(OrgUnitApi)
    appbuilder.add_view(DiseaseView, DiseaseView.__name__, label=_l("Occupational diseases"),
                        category="Dictionaries", category_label=_l("Dictionaries"), icon="fa-book")
    for view in ARCHIVE_ROW_VIEWS + PATIENT_ROW_VIEWS:
        appbuilder.add_view_no_menu(view)
    appbuilder.add_api(ArchiveApi)
    appbuilder.add_api(PatientApi)
    appbuilder.add_view(ChecklistTemplateView, ChecklistTemplateView.class_permission_name,
                        label=_l("Checklist templates"), icon="fa-list-ol", category="Dictionaries",
                        category_label=_l("Dictionaries"))
    appbuilder.add_view_no_menu(ChecklistItemView)
    for api in (ScreeningApi, PatrolApi, HazardReportApi):
        appbuilder.add_api(api)


__all__ = ["register_views", "PortalSecurityManager", "PortalUserView"]
