"""Code dictionaries: one small view each, all under the system admin's care."""
from flask_babel import lazy_gettext as _l

from app.models import (DetectionType, DevelopmentZone, DiseaseCategory, EconomicType, EnterpriseSize,
                        HazardCategory, HazardFactor, Industry, JobType, ProductionStatus,
                        ProtectiveMeasureType, RegistrationType, RiskClass)
from app.roles import DICTIONARY
from app.views.base import ScopedModelView, scoped


class DictionaryView(ScopedModelView):
    class_permission_name = DICTIONARY
    label_columns = {"code": _l("Code"), "name": _l("Name"), "sort_order": _l("Sort order"),
                     "active": _l("In use"), "parent": _l("Section"), "category": _l("Category"),
                     "cas_number": _l("CAS number"), "catalogue": _l("Catalogue")}
    list_columns = ["code", "name", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "sort_order", "active"]
    search_columns = ["code", "name", "active"]
    base_order = ("sort_order", "asc")
    page_size = 50


class IndustryView(DictionaryView):
    datamodel = scoped(Industry)
    list_title = _l("Industries (GB/T 4754-2017)")
    list_columns = ["code", "name", "parent", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "parent", "sort_order", "active"]
    search_columns = ["code", "name", "parent", "active"]


class RegistrationTypeView(DictionaryView):
    datamodel = scoped(RegistrationType)
    list_title = _l("Registration types")


class EconomicTypeView(DictionaryView):
    datamodel = scoped(EconomicType)
    list_title = _l("Economic types")


class EnterpriseSizeView(DictionaryView):
    datamodel = scoped(EnterpriseSize)
    list_title = _l("Enterprise sizes")


class RiskClassView(DictionaryView):
    datamodel = scoped(RiskClass)
    list_title = _l("Risk classes")


class ProductionStatusView(DictionaryView):
    datamodel = scoped(ProductionStatus)
    list_title = _l("Production statuses")


class HazardCategoryView(DictionaryView):
    datamodel = scoped(HazardCategory)
    list_title = _l("Hazard categories")


class HazardFactorView(DictionaryView):
    datamodel = scoped(HazardFactor)
    list_title = _l("Hazard factors (2015 catalogue)")
    list_columns = ["category", "code", "name", "cas_number", "active"]
    add_columns = edit_columns = show_columns = ["category", "code", "name", "cas_number", "sort_order",
                                                 "active"]
    search_columns = ["category", "code", "name", "cas_number", "active"]


class DiseaseCategoryView(DictionaryView):
    datamodel = scoped(DiseaseCategory)
    list_title = _l("Occupational disease categories")
    list_columns = ["catalogue", "code", "name", "active"]
    add_columns = edit_columns = show_columns = ["catalogue", "code", "name", "sort_order", "active"]
    search_columns = ["catalogue", "code", "name", "active"]


class DevelopmentZoneView(DictionaryView):
    datamodel = scoped(DevelopmentZone)
    list_title = _l("Development zones")


class JobTypeView(DictionaryView):
    datamodel = scoped(JobType)
    list_title = _l("Job types")


class ProtectiveMeasureTypeView(DictionaryView):
    datamodel = scoped(ProtectiveMeasureType)
    list_title = _l("Protective measure types")


class DetectionTypeView(DictionaryView):
    datamodel = scoped(DetectionType)
    list_title = _l("Detection types")


DICTIONARY_VIEWS = (
    (IndustryView, _l("Industries")), (RegistrationTypeView, _l("Registration types")),
    (EconomicTypeView, _l("Economic types")), (EnterpriseSizeView, _l("Enterprise sizes")),
    (RiskClassView, _l("Risk classes")), (ProductionStatusView, _l("Production statuses")),
    (HazardCategoryView, _l("Hazard categories")), (HazardFactorView, _l("Hazard factors")),
    (DiseaseCategoryView, _l("Occupational disease categories")),
    (DevelopmentZoneView, _l("Development zones")), (JobTypeView, _l("Job types")),
    (ProtectiveMeasureTypeView, _l("Protective measure types")), (DetectionTypeView, _l("Detection types")),
)
