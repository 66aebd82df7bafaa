/* The reports' charts, drawn with the vendored Apache ECharts (static/vendor/echarts, never a CDN): each
   <div data-chart="ID"> is drawn from the JSON of <script type="application/json" id="ID">, which the server
   writes (app/views/report_charts.py). Every chart has a table beside it saying the same for screen readers
   and printing. A bar that names a link opens it (the unit's drill-down). */
(function () {
  "use strict";
  var MET = "#5cb85c", UNMET = "#d9534f", PLAIN = "#5bc0de";

  function formatted(spec, value) {
    if (value === null || value === undefined) { return "—"; }
    return value.toFixed(spec.decimals) + spec.suffix;
  }

  function bars(spec) {
    return {
      animation: false,
      grid: {left: 8, right: 72, top: 24, bottom: 8, containLabel: true},
      tooltip: {trigger: "item", formatter: function (item) { return item.name + "：" + formatted(spec, item.value); }},
      xAxis: {type: "value", max: spec.max, axisLabel: {formatter: function (v) { return v + spec.suffix; }}},
      yAxis: {type: "category", inverse: true, data: spec.names, axisLabel: {interval: 0}},
      series: [{
        type: "bar", barMaxWidth: 22, cursor: "pointer",
        data: spec.values.map(function (value, i) {
          var colour = {"true": MET, "false": UNMET}[String(spec.met[i])] || PLAIN;
          return {value: value, itemStyle: {color: colour}};
        }),
        label: {show: true, position: "right", formatter: function (item) { return formatted(spec, item.value); }},
        markLine: spec.target === null ? undefined : {
          symbol: "none", silent: true, lineStyle: {type: "dashed", color: "#333"},
          label: {formatter: spec.target_label}, data: [{xAxis: spec.target}]
        }
      }]
    };
  }

  function lines(spec) {
    var series = spec.lines.map(function (line, i) {
      return {type: "line", name: line.name, data: line.values, connectNulls: false, symbolSize: i === 0 ? 8 : 5,
              lineStyle: {width: i === 0 ? 4 : 1.5}, z: i === 0 ? 3 : 2};
    });
    series.push({type: "line", name: spec.target_name, data: spec.targets, step: "middle", symbol: "none",
                 lineStyle: {type: "dashed", color: "#333", width: 1.5}, itemStyle: {color: "#333"}});
    return {
      animation: false,
      legend: {type: "scroll", top: 0},
      grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", valueFormatter: function (value) { return formatted(spec, value); }},
      xAxis: {type: "category", data: spec.periods},
      yAxis: {type: "value", max: spec.max, axisLabel: {formatter: function (v) { return v + spec.suffix; }}},
      series: series
    };
  }

  var BUILDERS = {bars: bars, lines: lines};

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = JSON.parse(document.getElementById(element.getAttribute("data-chart")).textContent);
    var chart = echarts.init(element, null, {renderer: "canvas"});
    chart.setOption(BUILDERS[spec.kind](spec));
    if (spec.links) {
      chart.on("click", function (item) {
        if (spec.links[item.dataIndex]) { window.location.href = spec.links[item.dataIndex]; }
      });
    }
    // Redrawn to its box's width on the screen and on paper (print styles give the box the page's width).
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
    window.matchMedia("print").addEventListener("change", function () { chart.resize(); });
  });
}());
