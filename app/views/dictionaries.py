"""Code dictionaries: one small view each, all under the system admin's care."""
from flask_babel import lazy_gettext as _l

from app.models import (DetectionType, DevelopmentZone, DiseaseCategory, EconomicType, EnterpriseSize,
                        HazardCategory, HazardFactor, Industry, JobType, ProductionStatus,
                        ProtectiveMeasureType, RegistrationType, RiskClass)
from app.labels import DICTIONARY_LABELS
from app.roles import DICTIONARY
from app.views.base import ScopedModelView, scoped


class DictionaryView(ScopedModelView):
    class_permission_name = DICTIONARY
    label_columns = dict(DICTIONARY_LABELS)  # a copy: FAB adds its own to a view's labels
    list_columns = ["code", "name", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "sort_order", "active"]
    search_columns = ["code", "name", "active"]
    base_order = ("sort_order", "asc")
    page_size = 50


class IndustryView(DictionaryView):
    datamodel = scoped(Industry)
    list_title = _l("Industries (GB/T 4754-2017)")
    record_label = _l("Industry classification")
    list_columns = ["code", "name", "parent", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "parent", "sort_order", "active"]
    search_columns = ["code", "name", "parent", "active"]


class RegistrationTypeView(DictionaryView):
    datamodel = scoped(RegistrationType)
    list_title = _l("Registration types")
    record_label = _l("Registration type")


class EconomicTypeView(DictionaryView):
    datamodel = scoped(EconomicType)
    list_title = _l("Economic types")
    record_label = _l("Economic type")


class EnterpriseSizeView(DictionaryView):
    datamodel = scoped(EnterpriseSize)
    list_title = _l("Enterprise sizes")
    record_label = _l("Enterprise size")


class RiskClassView(DictionaryView):
    datamodel = scoped(RiskClass)
    list_title = _l("Risk classes")
    record_label = _l("Risk class")


class ProductionStatusView(DictionaryView):
    datamodel = scoped(ProductionStatus)
    list_title = _l("Production statuses")
    record_label = _l("Production status")


class HazardCategoryView(DictionaryView):
    datamodel = scoped(HazardCategory)
    list_title = _l("Hazard categories")
    record_label = _l("Hazard category")


class HazardFactorView(DictionaryView):
    datamodel = scoped(HazardFactor)
    list_title = _l("Hazard factors (2015 catalogue)")
    record_label = _l("Hazard factor")
    list_columns = ["category", "code", "name", "cas_number", "active"]
    add_columns = edit_columns = show_columns = ["category", "code", "name", "cas_number", "sort_order",
                                                 "active"]
    search_columns = ["category", "code", "name", "cas_number", "active"]


class DiseaseCategoryView(DictionaryView):
    datamodel = scoped(DiseaseCategory)
    list_title = _l("Occupational disease categories")
    record_label = _l("Disease category")
    list_columns = ["catalogue", "code", "name", "active"]
    add_columns = edit_columns = show_columns = ["catalogue", "code", "name", "sort_order", "active"]
    search_columns = ["catalogue", "code", "name", "active"]


class DevelopmentZoneView(DictionaryView):
    datamodel = scoped(DevelopmentZone)
    list_title = _l("Development zones")
    record_label = _l("Development zone")


class JobTypeView(DictionaryView):
    datamodel = scoped(JobType)
    list_title = _l("Job types")
    record_label = _l("Job type")


class ProtectiveMeasureTypeView(DictionaryView):
    datamodel = scoped(ProtectiveMeasureType)
    list_title = _l("Protective measure types")
    record_label = _l("Protective measure type")


class DetectionTypeView(DictionaryView):
    datamodel = scoped(DetectionType)
    list_title = _l("Detection types")
    record_label = _l("Detection type")


DICTIONARY_VIEWS = (
    (IndustryView, _l("Industries")), (RegistrationTypeView, _l("Registration types")),
    (EconomicTypeView, _l("Economic types")), (EnterpriseSizeView, _l("Enterprise sizes")),
    (RiskClassView, _l("Risk classes")), (ProductionStatusView, _l("Production statuses")),
    (HazardCategoryView, _l("Hazard categories")), (HazardFactorView, _l("Hazard factors")),
    (DiseaseCategoryView, _l("Occupational disease categories")),
    (DevelopmentZoneView, _l("Development zones")), (JobTypeView, _l("Job types")),
    (ProtectiveMeasureTypeView, _l("Protective measure types")), (DetectionTypeView, _l("Detection types")),
)
