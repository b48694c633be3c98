// Draws the GeoJSON of the plot and park pages on their django-leaflet map.
// The data comes from {{ map_data|json_script:"<map id>-data" }}; names from the
// database reach the page through textContent, never as HTML.
(function () {
  "use strict";

  var STYLES = {
    perimeter: { color: "#0b5a8a", weight: 2, dashArray: "6 4", fillOpacity: 0.05 },
    plot: { color: "#8a4b00", weight: 2, fillOpacity: 0.35 },
    sold: { color: "#4b5563", weight: 1, fillOpacity: 0.2 }
  };

  function style(feature) {
    var props = feature.properties;
    if (props.kind === "perimeter") return STYLES.perimeter;
    return props.stage === "sold" ? STYLES.sold : STYLES.plot;
  }

  function popup(feature) {
    var props = feature.properties;
    var box = document.createElement("div");
    var title = document.createElement(props.url ? "a" : "strong");
    if (props.url) title.href = props.url;
    title.textContent = props.name;
    box.append(title);
    if (props.detail) {
      var detail = document.createElement("p");
      detail.textContent = props.detail;
      box.append(detail);
    }
    return box;
  }

  // The bounds of the features to frame, with a margin: a wide one around a
  // plot shows its surroundings.
  function focusBounds(layer) {
    var bounds = L.latLngBounds([]);
    var margin = 0.05;
    layer.eachLayer(function (item) {
      var props = item.feature.properties;
      if (!props.focus) return;
      bounds.extend(item.getBounds());
      if (props.kind === "plot") margin = 0.5;
    });
    return bounds.isValid() ? bounds.pad(margin) : layer.getBounds();
  }

  window.addEventListener("map:init", function (event) {
    var source = document.getElementById(event.detail.id + "-data");
    if (!source) return;
    var map = event.detail.map;
    var layer = L.geoJSON(JSON.parse(source.textContent), {
      style: style,
      // A point (a site known by its commune) is a marker named like its popup.
      pointToLayer: function (feature, latlng) {
        var name = feature.properties.name;
        return L.marker(latlng, { title: name, alt: name });
      },
      onEachFeature: function (feature, item) { item.bindPopup(popup(feature)); }
    }).addTo(map);
    function frame() {
      map.invalidateSize();
      map.fitBounds(focusBounds(layer), { maxZoom: 17 });
    }
    frame();
    // The printed map is smaller than the screen one.
    window.addEventListener("beforeprint", frame);
    window.addEventListener("afterprint", frame);
  });
})();
