// Turns every [data-map] element into a django-leaflet map, which fires the
// "map:init" event the page scripts listen to. The options come as JSON data,
// not an inline script, so the Content Security Policy forbids inline code.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    document.querySelectorAll("[data-map]").forEach(function (container) {
      var options = document.getElementById(container.dataset.map);
      L.Map.djangoMap(container.id, {
        djoptions: JSON.parse(options.textContent),
        initfunc: null,
        globals: false,
        callback: null
      });
    });
  });
})();
