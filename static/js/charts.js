// What every chart page shares. Names in charts are typed by users, so they are drawn as text:
// tooltips render in the canvas ("richText"), never as HTML, and anything that must become
// HTML goes through escapeHtml first. (HTML tooltips would also carry style attributes, which
// the Content-Security-Policy refuses.)
(function () {
  var entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};

  function escapeHtml(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) { return entities[c]; });
  }

  // A tooltip option drawn as text; `options` adds to it (trigger, formatter returning text).
  function textTooltip(options) {
    var tooltip = {renderMode: "richText", confine: true};
    for (var key in options || {}) { tooltip[key] = options[key]; }
    return tooltip;
  }

  window.SafeCharts = {escapeHtml: escapeHtml, textTooltip: textTooltip};
})();
