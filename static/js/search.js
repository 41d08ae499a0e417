/* The browse page's search: filters fold on a phone and stay open beside the results on a wider screen; the
   suggestions under the search box answer the arrow keys, and Escape closes them; the back button brings back the
   words with their results. The page works without it. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 900px)");

  function unfoldFilters() {
    var panel = document.getElementById("facet-panel");
    if (panel && wide.matches) {
      panel.open = true;
    }
  }

  function followKeys(event) {
    var box = document.getElementById("id_q");
    var list = document.getElementById("suggestions");
    var items = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = items.indexOf(document.activeElement);
    if (event.key === "Escape" && items.length) {
      list.innerHTML = "";
      box.focus();
    } else if (event.key === "ArrowDown" && items.length) {
      items[Math.min(at + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? box : items[at - 1]).focus();
    } else {
      return;
    }
    event.preventDefault();
  }

  // htmx keeps the page's HTML for the back button, where a box's typed text is not: write in the words that the
  // results on the page were found for (the address still shows them when the page is saved).
  function keepWords() {
    var box = document.getElementById("id_q");
    if (box) {
      box.setAttribute("value", new URLSearchParams(window.location.search).get("q") || "");
    }
  }

  unfoldFilters();
  document.body.addEventListener("htmx:beforeHistorySave", keepWords);
  document.body.addEventListener("htmx:afterSettle", unfoldFilters);
  wide.addEventListener("change", unfoldFilters);
  var form = document.getElementById("search-form");
  if (form) {
    form.addEventListener("keydown", followKeys);
    // Once the words are searched, a suggestion request still waiting on its delay would reopen the list over
    // the results: drop it unless the words have changed since.
    var box = document.getElementById("id_q");
    var searched = null;
    form.addEventListener("submit", function () {
      searched = box.value;
    });
    box.addEventListener("input", function () {
      if (box.value !== searched) {
        searched = null;
      }
    });
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt === box && box.value === searched) {
        event.preventDefault();
      }
    });
  }
})();
