"""Views of the programme work (issue 5), registered under one menu category."""
from flask_babel import lazy_gettext as _l

from app.views.programme.activity import TrainingActivityApi, TrainingActivityView
from app.views.programme.assistance import SmeAssistanceApi, SmeAssistanceView
from app.views.programme.candidate import DeclarationCandidateApi, DeclarationCandidateView
from app.views.programme.coordinator import (CoordinatorApi, CoordinatorAssessmentView,
                                             CoordinatorTrainingView, CoordinatorView)
from app.views.programme.institution import (InstitutionProblemView, InstitutionQualityControlView,
                                             PreventionInstitutionApi, PreventionInstitutionView)
from app.views.programme.plan import ServicePlanApi, ServicePlanView
from app.views.programme.summary import WorkSummaryApi, WorkSummaryView

MENU = (
    (CoordinatorView, _l("Coordinators"), "fa-id-badge"),
    (TrainingActivityView, _l("Training and promotion"), "fa-bullhorn"),
    (ServicePlanView, _l("Service plans"), "fa-calendar"),
    (WorkSummaryView, _l("Work summaries"), "fa-file-text-o"),
    (DeclarationCandidateView, _l("Declaration expansion"), "fa-search-plus"),
    (SmeAssistanceView, _l("SME assistance"), "fa-handshake-o"),
    (PreventionInstitutionView, _l("Prevention institutions"), "fa-hospital-o"),
)
CHILD_VIEWS = (CoordinatorTrainingView, CoordinatorAssessmentView, InstitutionQualityControlView,
               InstitutionProblemView)
APIS = (CoordinatorApi, TrainingActivityApi, ServicePlanApi, WorkSummaryApi, DeclarationCandidateApi,
        SmeAssistanceApi, PreventionInstitutionApi)


def register_programme_views(appbuilder) -> None:
    """Child rows are edited on their parent's page, so their views have no menu item."""
    for view, label, icon in MENU:
        appbuilder.add_view(view, view.class_permission_name, label=label, icon=icon, category="Programme",
                            category_label=_l("Programme work"))
    for view in CHILD_VIEWS:
        appbuilder.add_view_no_menu(view)
    for api in APIS:
        appbuilder.add_api(api)
