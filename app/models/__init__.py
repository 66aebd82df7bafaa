"""The portal's data model, one module per domain area; ``from app.models import X`` works for all."""
from app.models.audit import AuditLog, Audited, write_audit
from app.models.base import Model, RecordInvalid, Validated, db
from app.models.dictionaries import (DICTIONARIES, DetectionType, DevelopmentZone, Dictionary,
                                     DiseaseCategory, EconomicType, EnterpriseSize, HazardCategory,
                                     HazardFactor, Industry, JobType, ProductionStatus,
                                     ProtectiveMeasureType, RegistrationType, RiskClass)
from app.models.employer import Employer
from app.models.checklist import ChecklistItem, ChecklistTemplate
from app.models.fieldwork import Patrol, PatrolAnswer, Screening
from app.models.hazard_report import HazardReport
from app.models.pending_import import PendingImport
from app.models.org import CITY, DISTRICT, PROVINCE, TOWNSHIP, InOrgUnit, InParent, OrgUnit
from app.models.security import PortalUser
from app.models.programme import (Coordinator, CoordinatorAssessment, CoordinatorTraining, DeclarationCandidate,
                                  InstitutionProblem, InstitutionQualityControl, PreventionInstitution,
                                  ServicePlan, SmeAssistance, TrainingActivity, WorkSummary)
from app.models.diseases import Disease
from app.models.duplicate_notice import DuplicateNotice
from app.models.archive import ArchiveReview, ExposureDetection, ExposureSummary, HealthArchive
from app.models.archive_tables import (ArchiveChemical, ArchiveProduct, DiseaseCase, OutsourcingCompany,
                                       SurveillanceResult, SurveillanceSummary)
from app.models.patient import Patient
from app.models.patient_records import (ComplicationVisit, ContactChange, FollowUpVisit, OccupationalHistory,
                                        RehabilitationRecord)
from app.models.score import ScoreAdjustment
from app.models.summary import GLOBAL_STAMP, SummaryStamp, TownshipSummary
from app.models.workflow import ClosedYear
from app.models.indicator_target import IndicatorTarget

__all__ = [name for name in dir() if not name.startswith("_")]
