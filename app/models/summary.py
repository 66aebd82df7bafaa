"""Live rollups at province scale (issue 15, item 4): each township's sums of a grouped indicator query,
kept per query and township, and a version per township that every write bumps in its own transaction.

A write to any table an indicator reads (an employer, a screening, a patrol answer, an archive review, a
follow-up visit, a coordinator's training …) bumps the version of each township it touches, by triggers
on those tables (migration 0022: every write path — forms, workflow steps, the API, imports, bulk
statements). A dictionary row an indicator reads (a risk class's, industry's or production status's id or
code; its name is not read) bumps the global version, row 0. A summary row is valid only while the
versions it was computed at are current: the rollup reads the valid rows and runs the grouped query again
for the other townships only (app/reports/summary.py). A record saved is therefore in the next rollup,
with no batch step."""
from sqlalchemy import Column, Date, Integer, String, Text

from app.models.base import Model

GLOBAL_STAMP = 0  # the summary_stamp row of the dictionaries, which every township reads
# The tables whose writes bump the versions (migration 0022's triggers): only a query that reads no other
# table may be kept (tests/test_report_summary.py checks the triggers are there).
VERSIONED_TABLES = frozenset({
    "employer", "screening", "patrol", "hazard_report", "patrol_answer", "health_archive",
    "archive_exposure_detection", "archive_exposure_summary", "archive_review", "patient",
    "patient_follow_up_visit", "coordinator", "coordinator_training", "training_activity", "sme_assistance",
    "industry", "production_status", "risk_class"})


class SummaryStamp(Model):
    """A township's (any org unit's) version: bumped by each write to the rows its sums read."""
    __tablename__ = "summary_stamp"

    org_unit_id = Column(Integer, primary_key=True, autoincrement=False)  # GLOBAL_STAMP: the dictionaries
    version = Column(Integer, nullable=False, default=0)


class TownshipSummary(Model):
    """One population's sums for one township (its numerator and denominator, as text), as computed at the
    township's version and the global version."""
    __tablename__ = "township_summary"

    query_key = Column(String(40), primary_key=True)  # sha1 of the population's grouped SQL: its period, rule
    org_unit_id = Column(Integer, primary_key=True, autoincrement=False)
    version = Column(Integer, nullable=False)
    global_version = Column(Integer, nullable=False)
    sums = Column(Text, nullable=False)  # "numerator denominator"
    # A query that reads today's date (the due lists' counts) is kept for the day: dropped after it.
    expires_on = Column(Date, index=True)
