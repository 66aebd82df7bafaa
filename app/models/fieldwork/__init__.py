"""Field visits (DOMAIN.md §3): screenings (排查, Annex 2) and patrols (巡查, Annex 3 / Guizhou Annex 1) with
their checklist answers. Both follow the submit and review workflow and are read-only in a closed year."""
from app.models.fieldwork.patrol import PATROL_HEADER, Patrol, PatrolAnswer, patrol_hazard
from app.models.fieldwork.register import carry_visits_to_the_register
from app.models.fieldwork.screening import (ALL, DETECTION_STATUS, EXAM_STATUS, EXPOSURE_CATEGORIES, EXPOSURE_FIELDS,
                                            NONE, PARTIAL, REGISTER_FIELDS, TRAINING_COVERAGE, Screening,
                                            screening_hazard)
from app.models.fieldwork.visit import FieldVisit, employer_elsewhere, fill_defaults, follow_employer, in_future

__all__ = ["ALL", "DETECTION_STATUS", "EXAM_STATUS", "EXPOSURE_CATEGORIES", "EXPOSURE_FIELDS", "NONE", "PARTIAL",
           "PATROL_HEADER", "REGISTER_FIELDS", "TRAINING_COVERAGE", "FieldVisit", "Patrol", "PatrolAnswer",
           "Screening", "carry_visits_to_the_register", "employer_elsewhere", "fill_defaults", "follow_employer",
           "in_future", "patrol_hazard", "screening_hazard"]
