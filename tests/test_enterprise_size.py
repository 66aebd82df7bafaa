"""Size suggestion from the 2017 statistics rule: every bound for large/medium/small, one for micro."""
from app.enterprise_size import LARGE, MEDIUM, MICRO, SMALL, suggest_size


def test_industrial_enterprise_must_reach_every_bound():
    assert suggest_size("C", "33", 1200, 50000) == LARGE
    assert suggest_size("C", "33", 1200, 30000) == MEDIUM  # revenue below the large bound drops a tier
    assert suggest_size("C", "33", 300, 2000) == MEDIUM
    assert suggest_size("C", "33", 25, 100) == MICRO  # revenue under 300 万元 is enough for micro
    assert suggest_size("C", "33", 25, 500) == SMALL
    assert suggest_size("C", "33", 19, 50000) == MICRO


def test_other_industries_use_their_own_bounds():
    assert suggest_size("F", "52", 60, 600) == MEDIUM  # retail
    assert suggest_size("L", "72", 120, None) == MEDIUM  # business services: employees only
    assert suggest_size("P", "83", 5, None) == MICRO


def test_no_suggestion_without_the_indicators_needed():
    assert suggest_size("C", "33", 500, None) is None
