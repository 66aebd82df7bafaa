"""Enterprise size suggestion (统计上大中小微型企业划分办法, 国统字〔2017〕213号).

Large, medium and small must reach the lower bound of every indicator listed for the industry, otherwise
the enterprise drops a tier; micro needs only one indicator below the small bound. Only employees and
operating revenue (万元) are on our forms, so industries measured by total assets use the indicators we
have. The clerk's own choice always stands: this only suggests.
"""
from flask_babel import lazy_gettext as _l

LARGE, MEDIUM, SMALL, MICRO = "1", "2", "3", "4"  # Annex 4 note 6: 1-大、2-中、3-小、4-微
SIZE_NAMES = {LARGE: _l("Large"), MEDIUM: _l("Medium"), SMALL: _l("Small"), MICRO: _l("Micro")}

# (employees, revenue) lower bounds for large, medium, small; None = indicator not used.
_INDUSTRIAL = ((1000, 40000), (300, 2000), (20, 300))
_RULES_BY_DIVISION = {
    "51": ((200, 40000), (20, 5000), (5, 1000)),  # wholesale
    "52": ((300, 20000), (50, 500), (10, 100)),  # retail
    "59": ((200, 30000), (100, 1000), (20, 100)),  # warehousing
    "60": ((1000, 30000), (300, 2000), (20, 100)),  # postal
    "61": ((300, 10000), (100, 2000), (10, 100)),  # accommodation
    "62": ((300, 10000), (100, 2000), (10, 100)),  # catering
    "63": ((2000, 100000), (100, 1000), (10, 100)),  # telecoms
    "64": ((2000, 100000), (100, 1000), (10, 100)),  # internet
    "65": ((300, 10000), (100, 1000), (10, 50)),  # software and IT services
    "70": ((None, 200000), (None, 1000), (None, 100)),  # real estate development
}
_RULES_BY_SECTION = {
    "A": ((None, 20000), (None, 500), (None, 50)),  # agriculture
    "B": _INDUSTRIAL,
    "C": _INDUSTRIAL,
    "D": _INDUSTRIAL,
    "E": ((None, 80000), (None, 6000), (None, 300)),  # construction
    "G": ((1000, 30000), (300, 3000), (20, 200)),  # transport
    "L": ((300, None), (100, None), (10, None)),  # leasing and business services
}
_OTHER = ((300, None), (100, None), (10, None))


def suggest_size(section: str | None, division: str | None, employees: int | None,
                 revenue: float | None) -> str | None:
    """The size code the rules give, or None when an indicator they need is missing."""
    rule = _RULES_BY_DIVISION.get(division or "") or _RULES_BY_SECTION.get(section or "", _OTHER)
    values = (employees, revenue)
    for tier, bounds in zip((LARGE, MEDIUM, SMALL), rule):
        needed = [(value, bound) for value, bound in zip(values, bounds) if bound is not None]
        if any(value is None for value, _ in needed):
            return None
        if all(value >= bound for value, bound in needed):
            return tier
    return MICRO
