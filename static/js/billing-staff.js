// Staff's billing charts: companies by billing status, and sponsored periods ending soon.
// Company names are typed by users: tooltips are drawn as text (SafeCharts.textTooltip).
(function () {
  var data = JSON.parse(document.getElementById("billing-charts").textContent);

  function bars(id, rows, color) {
    var element = document.getElementById(id);
    if (!element || !rows.length) { return; }
    var chart = echarts.init(element);
    chart.setOption({
      color: [color], tooltip: SafeCharts.textTooltip({trigger: "axis"}),
      grid: {left: 8, right: 36, top: 8, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }),
              axisLabel: {width: 110, overflow: "truncate"}},
      series: [{type: "bar", data: rows.map(function (r) { return r[1]; }),
                label: {show: true, position: "right"}}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  bars("status-chart", data.by_status, "#c62828");
  bars("ending-chart", data.ending, "#f9a825");
})();
