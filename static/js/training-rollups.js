// The trainers' roll-up charts. Course and company names are typed by users: tooltips are drawn
// as text (SafeCharts.textTooltip), never as HTML.
(function () {
  var data = JSON.parse(document.getElementById("rollup-charts").textContent);
  var words = document.getElementById("chart-labels").dataset;
  var colors = ["#2e7d32", "#f9a825", "#b0bec5"];

  function bars(id, rows, names, color, max) {
    var element = document.getElementById(id);
    if (!element || !rows.length) { return; }
    element.classList.add("rows-" + Math.min(rows.length, 30));
    var chart = echarts.init(element);
    var series = names.map(function (name, i) {
      return {type: "bar", name: name, stack: "all", data: rows.map(function (r) { return r[i + 1]; }),
              label: {show: names.length === 1, position: "right"}};
    });
    chart.setOption({
      color: color, tooltip: SafeCharts.textTooltip({trigger: "axis"}),
      legend: names.length > 1 ? {top: 0} : undefined,
      grid: {left: 8, right: 36, top: names.length > 1 ? 28 : 8, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1, max: max},
      yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }),
              axisLabel: {width: 110, overflow: "truncate"}},
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  bars("courses-chart", data.courses, [words.done, words.going, words.waiting], colors);
  bars("companies-chart", data.companies, [words.rate], ["#c62828"], 100);
  bars("on-track-chart", data.on_track, [words.track], ["#2e7d32"], 100);
})();
