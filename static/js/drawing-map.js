// The admin's drawing map (sites/drawing.py, DrawingMapWidget): django-leaflet's
// geometry field, with around it the staff member's parks (the chosen one
// highlighted) and the plots near them (other organisations' greyed), the area
// of the outline read out while it is drawn, the part the server refused, and
// the tools in the staff member's language. Settings come as JSON data
// (json_script) and the surroundings from a staff-only endpoint; names go in
// with textContent, never as HTML.
(function () {
  "use strict";

  // GRS80, Lambert-93's ellipsoid (WGS84's differs by a tenth of a millimetre).
  var A = 6378137;
  var F = 1 / 298.257222101;
  var E2 = F * (2 - F);
  var E = Math.sqrt(E2);
  var RAD = Math.PI / 180;

  // q(φ) of the authalic latitude: sin β = q(φ) / q(90°).
  function authalicQ(sinPhi) {
    var esin = E * sinPhi;
    return (1 - E2) * (sinPhi / (1 - esin * esin) -
      Math.log((1 - esin) / (1 + esin)) / (2 * E));
  }
  var QP = authalicQ(1);
  var RQ = A * Math.sqrt(QP / 2);

  // Ground (ellipsoidal) area of a ring of LatLngs, in m²: on the authalic
  // sphere, which keeps areas, summing the strips under each edge.
  function ringArea(latlngs) {
    var sum = 0;
    if (latlngs.length < 3) return 0;
    for (var i = 0; i < latlngs.length; i++) {
      var p = latlngs[i];
      var q = latlngs[(i + 1) % latlngs.length];
      var sinP = authalicQ(Math.sin(p.lat * RAD)) / QP;
      var sinQ = authalicQ(Math.sin(q.lat * RAD)) / QP;
      sum += (q.lng - p.lng) * RAD * (sinP + sinQ);
    }
    return Math.abs(sum) * RQ * RQ / 2;
  }

  // An outer ring minus its holes; a multi-polygon adds its polygons.
  function latLngsArea(rings) {
    if (!rings.length) return 0;
    if (!Array.isArray(rings[0])) return ringArea(rings);
    if (Array.isArray(rings[0][0])) {
      return rings.reduce(function (sum, polygon) { return sum + latLngsArea(polygon); }, 0);
    }
    return rings.reduce(function (sum, ring, index) {
      return index ? sum - ringArea(ring) : sum + ringArea(ring);
    }, 0);
  }

  function groupArea(group) {
    var total = 0;
    group.eachLayer(function (layer) {
      if (layer.getLatLngs) total += latLngsArea(layer.getLatLngs());
    });
    return total;
  }

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function escapeHTML(text) {
    var box = document.createElement("span");
    box.textContent = text;
    return box.innerHTML;
  }

  // Into L.drawLocal: Leaflet.draw inserts some of its texts as HTML.
  function localise(target, texts) {
    Object.keys(texts).forEach(function (key) {
      if (typeof texts[key] === "object") {
        target[key] = target[key] || {};
        localise(target[key], texts[key]);
      } else {
        target[key] = escapeHTML(texts[key]);
      }
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var STYLES = {
    park: { color: "#0b5a8a", weight: 2, dashArray: "6 4", fillOpacity: 0.04, className: "drawing-park" },
    plot: { color: "#8a4b00", weight: 1.5, fillOpacity: 0.25, className: "drawing-plot" },
    foreign: {
      color: "#6b7280", weight: 1, fillColor: "#9ca3af", fillOpacity: 0.5,
      className: "drawing-plot-foreign"
    },
    problem: {
      color: "#b91c1c", weight: 3, dashArray: "4 3", fillColor: "#ef4444",
      fillOpacity: 0.45, className: "drawing-problem", interactive: false
    },
    drawn: { color: "#c2410c", weight: 3 }
  };

  function styleOf(feature) {
    var props = feature.properties;
    if (props.kind === "park") return STYLES.park;
    return props.own ? STYLES.plot : STYLES.foreign;
  }

  var Readout = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      this._output = element("output", "drawing-area");
      this._output.setAttribute("aria-live", "polite");
      var box = element("div", "leaflet-control drawing-panel");
      box.appendChild(this._output);
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
    show: function (text) { this._output.textContent = text; }
  });

  // Not a Leaflet control: an element beside the map, over its top right
  // corner where the column is wide, folded under it where it is narrow (a
  // tablet's, drawing-map.css), so that it never covers the drawing tools.
  function Legend(map) {
    this._list = element("ul", "drawing-legend");
    var box = element("div", "drawing-panel drawing-legend-box");
    box.appendChild(this._list);
    map.getContainer().parentNode.appendChild(box);
  }
  Legend.prototype.add = function (swatch, text) {
    var item = element("li");
    item.appendChild(element("span", "drawing-swatch " + swatch));
    item.appendChild(document.createTextNode(text));
    this._list.appendChild(item);
  };

  L.DrawingMapField = L.GeometryField.extend({
    addTo: function (map) {
      this._config = readJSON(this.options.fieldid + "-drawing");
      localise(L.drawLocal, this._config.draw);
      // A finger taps where a mouse clicks (tablets).
      if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
        localise(L.drawLocal, this._config.drawTouch);
      }
      this._numbers = {
        ha: new Intl.NumberFormat(this._config.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        m2: new Intl.NumberFormat(this._config.language, { maximumFractionDigits: 0 })
      };
      this._parks = {};
      L.GeometryField.prototype.addTo.call(this, map);
      this._localiseZoom(map);
      map.createPane("drawingSurroundings").style.zIndex = 350;
      map.createPane("drawingProblem").style.zIndex = 450;
      this._readout = new Readout().addTo(map);
      this._legend = new Legend(map);
      // The column's width changes without the window's (the admin's
      // sidebar opened or closed): Leaflet would leave part of the map grey.
      if (window.ResizeObserver) {
        new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
      }
      this._showArea();
      this._follow(map);
      this._showProblem(map);
      // Once someone has moved the map, it is theirs: the surroundings
      // arriving later no longer frame it.
      var field = this;
      map.on("movestart", function () { field._viewMoved = true; });
      this._loadSurroundings(map);
      return this;
    },

    _controlDrawOptions: function () {
      var options = L.GeometryField.prototype._controlDrawOptions.call(this);
      options.draw.polygon = { allowIntersection: false, showArea: false, shapeOptions: STYLES.drawn };
      options.draw.rectangle = { showArea: false, shapeOptions: STYLES.drawn };
      return options;
    },

    // A plot is one piece: a new drawing replaces the one before.
    onCreated: function (event) {
      if (this._config.kind === "plot") {
        this.drawnItems.eachLayer(function (layer) { this._map.removeLayer(layer); }, this);
        this.drawnItems.clearLayers();
      }
      L.GeometryField.prototype.onCreated.call(this, event);
      this._showArea();
    },

    onEdited: function (event) {
      L.GeometryField.prototype.onEdited.call(this, event);
      this._showArea();
    },

    onDeleted: function (event) {
      L.GeometryField.prototype.onDeleted.call(this, event);
      this._showArea();
    },

    // django-leaflet made the zoom buttons before this script could give
    // Leaflet the staff member's words: they are renamed in place.
    _localiseZoom: function (map) {
      if (!map.zoomControl) return;
      var box = map.zoomControl.getContainer();
      [["in", this._config.leaflet.zoomIn], ["out", this._config.leaflet.zoomOut]]
        .forEach(function (pair) {
          var button = box.querySelector(".leaflet-control-zoom-" + pair[0]);
          if (!button) return;
          button.title = pair[1];
          button.setAttribute("aria-label", pair[1]);
        });
    },

    _areaText: function (m2) {
      var text = this._numbers.ha.format(m2 / 10000) + " ha";
      if (m2 < 100000) text += " (" + this._numbers.m2.format(m2) + " m²)";
      return this._config.texts.area.replace("%(area)s", text);
    },

    _showArea: function (extra) {
      var drawn = this._config.kind === "plot" && extra !== undefined ? 0 : groupArea(this.drawnItems);
      var total = drawn + (extra || 0);
      var empty = !total && !this.drawnItems.getLayers().length && extra === undefined;
      this._readout.show(empty ? this._config.texts.empty : this._areaText(total));
    },

    // The area while drawing: the corners placed and the pointer; for a
    // rectangle, from where the mouse (or finger) went down to where it is.
    _follow: function (map) {
      var field = this;
      var corners = [];
      var shape = null;
      var start = null;
      map.on("draw:drawstart", function (event) {
        field._drawing = true;
        shape = event.layerType;
        corners = [];
        start = null;
      });
      map.on("draw:drawstop", function () {
        field._drawing = false;
        field._showArea();
      });
      map.on("draw:drawvertex", function (event) {
        corners = event.layers.getLayers().map(function (marker) { return marker.getLatLng(); });
        field._showArea(ringArea(corners));
      });
      // A finger's touches come through Leaflet.draw's TouchExtend, with their latlng.
      map.on("mousedown touchstart", function (event) { if (shape === "rectangle") start = event.latlng; });
      map.on("mousemove touchmove", function (event) {
        if (!field._drawing) return;
        if (shape === "polygon" && corners.length >= 2) {
          field._showArea(ringArea(corners.concat([event.latlng])));
        } else if (shape === "rectangle" && start) {
          var box = L.latLngBounds(start, event.latlng);
          field._showArea(ringArea([box.getSouthWest(), box.getNorthWest(), box.getNorthEast(), box.getSouthEast()]));
        }
      });
      map.on("draw:editvertex draw:editmove draw:editresize", function () { field._showArea(); });
    },

    _showProblem: function (map) {
      var problem = readJSON(this.options.fieldid + "-problem");
      if (!problem) return;
      this._problem = L.geoJSON(problem, {
        pane: "drawingProblem",
        style: STYLES.problem,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, L.extend({ radius: 10, pane: "drawingProblem" }, STYLES.problem));
        }
      }).addTo(map);
      var bounds = this._problem.getBounds();
      if (this.drawnItems.getLayers().length) bounds.extend(this.drawnItems.getBounds());
      map.fitBounds(bounds.pad(0.3), { maxZoom: 18, animate: false });
      this._legend.add("drawing-swatch-problem", this._config.texts.problem);
    },

    _loadSurroundings: function (map) {
      var field = this;
      fetch(this._config.data, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (collection) { field._showSurroundings(map, collection); })
        .catch(function () { field._legend.add("", field._config.texts.unavailable); });
    },

    _showSurroundings: function (map, collection) {
      var field = this;
      var config = this._config;
      var parks = L.featureGroup();
      var layer = L.geoJSON(collection, {
        pane: "drawingSurroundings",
        // What is being edited is the field's own layer.
        filter: function (feature) {
          return !(feature.id === config.object && feature.properties.kind === config.kind);
        },
        style: styleOf,
        onEachFeature: function (feature, item) {
          var props = feature.properties;
          var label = props.own ? props.name : config.texts.foreign.replace("%(organisation)s", props.organisation);
          item.bindTooltip(element("span", "", label), { sticky: true });
          if (props.kind === "park") {
            field._parks[feature.id] = item;
            parks.addLayer(item);
          }
        }
      }).addTo(map);
      layer.bringToBack();
      this._legend.add("drawing-swatch-park", config.texts.parks);
      if (config.kind === "plot") this._legend.add("drawing-swatch-chosen", config.texts.chosen);
      this._legend.add("drawing-swatch-plot", config.texts.plots);
      this._legend.add("drawing-swatch-foreign", config.texts.foreignLegend);
      this._followParkChoice();
      var nothingDrawn = !this.drawnItems.getLayers().length && !this._problem;
      if (nothingDrawn && !this._drawing && !this._viewMoved) {
        var chosen = this._parks[this._chosenPark];
        var frame = chosen ? chosen.getBounds() : parks.getBounds();
        if (frame.isValid()) map.fitBounds(frame, { maxZoom: 17, animate: false });
      }
    },

    // The plot form's park: highlighted, and framed while nothing is drawn.
    _followParkChoice: function () {
      var select = document.getElementById("id_park");
      if (this._config.kind !== "plot" || !select) return;
      var field = this;
      function choose(event) {
        var previous = field._parks[field._chosenPark];
        if (previous && previous.getElement()) L.DomUtil.removeClass(previous.getElement(), "drawing-park-chosen");
        field._chosenPark = parseInt(select.value, 10);
        var park = field._parks[field._chosenPark];
        if (!park) return;
        if (park.getElement()) L.DomUtil.addClass(park.getElement(), "drawing-park-chosen");
        park.bringToFront();
        var asked = event !== undefined;  // a choice made, not the form's own
        if (!field.drawnItems.getLayers().length && !field._drawing && (asked || !field._viewMoved)) {
          field._map.fitBounds(park.getBounds(), { maxZoom: 17, animate: false });
        }
      }
      // The admin's autocomplete (select2) says so through jQuery only.
      if (window.django && window.django.jQuery) window.django.jQuery(select).on("change", choose);
      else select.addEventListener("change", choose);
      choose();
    }
  });
})();
