// Leaflet.draw (1.0.4, vendored with django-leaflet) where a finger draws:
// loaded after it by the search page (static/js/search-area.js) and the admin's
// drawing map (static/js/drawing-map.js), which choose their words by
// `(pointer: coarse)` themselves.
(function () {
  "use strict";

  if (!window.L || !L.Draw || !L.Draw.Polygon) return;

  // The tap that places a polygon's first corner is followed by the browser's
  // click on the corner just placed under the finger, which Leaflet.draw reads
  // as closing the shape: with fewer than three corners it answered with its
  // "edges cannot cross" error. A shape that cannot close yet is left open.
  var finish = L.Draw.Polygon.prototype._finishShape;
  L.Draw.Polygon.include({
    _finishShape: function () {
      if (this._markers.length < 3) return;
      finish.call(this);
    }
  });

  // The hint follows the mouse; without one it stayed where the map's layers
  // began, often above the map or out of sight, until the first tap. It starts
  // at the map's left edge, half way down, and goes left of its point when
  // the map's right edge would cut it (a corner placed near that edge).
  var content = L.Draw.Tooltip.prototype.updateContent;
  var place = L.Draw.Tooltip.prototype.updatePosition;
  L.Draw.Tooltip.include({
    updateContent: function (labelText) {
      content.call(this, labelText);
      if (!this._placed && this._container) {
        this.updatePosition(this._map.containerPointToLatLng([0, this._map.getSize().y / 2]));
      }
      return this;
    },

    updatePosition: function (latlng) {
      place.call(this, latlng);
      if (!this._container) return this;
      this._placed = true;
      var x = this._map.latLngToContainerPoint(latlng).x;
      var room = this._map.getSize().x - x;
      var cut = room < this._container.offsetWidth + 30 && x > room;
      L.DomUtil[cut ? "addClass" : "removeClass"](this._container, "leaflet-draw-tooltip-left");
      return this;
    }
  });
})();
