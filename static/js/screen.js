// The big screen: draws every panel once, then reads the data again on an interval and updates
// the panels in place. Built to run for days: each chart is made once and only fed new data
// (setOption), bar rankings reuse their rows, other HTML panels are refilled with plain nodes
// (no listeners to leak), one timer runs at a time, and the next read is scheduled only after
// the last one finished.
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

  // A chart is made once and fed only the changed data (a merge by series id, animation off).
  function update(key, option, data) {
    if (charts[key]) { charts[key].setOption(data); return; }
    body(key).replaceChildren();
    chart(key).setOption(option);
  }

  // One row of a bar panel: name, a bar in its track, the value.
  function barRow() {
    var row = el("li");
    var track = el("span", "track");
    track.appendChild(el("i"));
    row.appendChild(el("span", "name", ""));
    row.appendChild(track);
    row.appendChild(el("strong", "", ""));
    return row;
  }

  function setText(node, text) {
    if (node.textContent !== text) { node.textContent = text; }
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
                          leaves: {label: {position: "right", align: "left"}}}]},
             {series: [{id: "tree", data: [data]}]});
    },
    // Rankings change all day, so they are plain nodes updated in place, not a chart: each
    // ECharts redraw made V8 compile more of the chart library's code (about 30 KB a redraw,
    // measured with CDP heap snapshots), while these rows reuse the same few nodes.
    bars: function (key, rows) {
      if (!rows.length) { return empty(key); }
      var list = body(key).querySelector("ol.bars");
      if (!list) {
        list = el("ol", "bars");
        body(key).replaceChildren(list);
      }
      while (list.children.length > rows.length) { list.lastElementChild.remove(); }
      while (list.children.length < rows.length) { list.appendChild(barRow()); }
      var top = Math.max.apply(null, rows.map(function (r) { return r.value; }));
      rows.forEach(function (r, i) {
        var row = list.children[i];
        setText(row.children[0], String(r.name));
        row.children[1].firstElementChild.style.width =
          (top > 0 ? Math.max(r.value, 0) / top * 100 : 0) + "%";  // CSSOM, allowed by the CSP
        setText(row.children[2], String(r.value));
      });
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
        tile.appendChild(document.createTextNode(r.unit ? r.label + "（" + r.unit + "）" : r.label));
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
