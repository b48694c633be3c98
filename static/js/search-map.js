// The search page's map, kept in step with the filter form and the result list.
// Without JavaScript the page is a plain GET form and list; this only enhances it.
// Text from the database reaches the page through textContent, never as HTML.
//
// Every plot the search finds is on the map at every scale: vector tiles
// (/api/v1/tiles/z/x/y.pbf, with the search's query string) drawn by
// Leaflet.VectorGrid, counted per park in cells up to zoom 12 (layer
// "clusters"), outlined beyond (layer "plots"). The map fetches only the tiles
// it shows; a tile that leaves the view is aborted if still on its way, and
// so is a list that a newer search replaces.
(function () {
  "use strict";

  var MAX_TILE_ZOOM = 18; // the server's; Leaflet enlarges its tiles beyond
  var OUTLINE_MIN_ZOOM = 13;
  var form = document.getElementById("search-form");
  var status = document.getElementById("map-status");
  var tilesUrl = JSON.parse(document.getElementById("search-tiles-url").textContent)
    .replace("z/x/y", "{z}/{x}/{y}");
  var plotUrl = JSON.parse(document.getElementById("search-plot-url").textContent);
  var parkUrl = JSON.parse(document.getElementById("search-park-url").textContent);
  // The page's words, in its language (translated with the rest of the portal).
  var text = JSON.parse(document.getElementById("search-map-text").textContent);
  var compareUrl = JSON.parse(document.getElementById("search-compare-url").textContent);
  // The API answers in the language the page asks for (never the browser's).
  var language = document.documentElement.lang;
  var pluralRules = new Intl.PluralRules(language);

  // The catalogue's form for `count` ({one, other}), by the language's rules.
  function pluralForm(forms, count) {
    return forms[pluralRules.select(count)] || forms.other;
  }

  function plural(forms, count) {
    return pluralForm(forms, count).replace("%(count)s", count.toLocaleString(language));
  }

  // On phones the filters fold away, so the map and the results come first;
  // they stay open when a search is under way or has an error.
  var filters = document.getElementById("filters");
  if (window.matchMedia("(max-width: 48rem)").matches &&
      !window.location.search && !form.querySelector(".error")) {
    filters.open = false;
  }

  function searchParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    return params;
  }

  // What the tiles depend on: the filters, not the list's page, sort or view.
  function tileQuery(params) {
    var query = new URLSearchParams(params);
    ["page", "sort", "bbox"].forEach(function (name) { query.delete(name); });
    query.sort();
    return query.toString();
  }

  function number(value, digits) {
    return Number(value).toLocaleString(language, { maximumFractionDigits: digits });
  }

  function link(href, label) {
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = label;
    return anchor;
  }

  function paragraph(words) {
    var p = document.createElement("p");
    p.textContent = words;
    return p;
  }

  // In the units the page is written in (its data-units, the visitor's choice).
  var ACRES_PER_HECTARE = 2.4710538;
  function surface(hectares) {
    var imperial = document.body.getAttribute("data-units") === "imperial";
    var value = imperial ? hectares * ACRES_PER_HECTARE : hectares;
    return number(value, imperial ? 1 : 2) + "\u00a0" + (imperial ? text.acres : "ha");
  }

  function plotPopup(properties) {
    var box = document.createElement("div");
    var url = plotUrl.replace("-slug-", properties.slug);
    var facts = surface(properties.ha) + " · " + properties.commune_name +
      " · " + properties.organisation;
    var stage = properties.park_name + " · " + (text.stages[properties.stage] || "");
    // The same plain link as in the list: it adds to the visitor's comparison.
    var compare = link(compareUrl + "?" + new URLSearchParams({ add: properties.slug }),
      text.compare);
    compare.rel = "nofollow";
    // The plot's outline in its park (sites/pictures.py), beside its page.
    var thumbnail = document.createElement("img");
    thumbnail.src = url + "vignette.svg";
    thumbnail.width = 120;
    thumbnail.height = 80;
    thumbnail.className = "popup-thumbnail";
    thumbnail.alt = text.thumbnail.replace("%(name)s", properties.name);
    box.append(thumbnail, link(url, properties.name), paragraph(facts), paragraph(stage),
      compare);
    return box;
  }

  function clusterPopup(properties, latlng, map) {
    var box = document.createElement("div");
    if (properties.park_slug) {
      box.append(link(parkUrl.replace("-slug-", properties.park_slug), properties.park));
    }
    var words = pluralForm(text.cluster, properties.plots)
      .replace("%(plots)s", number(properties.plots, 0))
      // Whatever space the translation puts before the unit (French: a
      // non-breaking one), the surface brings its own, and its unit.
      .replace(/%\(ha\)s\s+ha/, surface(properties.ha));
    if (properties.parks > 1) {
      words += " · " + text.parks.replace("%(parks)s", number(properties.parks, 0));
    }
    var zoom = document.createElement("button");
    zoom.type = "button";
    zoom.textContent = text.zoom;
    zoom.addEventListener("click", function () {
      map.closePopup();
      map.setView(latlng, Math.max(map.getZoom() + 2, OUTLINE_MIN_ZOOM));
    });
    box.append(paragraph(words), zoom);
    return box;
  }

  function ambassadorPopup(properties) {
    var box = document.createElement("div");
    box.append(link(properties.url, properties.name), paragraph(properties.company));
    return box;
  }

  // An ambassador is a Leaflet marker, which Leaflet makes a button in the
  // tab order (role, tabindex) that Enter opens; its name, Space (as on any
  // button), the focus on the popup's link and back again are added here.
  var AmbassadorIcon = L.DivIcon.extend({
    // 24 px: WCAG 2.2's minimum target size for a pointer (2.5.8).
    options: { className: "ambassador-marker", iconSize: [24, 24] },
    createIcon: function (oldIcon) {
      var icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.setAttribute("aria-label", this.options.label);
      return icon;
    }
  });

  function ambassadorMarker(properties, latlng) {
    var label = text.ambassador.replace("%(name)s", function () { return properties.name; })
      .replace("%(company)s", function () { return properties.company; });
    var marker = L.marker(latlng, { icon: new AmbassadorIcon({ label: label }) });
    marker.bindPopup(function () { return ambassadorPopup(properties); });
    // Handled on keydown for both keys (which stops Leaflet's own Enter, on
    // keypress, from toggling the popup a second time).
    marker.on("keydown", function (event) {
      var key = event.originalEvent.key;
      if (key === "Escape") marker.closePopup();
      if (key !== "Enter" && key !== " ") return;
      L.DomEvent.preventDefault(event.originalEvent);
      marker.togglePopup();
      if (marker.isPopupOpen()) marker.getPopup().getElement().querySelector("a").focus();
    });
    function onEscape(keyEvent) {
      if (keyEvent.key === "Escape") marker.closePopup();
    }
    marker.on("popupopen", function (event) {
      L.DomEvent.on(event.popup.getElement(), "keydown", onEscape);
    });
    marker.on("popupclose", function (event) {
      var box = event.popup.getElement();
      L.DomEvent.off(box, "keydown", onEscape);
      // Closed from within (Escape, its close button): the focus goes back to
      // the marker rather than to the page's start.
      var icon = marker.getElement();
      if (icon && box.contains(document.activeElement)) icon.focus();
    });
    return marker;
  }

  function clusterStyle(properties) {
    return {
      radius: Math.min(8 + 4 * Math.log10(properties.plots), 30),
      fill: true, fillColor: "#0b5a8a", fillOpacity: 0.75,
      color: "#ffffff", weight: 2
    };
  }

  var STAGE_COLOURS = { available: "#0b5a8a", under_option: "#b45309" };
  function plotStyle(properties) {
    var colour = STAGE_COLOURS[properties.stage] || "#0b5a8a";
    return { fill: true, fillColor: colour, fillOpacity: 0.35, color: colour, weight: 2 };
  }
  var HIGHLIGHT = { fill: true, fillColor: "#f59e0b", fillOpacity: 0.6, color: "#8a4b00", weight: 3 };

  // Leaflet.VectorGrid's protobuf layer, whose requests can be aborted, and
  // which notes what each tile holds: the plots whose outline it carries, and
  // the clusters it owns (those drawn in its margin belong to a neighbour).
  var SearchTiles = L.VectorGrid.Protobuf.extend({
    initialize: function (url, options) {
      L.VectorGrid.Protobuf.prototype.initialize.call(this, url, options);
      this._requests = {};
      this.contents = {};
      this.on("tileunload", function (event) {
        var key = this._tileCoordsToKey(event.coords);
        if (this._requests[key]) this._requests[key].abort();
        delete this._requests[key];
        delete this.contents[key];
      });
    },

    _getVectorTilePromise: function (coords, tileBounds) {
      var key = this._tileCoordsToKey(coords);
      var controller = new AbortController();
      if (this._requests[key]) this._requests[key].abort();
      this._requests[key] = controller;
      // VectorGrid reads fetchOptions when it calls fetch(), right away.
      this.options.fetchOptions = { signal: controller.signal, credentials: "same-origin" };
      var layer = this;
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise
        .call(this, coords, tileBounds)
        .then(function (tile) {
          // A response that is no tile (an error, the server too busy, too
          // many new searches: 4xx or 5xx) comes from VectorGrid as
          // {layers: []}, an array where a tile, even empty, has an object:
          // said on the map, not drawn as a place without plots.
          if (Array.isArray(tile.layers)) throw new Error("tile not served: " + key);
          if (layer._requests[key] === controller) {
            delete layer._requests[key];
            layer.contents[key] = contents(tile);
          }
          return tile;
        })
        .catch(function (error) {
          if (error.name !== "AbortError") layer.fire("tilefailed");
          return { layers: {} };
        });
    }
  });

  function contents(tile) {
    var found = { plots: 0, ids: [] };
    var clusters = tile.layers.clusters;
    (clusters ? clusters.features : []).forEach(function (feature) {
      var point = feature.geometry[0][0];
      if (point.x >= 0 && point.y >= 0 && point.x < clusters.extent && point.y < clusters.extent) {
        found.plots += feature.properties.plots;
      }
    });
    var plots = tile.layers.plots;
    (plots ? plots.features : []).forEach(function (feature) { found.ids.push(feature.id); });
    return found;
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.id !== "search-map") return;
    var map = event.detail.map;
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-labelledby", "map-title");

    var query = tileQuery(searchParams());
    var tiles = new SearchTiles(tilesUrl + "?" + query, {
      rendererFactory: L.svg.tile,
      maxNativeZoom: MAX_TILE_ZOOM,
      interactive: true,
      getFeatureId: function (feature) { return feature.id; },
      vectorTileLayerStyles: { clusters: clusterStyle, plots: plotStyle }
    }).addTo(map);

    // How many matching plots the tiles in view hold, once they are all in.
    function countShown() {
      var zoom = Math.min(Math.round(map.getZoom()), MAX_TILE_ZOOM);
      var bounds = map.getBounds();
      var first = map.project(bounds.getNorthWest(), zoom).divideBy(256).floor();
      var last = map.project(bounds.getSouthEast(), zoom).divideBy(256).floor();
      var plots = 0;
      var ids = {};
      for (var x = first.x; x <= last.x; x++) {
        for (var y = first.y; y <= last.y; y++) {
          var found = tiles.contents[x + ":" + y + ":" + zoom];
          if (!found) return null; // still on its way
          plots += found.plots;
          found.ids.forEach(function (id) { ids[id] = true; });
        }
      }
      return plots + Object.keys(ids).length;
    }

    function showCount() {
      var count = countShown();
      if (count !== null) status.textContent = plural(text.shown, count);
    }
    tiles.on("load", showCount);
    tiles.on("tilefailed", function () { status.textContent = text.failed; });

    tiles.on("click", function (clickEvent) {
      var properties = clickEvent.layer.properties;
      var content = properties.plots === undefined ? plotPopup(properties)
        : clusterPopup(properties, clickEvent.latlng, map);
      L.popup().setLatLng(clickEvent.latlng).setContent(content).openOn(map);
    });

    // The list is the server's own HTML, fetched and swapped in, so both
    // always come from the same filters; a newer search aborts an older one.
    var listRequest = null;
    function loadList(params) {
      if (listRequest) listRequest.abort();
      listRequest = new AbortController();
      fetch(window.location.pathname + "?" + params, { signal: listRequest.signal })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("results");
          if (fresh) document.getElementById("results").replaceWith(fresh);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") throw error;
        });
    }

    function refresh() {
      var params = searchParams();
      window.history.replaceState(null, "", "?" + params);
      loadList(params);
      var fresh = tileQuery(params);
      if (fresh !== query) {
        query = fresh;
        tiles.setUrl(tilesUrl + "?" + query); // every tile again: the old ones abort
      }
    }

    // Pointing at or tabbing to a result highlights its outline when it is
    // drawn (the view never moves under the user).
    var shownId = null;
    function showResult(domEvent) {
      var item = domEvent.target.closest && domEvent.target.closest("[data-plot-id]");
      var id = item ? Number(item.dataset.plotId) : null;
      if (id === shownId) return;
      if (shownId !== null) tiles.resetFeatureStyle(shownId);
      shownId = id;
      if (id !== null) tiles.setFeatureStyle(id, HIGHLIGHT);
    }
    document.addEventListener("focusin", showResult);
    document.addEventListener("mouseover", showResult);

    // "Who is already near this plot": the ambassadors, an optional layer.
    var ambassadors = L.featureGroup();
    var overlays = {};
    overlays[text.ambassadors] = ambassadors;
    var layers = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    // Leaflet writes this title in English whatever the options.
    var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
    toggle.title = text.layers;
    toggle.setAttribute("aria-label", text.layers);
    var ambassadorsUrl = JSON.parse(
      document.getElementById("search-ambassadors-url").textContent
    );
    fetch(ambassadorsUrl + "?" + new URLSearchParams({ lang: language }))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) {
        if (!collection) return;
        L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return ambassadorMarker(feature.properties, latlng);
          }
        }).addTo(ambassadors);
      });

    var inView = document.getElementById("in-view");
    var bbox = form.elements.namedItem("bbox");
    inView.closest("[data-needs-js]").hidden = false;
    inView.addEventListener("change", function () {
      bbox.value = inView.checked ? map.getBounds().toBBoxString() : "";
      refresh();
    });
    map.on("moveend", function () {
      showCount();
      if (!inView.checked) return;
      bbox.value = map.getBounds().toBBoxString();
      refresh();
    });

    form.addEventListener("change", function (changeEvent) {
      if (changeEvent.target !== inView) refresh();
    });
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      refresh();
    });

    if (bbox.value) {
      var b = bbox.value.split(",").map(Number);
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    }
  });
})();
