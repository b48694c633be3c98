// Suggestions for the search's place boxes (territory, park, commune) when
// there are too many to list in a <select> (sites/filters.py, SuggestInput).
// Without JavaScript the box takes a name or a code as typed; this only fills
// its <datalist> as the visitor types. Names go in through DOM properties,
// never as HTML.
(function () {
  "use strict";

  var WAIT_MS = 200;  // after the last key, so that typing a word asks once

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var pending = null;

    function show(suggestions) {
      list.replaceChildren.apply(list, suggestions.map(function (place) {
        var option = document.createElement("option");
        option.value = place.value;
        option.label = place.label;
        option.textContent = place.label;
        return option;
      }));
    }

    function ask() {
      var text = input.value.trim();
      if (pending) pending.abort();  // a superseded answer is never drawn
      if (text.length < 2) { show([]); return; }
      pending = new AbortController();
      var url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { show(data.suggestions); })
        .catch(function (error) { if (error.name !== "AbortError") show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
