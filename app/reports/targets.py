"""A city's indicator set for a period: which indicators it uses and their targets, read from the city
admin's IndicatorTarget rows of the period's year. A year without rows keeps the latest earlier year's set
(a set carries on until the city changes it); a city that has never set one gets the default set
(``Indicator.used`` and ``Indicator.target``: Shanghai's)."""
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from app.models import CITY, IndicatorTarget, OrgUnit, db
from app.models.indicator_target import AT_LEAST, AT_MOST, RATE
from app.reports.engine import Indicator, with_half_years
from app.reports.indicators import INDICATORS
from app.reports.periods import Period

# Where the default (Shanghai's) target of each indicator comes from: DOMAIN.md §4 and the seeds.
DEFAULT_SOURCES = {
    "declaration": "上海市职业健康协管服务工作流程 附件6 考核评估指标（申报率不低于95%）",
    "archive": "上海市职业健康协管服务工作流程 附件6 考核评估指标（规范建档率不低于95%）",
    "new_screening": "上海市职业健康协管服务工作流程 附件6（每年对新增用人单位全覆盖排查）",
    "patrol": "上海市职业健康协管服务工作流程 附件6（每上、下半年各全覆盖巡查）",
    "follow_up": "上海市职业健康协管服务工作流程 附件6（随访率100%）",
    "on_time": "上海市职业健康协管服务工作流程 附件6（巡、排查记录上报率100％）",
    "information": "贵州省职业健康监督协管员制度 第八条（二）职业病危害信息报告率",
    "detection": "沧卫职健〔2020〕1号（工作场所职业病危害因素检测）",
    "health_exam": "沧卫职健〔2020〕1号（职业健康检查率）",
    "training": "沧卫职健〔2020〕1号（劳动者培训率）",
    "coordinator_attended": "贵州省职业健康监督协管员制度 第八条（五）培训参加率90%以上",
    "coordinator_passed": "贵州省职业健康监督协管员制度 第八条（五）培训合格率90%以上",
    "sme_declared": "重庆市“三项行动”方案 附件3（被帮扶企业申报率100%）",
    "sme_detected": "重庆市“三项行动”方案 附件3（被帮扶企业定期检测率100%）",
    "sme_examined": "重庆市“三项行动”方案 附件3（被帮扶企业职业健康检查开展率100%）",
    "sme_trained": "重庆市“三项行动”方案 附件3（被帮扶企业职业健康培训率100%）",
    "sme_count": "重庆市“三项行动”方案 附件3（每个区县每年帮扶不少于20家）",
}


@dataclass(frozen=True)
class IndicatorSet:
    indicators: list[Indicator]  # the used ones with the city's targets, each half-year after a by_half one
    year: int | None  # the year whose rows gave the set; None: the default set
    sources: dict[str, str]  # indicator code → the document its target comes from

    def find(self, code: str | None) -> Indicator | None:
        return next((indicator for indicator in self.indicators if indicator.code == code), None)


def city_of(unit: OrgUnit) -> OrgUnit | None:
    while unit is not None and unit.level != CITY:
        unit = unit.parent
    return unit


def indicator_set(unit: OrgUnit, period: Period) -> IndicatorSet:
    """The set of ``unit``'s city for the period's (first) year; a province, above its cities' sets, shows
    the default set."""
    city = city_of(unit)
    rows = []
    if city is not None:
        latest = (select(func.max(IndicatorTarget.year))
                  .where(IndicatorTarget.org_unit_id == city.id, IndicatorTarget.year <= period.year)
                  .scalar_subquery())
        rows = db.session.scalars(select(IndicatorTarget).where(IndicatorTarget.org_unit_id == city.id,
                                                                IndicatorTarget.year == latest)).all()
    if not rows:
        used = [indicator for indicator in INDICATORS if indicator.used]
        return IndicatorSet(with_half_years(used, period), None,
                            {indicator.code: DEFAULT_SOURCES.get(indicator.code, "") for indicator in used})
    by_code = {row.indicator: row for row in rows}
    used = [replace(indicator, target=by_code[indicator.code].target_value,
                    at_most=by_code[indicator.code].comparison == AT_MOST)
            for indicator in INDICATORS if indicator.code in by_code and by_code[indicator.code].used]
    return IndicatorSet(with_half_years(used, period), rows[0].year,
                        {row.indicator: row.source_document for row in rows if row.used})


def default_targets(city: OrgUnit, year: int) -> list[IndicatorTarget]:
    """The default set as a city's rows for ``year`` (the demo seeds Shanghai's this way)."""
    return [IndicatorTarget(org_unit=city, year=year, indicator=indicator.code, used=True, comparison=AT_LEAST,
                            target=round(indicator.target * 100, 2) if indicator.kind == RATE else indicator.target,
                            source_document=DEFAULT_SOURCES[indicator.code])
            for indicator in INDICATORS if indicator.used]
