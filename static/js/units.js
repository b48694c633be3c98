// Metric or imperial measures. Without JavaScript both show; this hides one of
// them (see .u-metric / .u-imperial in css/listing.css) and remembers the choice.
(function () {
  "use strict";

  var KEY = "investinartois.units";
  var root = document.documentElement;
  var buttons = document.querySelectorAll(".units-toggle");

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function store(units) {
    try { window.localStorage.setItem(KEY, units); } catch (e) { /* private mode */ }
  }

  function apply(units) {
    root.setAttribute("data-units", units);
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(units === "imperial"));
    });
  }

  apply(stored() === "imperial" ? "imperial" : "metric");
  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var units = root.getAttribute("data-units") === "imperial" ? "metric" : "imperial";
      store(units);
      apply(units);
    });
  });
})();
