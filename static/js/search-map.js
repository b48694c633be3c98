// The search page's map, kept in step with the filter form and the result list.
// Without JavaScript the page is a plain GET form and list; this only enhances it.
// Text from the database reaches the page through textContent, never as HTML.
(function () {
  "use strict";

  var POLYGON_MIN_ZOOM = 14;
  var form = document.getElementById("search-form");
  var status = document.getElementById("map-status");
  var apiUrl = JSON.parse(document.getElementById("search-api-url").textContent);
  // The page's words, in its language (translated with the rest of the portal).
  var text = JSON.parse(document.getElementById("search-map-text").textContent);
  var compareUrl = JSON.parse(document.getElementById("search-compare-url").textContent);
  // The API answers in the language the page asks for (never the browser's).
  var language = document.documentElement.lang;
  var pluralRules = new Intl.PluralRules(language);

  function plural(forms, count) {
    return (forms[pluralRules.select(count)] || forms.other)
      .replace("%(count)s", count.toLocaleString(language));
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

  // In the units the page is written in (its data-units, the visitor's choice).
  var ACRES_PER_HECTARE = 2.4710538;
  function surface(hectares) {
    var imperial = document.body.getAttribute("data-units") === "imperial";
    var value = imperial ? hectares * ACRES_PER_HECTARE : hectares;
    var shown = value.toLocaleString(document.documentElement.lang,
      { maximumFractionDigits: imperial ? 1 : 2 });
    return shown + "\u00a0" + (imperial ? text.acres : "ha");
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var title = document.createElement("a");
    title.href = properties.url;
    title.textContent = properties.name;
    var facts = document.createElement("p");
    facts.textContent = surface(properties.surface_ha) +
      " · " + properties.commune + " · " + properties.organisation;
    var stage = document.createElement("p");
    stage.textContent = properties.park + " · " + properties.stage;
    // The same plain link as in the list: it adds to the visitor's comparison.
    var compare = document.createElement("a");
    compare.href = compareUrl + "?" + new URLSearchParams({ add: properties.slug });
    compare.rel = "nofollow";
    compare.textContent = text.compare;
    // The plot's outline in its park (sites/pictures.py), beside its page.
    var thumbnail = document.createElement("img");
    thumbnail.src = properties.url + "vignette.svg";
    thumbnail.width = 120;
    thumbnail.height = 80;
    thumbnail.className = "popup-thumbnail";
    thumbnail.alt = text.thumbnail.replace("%(name)s", properties.name);
    box.append(thumbnail, title, facts, stage, compare);
    return box;
  }

  function ambassadorPopup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    var company = document.createElement("p");
    company.textContent = properties.company;
    box.append(link, company);
    return box;
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.id !== "search-map") return;
    var map = event.detail.map;
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-labelledby", "map-title");

    var markers = L.markerClusterGroup();
    var outlines = L.featureGroup();
    var markerById = {};
    var inFlight = null;
    map.addLayer(markers);

    function showOutlines() {
      if (map.getZoom() >= POLYGON_MIN_ZOOM) map.addLayer(outlines);
      else map.removeLayer(outlines);
    }

    function draw(collection, fit) {
      markers.clearLayers();
      outlines.clearLayers();
      markerById = {};
      collection.features.forEach(function (feature) {
        var shape = L.geoJSON(feature, { style: { color: "#0b5a8a", weight: 2 } });
        var content = function () { return popupContent(feature.properties); };
        var marker = L.marker(shape.getBounds().getCenter(), {
          title: feature.properties.name, alt: feature.properties.name
        });
        marker.bindPopup(content);
        shape.bindPopup(content);
        markers.addLayer(marker);
        outlines.addLayer(shape);
        markerById[feature.id] = marker;
      });
      if (fit && collection.features.length) {
        map.fitBounds(outlines.getBounds(), { maxZoom: POLYGON_MIN_ZOOM, padding: [20, 20] });
      }
      showOutlines();
      status.textContent = collection.truncated ? text.capped
        : plural(text.shown, collection.features.length);
    }

    function loadMap(params, fit) {
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      var query = new URLSearchParams(params);
      query.delete("page");
      query.set("lang", language);
      fetch(apiUrl + "?" + query, { signal: inFlight.signal })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (collection) { draw(collection, fit); })
        .catch(function (error) {
          if (error.name !== "AbortError") status.textContent = text.failed;
        });
    }

    // The list is the server's own HTML, fetched and swapped in, so both
    // always come from the same filters.
    function loadList(params) {
      fetch(window.location.pathname + "?" + params)
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("results");
          if (fresh) document.getElementById("results").replaceWith(fresh);
        });
    }

    function refresh(fit) {
      var params = searchParams();
      window.history.replaceState(null, "", "?" + params);
      loadList(params);
      loadMap(params, fit);
    }

    // Pointing at or tabbing to a result opens its marker's popup, when the
    // marker is not hidden in a cluster (the view never moves under the user).
    var shownId = null;
    function showResult(domEvent) {
      var item = domEvent.target.closest && domEvent.target.closest("[data-plot-id]");
      if (!item || item.dataset.plotId === shownId) return;
      shownId = item.dataset.plotId;
      var marker = markerById[shownId];
      if (marker && markers.getVisibleParent(marker) === marker) marker.openPopup();
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
            return L.circleMarker(latlng, {
              radius: 7, color: "#8a4b00", fillColor: "#f59e0b", fillOpacity: 0.9
            });
          },
          onEachFeature: function (feature, layer) {
            layer.bindPopup(function () { return ambassadorPopup(feature.properties); });
          }
        }).addTo(ambassadors);
      });

    var inView = document.getElementById("in-view");
    var bbox = form.elements.namedItem("bbox");
    inView.closest("[data-needs-js]").hidden = false;
    inView.addEventListener("change", function () {
      bbox.value = inView.checked ? map.getBounds().toBBoxString() : "";
      refresh(false);
    });
    map.on("moveend", function () {
      if (!inView.checked) return;
      bbox.value = map.getBounds().toBBoxString();
      refresh(false);
    });
    map.on("zoomend", showOutlines);

    form.addEventListener("change", function (changeEvent) {
      if (changeEvent.target !== inView) refresh(!inView.checked);
    });
    form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      refresh(!inView.checked);
    });

    if (bbox.value) {
      var b = bbox.value.split(",").map(Number);
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    }
    loadMap(searchParams(), !bbox.value);
  });
})();
