// Draws each chart of the page from its Vega-Lite spec (in a script element beside it) with
// the Vega runtime shipped in assets/vendor; nothing is fetched. The figures are also in the
// table under each chart, so a page without scripts loses nothing but the drawing.
(function () {
  "use strict";
  window.provplanCharts = {};
  var pending = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var id = element.getAttribute("data-chart");
    var spec = JSON.parse(document.getElementById(id).textContent);
    var compiled = vegaLite.compile(spec).spec;
    var view = new vega.View(vega.parse(compiled), {
      renderer: "svg",
      container: element,
      hover: true
    });
    window.provplanCharts[id] = view;
    pending.push(view.runAsync());
  });
  window.provplanChartsReady = Promise.all(pending);
})();
