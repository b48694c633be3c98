// Turns every [data-map] element into a django-leaflet map, which fires the
// "map:init" event the page scripts listen to. The options come as JSON data,
// not an inline script, so the Content Security Policy forbids inline code.
// They carry Leaflet's own words in the page's language (core/templatetags/maps.py).
//
// Under the tiles, every map draws the territory from our own data (the
// communes, the agglomerations' borders, the parks: /api/v1/territory.geojson),
// so that it still says where things are when the tile server does not answer;
// it then says so, discreetly, in the corner.
(function () {
  "use strict";

  function localise(text) {
    L.setOptions(L.Control.Zoom.prototype, {
      zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut
    });
    L.setOptions(L.Marker.prototype, { alt: text.marker });
  }

  var AGGLOMERATIONS = { cabbalr: "#cfe3f3", call: "#cdebdc", cahc: "#f6dfb3" };

  function baseStyle(feature) {
    var props = feature.properties;
    if (props.kind === "border") {
      return { color: "#4b5563", weight: 2, fill: false, interactive: false };
    }
    if (props.kind === "park") {
      return { color: "#0b5a8a", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.15, interactive: false };
    }
    return {
      color: "#ffffff",
      weight: 1,
      fillColor: AGGLOMERATIONS[props.org] || "#e5e7eb",
      fillOpacity: 1,
      interactive: false
    };
  }

  function drawBaseLayer(map, url) {
    // Its own pane below the tiles (200): hidden by them when they load.
    map.createPane("territory").style.zIndex = 150;
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        L.geoJSON(data, { pane: "territory", style: baseStyle }).addTo(map);
      })
      .catch(function () { /* the tiles, if any, still show the way */ });
  }

  function sayWhenTilesFail(map, text) {
    var note = null;
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on("tileerror", function () {
        if (note) return;
        note = L.control({ position: "bottomleft" });
        note.onAdd = function () {
          var box = L.DomUtil.create("p", "map-tiles-note");
          box.setAttribute("role", "status");
          box.textContent = text;
          return box;
        };
        note.addTo(map);
      });
    });
  }

  // Leaflet names a popup's close button "Close popup", with no option.
  function nameCloseButtons(map, text) {
    map.on("popupopen", function (popupEvent) {
      var close = popupEvent.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", text.closePopup);
    });
  }

  window.addEventListener("map:init", function (event) {
    var options = event.detail.options && event.detail.options.djoptions;
    if (!options) return;
    nameCloseButtons(event.detail.map, options.text);
    if (options.base_layer) drawBaseLayer(event.detail.map, options.base_layer);
    if (options.tiles_failed) sayWhenTilesFail(event.detail.map, options.tiles_failed);
  });

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
