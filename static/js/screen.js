// The big screen: draws every panel once, then reads the data again on an interval and updates
// the panels in place. Built to run for days: each chart is made once and only fed new options
// (setOption), HTML panels are refilled with plain text nodes (no listeners to leak), one timer
// runs at a time, and the next read is scheduled only after the last one finished.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var charts = {};
  var drawn = {};  // each panel's data as last drawn: an unchanged panel is left alone
  var emptyText = "";
  var refreshes = 0;
  var stopped = false;

  function body(key) { return document.getElementById("panel-" + key + "-body"); }

  function chart(key) {
    if (!charts[key]) { charts[key] = echarts.init(body(key), null, {renderer: "canvas"}); }
    return charts[key];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = String(text); }
    return node;
  }

  function empty(key) {
    if (charts[key]) { charts[key].dispose(); delete charts[key]; }
    body(key).replaceChildren(el("p", "empty", emptyText));
  }

  var AXIS = {color: "#fbe9e7", fontSize: 16};
  // A chart whose data changed is drawn afresh: the old instance is disposed (its canvas,
  // listeners, models and caches let go) and a new one takes the whole option. Merging new
  // data into a live chart for days kept some of each old dataset (measured in Chromium).
  function update(key, option) {
    if (charts[key]) { charts[key].dispose(); delete charts[key]; }
    body(key).replaceChildren();
    chart(key).setOption(option);
  }
  var draw = {
    tree: function (key, data) {
      if (!data || !data.children) { return empty(key); }
      update(key, {tooltip: SafeCharts.textTooltip(), animation: false,
                series: [{type: "tree", id: "tree", data: [data], top: 20, bottom: 20, left: "30%",
                          right: "26%", symbolSize: 10, initialTreeDepth: -1,
                          expandAndCollapse: false,
                          itemStyle: {color: "#ffd54f", borderColor: "#ffd54f"},
                          lineStyle: {color: "rgba(255,213,79,.5)"},
                          label: {color: "#fbe9e7", fontSize: 16, position: "left",
                                  align: "right"},
                          leaves: {label: {position: "right", align: "left"}}}]});
    },
    bars: function (key, rows) {
      if (!rows.length) { return empty(key); }
      update(key, {animation: false, grid: {left: 110, right: 60, top: 5, bottom: 5},
                xAxis: {type: "value", show: false},
                yAxis: {type: "category", inverse: true, axisLabel: AXIS,
                        axisLine: {show: false}, axisTick: {show: false},
                        data: rows.map(function (r) { return r.name; })},
                series: [{type: "bar", id: "bars", barMaxWidth: 22,
                          data: rows.map(function (r) { return r.value; }),
                          itemStyle: {color: "#e53935"},
                          label: {show: true, position: "right", color: "#ffd54f",
                                  fontSize: 16}}]});
    },
    list: function (key, rows) {
      if (!rows.length) { return empty(key); }
      var list = el("ul", "rows");
      rows.forEach(function (r) {
        var li = el("li", r.past ? "past" : "");
        var text = el("span", "", r.title);
        text.appendChild(el("small", "", r.sub));
        li.appendChild(text);
        li.appendChild(el("strong", "", r.value));
        list.appendChild(li);
      });
      body(key).replaceChildren(list);
    },
    figures: function (key, rows) {
      if (!rows.length) { return empty(key); }
      var tiles = el("div", "tiles");
      rows.forEach(function (r) {
        var tile = el("div");
        tile.appendChild(el("strong", "", r.value));
        tile.appendChild(document.createTextNode(r.label + "（" + r.unit + "）"));
        tiles.appendChild(tile);
      });
      body(key).replaceChildren(tiles);
    }
  };

  function render(data) {
    emptyText = data.empty;
    Object.keys(config.panels).forEach(function (key) {
      var kind = config.panels[key];
      if (!draw[kind] || !(key in data.panels)) { return; }
      var text = JSON.stringify(data.panels[key]);
      if (drawn[key] === text) { return; }
      drawn[key] = text;
      draw[kind](key, data.panels[key]);
    });
    document.getElementById("screen-clock").textContent = data.at;
  }

  function status(text) { document.getElementById("screen-status").textContent = text; }

  function next() {
    if (!stopped) { setTimeout(refresh, config.every); }
  }

  function refresh() {
    fetch(config.data, {credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer"})
      .then(function (response) {
        if (response.status === 403 || response.status === 404) {
          stopped = true;
          status(config.revoked);
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (data) {
          render(data);
          status("");
        }
      })
      .catch(function () { status("…"); })  // offline a moment: keep the last figures
      .then(function () {
        refreshes += 1;
        document.body.dataset.refreshes = String(refreshes);
        next();
      });
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
  });
  refresh();
})();
