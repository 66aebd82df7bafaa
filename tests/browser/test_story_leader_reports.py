"""The leader's story of issue 16 in a real browser, offline as on a government intranet: every request to a
host other than loopback is refused (the story fails if one is even tried). The leader opens the rollup and
reads 同比, sees the chart drawn by the portal's own copy of Apache ECharts, opens the trend, clicks a district's
bar and lands on its drill-down, and prints the rollup on A4 landscape. No district map: no boundary file
with a clear open licence could be bundled (README), so the bar chart and its table stand in for it."""
import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.helpers import ARTIFACTS

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}

DRAWN_PIXELS = """id => {
  const element = document.getElementById(id);
  if (!window.echarts || !echarts.getInstanceByDom(element)) { return -1; }
  const canvas = element.querySelector("canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) { drawn++; } }
  return drawn;
}"""

BAR_CENTRE = """([id, name]) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const option = chart.getOption();
  const index = option.yAxis[0].data.indexOf(name);
  const value = option.series[0].data[index].value;
  return chart.convertToPixel({seriesIndex: 0}, [value / 2, index]);
}"""


def offline(page) -> list[str]:
    """Refuse every request to a host other than loopback; the list of those tried."""
    tried = []

    def route(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOOPBACK or f"[{host}]" in LOOPBACK:
            route.continue_()
        else:
            tried.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    return tried


def test_a_leader_reads_yoy_opens_the_trend_and_a_district_from_the_chart_offline(portal, page_as, tmp_path):
    leader = page_as("leader")
    tried = offline(leader)
    leader.goto(f"{portal}/reports/rollup?period=2026")
    expect(leader.locator("h3")).to_contain_text("上海市")
    expect(leader.locator("table.rollup").first).to_contain_text("同比")  # every cell beside last year's
    expect(leader.locator("#rollup-chart-table")).to_contain_text("浦东新区")
    leader.wait_for_function("id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))",
                             arg="rollup-chart")
    assert leader.evaluate(DRAWN_PIXELS, "rollup-chart") > 1000, "the bar chart drew nothing"
    ARTIFACTS.mkdir(exist_ok=True)
    leader.screenshot(path=str(ARTIFACTS / "leader-rollup-yoy.png"), full_page=True)

    quarter = f"{portal}/reports/rollup?period=2026Q2"
    leader.goto(quarter)
    expect(leader.locator("table.rollup").first).to_contain_text("环比")

    leader.goto(f"{portal}/reports/rollup?period=2026")
    leader.click("a:has-text('近5年趋势')")
    leader.wait_for_url(re.compile(r"/reports/trend\?.*span=years"))
    leader.wait_for_function("id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))",
                             arg="trend-chart")
    assert leader.evaluate(DRAWN_PIXELS, "trend-chart") > 1000, "the trend drew nothing"
    header = leader.locator("#trend-chart-table thead th")
    expect(header).to_have_count(6)  # the unit, then five years
    expect(leader.locator("#trend-chart-table")).to_contain_text("浦东新区")
    leader.screenshot(path=str(ARTIFACTS / "leader-trend-5-years.png"), full_page=True)
    leader.click("a:has-text('近8个季度趋势')")
    expect(leader.locator("#trend-chart-table thead th")).to_have_count(9)

    leader.goto(f"{portal}/reports/rollup?period=2026")
    leader.wait_for_function("id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))",
                             arg="rollup-chart")
    x, y = leader.evaluate(BAR_CENTRE, ["rollup-chart", "浦东新区"])
    leader.locator("#rollup-chart").scroll_into_view_if_needed()
    box = leader.locator("#rollup-chart").bounding_box()
    leader.mouse.click(box["x"] + x, box["y"] + y)  # the district's bar opens its drill-down
    leader.wait_for_url(re.compile(r"/reports/rollup\?unit=\d+"))
    expect(leader.locator("h3")).to_contain_text("浦东新区")
    expect(leader.locator("#rollup-chart-table")).to_contain_text("街道")
    leader.screenshot(path=str(ARTIFACTS / "leader-district-drill-down.png"), full_page=True)

    leader.goto(f"{portal}/reports/rollup?period=2026")
    leader.emulate_media(media="print")
    expect(leader.locator("form.report-controls")).to_be_hidden()
    expect(leader.locator("#rollup-chart-table")).to_be_visible()  # the chart's table prints with it
    pdf = tmp_path / "rollup.pdf"
    leader.pdf(path=str(pdf), prefer_css_page_size=True)
    width, height = (float(n) for n in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert tried == [], tried
