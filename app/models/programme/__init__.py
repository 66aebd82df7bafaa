"""Programme work of the townships and districts (issue 5): coordinators, training and promotion, service
plans, prevention institutions, declaration-expansion candidates, SME assistance and work summaries."""
from app.models.programme.activity import TrainingActivity
from app.models.programme.assistance import SmeAssistance
from app.models.programme.candidate import DeclarationCandidate
from app.models.programme.coordinator import Coordinator, CoordinatorAssessment, CoordinatorTraining
from app.models.programme.institution import (InstitutionProblem, InstitutionQualityControl,
                                             PreventionInstitution)
from app.models.programme.plan import ServicePlan
from app.models.programme.summary import WorkSummary

__all__ = ["Coordinator", "CoordinatorAssessment", "CoordinatorTraining", "DeclarationCandidate",
           "InstitutionProblem", "InstitutionQualityControl", "PreventionInstitution", "ServicePlan",
           "SmeAssistance", "TrainingActivity", "WorkSummary"]
