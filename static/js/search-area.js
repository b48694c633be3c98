// Drawing a search area on the search map: a polygon or a circle, with
// Leaflet.draw's handlers (vendored with django-leaflet). The area goes into
// the form's hidden `area` field, encoded compactly (sites/areas.py): the
// search's own filter, so the list, the map and the API follow, and a reload
// or a shared link brings it back. With a keyboard only (a finger draws as a
// mouse does), or without JavaScript, "Around the commune" in the filters
// does the same.
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var tools = document.getElementById("area-tools");
  var field = form && form.elements.namedItem("area");
  if (!tools || !field) return;
  var SHAPE = { color: "#8a4b00", weight: 2, fillOpacity: 0.08, dashArray: "6 4" };

  // Encoded polyline (precision 5), as core/polyline.py reads it.
  function encodeNumber(value) {
    value = value < 0 ? ~(value << 1) : value << 1;
    var out = "";
    while (value >= 0x20) {
      out += String.fromCharCode((0x20 | (value & 0x1f)) + 63);
      value >>= 5;
    }
    return out + String.fromCharCode(value + 63);
  }

  function encode(latlngs) {
    var out = "", lastLat = 0, lastLng = 0;
    latlngs.forEach(function (point) {
      var lat = Math.round(point.lat * 1e5), lng = Math.round(point.lng * 1e5);
      out += encodeNumber(lat - lastLat) + encodeNumber(lng - lastLng);
      lastLat = lat;
      lastLng = lng;
    });
    return out;
  }

  function decode(text) {
    var points = [], lat = 0, lng = 0, index = 0;
    function next() {
      var result = 0, shift = 0, chunk;
      do {
        chunk = text.charCodeAt(index++) - 63;
        result |= (chunk & 0x1f) << shift;
        shift += 5;
      } while (chunk >= 0x20 && index < text.length);
      return result & 1 ? ~(result >> 1) : result >> 1;
    }
    while (index < text.length) {
      lat += next();
      lng += next();
      points.push([lat / 1e5, lng / 1e5]);
    }
    return points;
  }

  function shapeOf(value) {
    if (value.indexOf("p:") === 0) return L.polygon(decode(value.slice(2)), SHAPE);
    if (value.indexOf("c:") === 0) {
      var parts = value.slice(2).split(",").map(Number);
      if (parts.length === 3 && parts.every(isFinite)) {
        return L.circle([parts[0], parts[1]], { radius: parts[2] }).setStyle(SHAPE);
      }
    }
    return null;
  }

  function valueOf(layer) {
    if (layer instanceof L.Circle) {
      var centre = layer.getLatLng();
      return "c:" + centre.lat.toFixed(5) + "," + centre.lng.toFixed(5) + "," +
        Math.round(layer.getRadius());
    }
    return "p:" + encode(layer.getLatLngs()[0]);
  }

  // Leaflet.draw writes its tooltips as HTML: our words go in escaped.
  function escaped(text) {
    var box = document.createElement("span");
    box.textContent = text;
    return box.innerHTML;
  }

  // On a phone or tablet a finger taps and lifts: "touch" words (data-touch-*).
  function localise(words) {
    var handlers = L.drawLocal.draw.handlers;
    var finger = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    function say(key) {
      var touchKey = "touch" + key.charAt(0).toUpperCase() + key.slice(1);
      return escaped((finger && words[touchKey]) || words[key]);
    }
    handlers.polygon.tooltip.start = say("start");
    handlers.polygon.tooltip.cont = say("cont");
    handlers.polygon.tooltip.end = say("end");
    handlers.polyline.error = say("crossing");
    handlers.circle.tooltip.start = say("circle");
    handlers.circle.radius = say("radius");
    handlers.simpleshape.tooltip.end = say("release");
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.id !== "search-map" || !L.Draw) return;
    var map = event.detail.map;
    var drawn = L.featureGroup().addTo(map);
    var clear = document.getElementById("area-clear");
    var drawing = null;
    localise(tools.dataset);

    function show(layer) {
      drawn.clearLayers();
      if (layer) drawn.addLayer(layer);
      clear.hidden = !layer;
    }

    function changed(value) {
      field.value = value;
      // The search map and list follow the form's changes (search-map.js).
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function start(Handler, options) {
      if (drawing) drawing.disable();
      drawing = new Handler(map, Object.assign({ shapeOptions: SHAPE }, options));
      drawing.enable();
    }

    document.getElementById("area-polygon").addEventListener("click", function () {
      start(L.Draw.Polygon, { allowIntersection: false, showArea: false });
    });
    document.getElementById("area-circle").addEventListener("click", function () {
      start(L.Draw.Circle, { showRadius: true, metric: true });
    });
    clear.addEventListener("click", function () {
      show(null);
      changed("");
    });
    map.on(L.Draw.Event.CREATED, function (created) {
      drawing = null;
      show(created.layer);
      changed(valueOf(created.layer));
    });

    // "Around the commune" (typed in the filters): its circle, as the server
    // read it, which comes with each new result list; framed when it changes.
    var near = null;
    var nearValue = "";
    function showNear(frame) {
      var results = document.getElementById("results");
      var value = (results && results.dataset.near) || "";
      if (value === nearValue) return;
      nearValue = value;
      if (near) map.removeLayer(near);
      near = value ? shapeOf("c:" + value) : null;
      if (!near) return;
      near.setStyle({ dashArray: "2 6" }).addTo(map);
      if (frame) map.fitBounds(near.getBounds(), { padding: [20, 20] });
    }
    var list = document.getElementById("results");
    if (list) {
      new MutationObserver(function () { showNear(true); })
        .observe(list.parentNode, { childList: true });
    }

    // After a reload, or from a shared link: the area the search holds.
    var kept = field.value && shapeOf(field.value);
    show(kept || null);
    showNear(!kept);
    if (kept) map.fitBounds(kept.getBounds(), { padding: [20, 20] });
    tools.hidden = false;
  });
})();
