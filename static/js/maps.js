// Turns every [data-map] element into a django-leaflet map, which fires the
// "map:init" event the page scripts listen to. The options come as JSON data,
// not an inline script, so the Content Security Policy forbids inline code.
// They carry Leaflet's own words in the page's language (core/templatetags/maps.py).
(function () {
  "use strict";

  function localise(text) {
    L.setOptions(L.Control.Zoom.prototype, {
      zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut
    });
    L.setOptions(L.Marker.prototype, { alt: text.marker });
  }

  window.addEventListener("load", function () {
    document.querySelectorAll("[data-map]").forEach(function (container) {
      var options = JSON.parse(document.getElementById(container.dataset.map).textContent);
      localise(options.text);
      L.Map.djangoMap(container.id, {
        djoptions: options,
        initfunc: null,
        globals: false,
        callback: null
      });
    });
  });
})();
