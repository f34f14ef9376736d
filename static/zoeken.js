/*
 * Passend onderwijs in cijfers: search as you type, without a server.
 *
 * Enhances every <form class="search" data-zoekindex="…">. Without this script the form is a
 * plain GET form to /zoeken/, which lists every gemeente and SWV. With it, the results appear
 * under the box while typing, from /zoekindex.json (names, codes and relations only). Matching
 * ignores case and accents ("fryslan" finds "Fryslân"); every word typed must occur in the name,
 * the code or the provincie. Keys: arrow down moves from the box into the results, arrow
 * up/down between them, Escape back to the box.
 */
(function () {
  "use strict";

  var indexes = {};

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function loadIndex(url) {
    if (!indexes[url]) {
      indexes[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(prepare);
    }
    return indexes[url];
  }

  /* Every entry with its folded name, code and the rest it can be found by. */
  function prepare(index) {
    var swvByCode = {};
    var entries = [];
    index.swv.forEach(function (s) {
      swvByCode[s.code] = s;
      entries.push({
        kind: "swv", item: s, name: fold(s.naam), code: fold(s.code),
        rest: fold(s.provincies.join(" ") + " " + s.sector),
        label: s.code + " · " + s.naam,
        meta: "samenwerkingsverband " + s.sector +
          (s.provincies.length ? " · " + s.provincies.join(", ") : " · landelijk"),
      });
    });
    index.gemeenten.forEach(function (g) {
      entries.push({
        kind: "gemeente", item: g, name: fold(g.naam), code: fold(g.code),
        rest: fold(g.provincie), label: g.naam, meta: "gemeente · " + g.code + " · " + g.provincie,
      });
    });
    index.datasets.forEach(function (d) {
      entries.push({
        kind: "dataset", item: d, name: fold(d.titel), code: fold(d.naam), rest: "",
        label: d.titel, meta: "dataset",
      });
    });
    return { entries: entries, swvByCode: swvByCode };
  }

  /* Lower is better; null when a word typed is missing. */
  function score(entry, query, words) {
    var all = entry.name + " " + entry.code + " " + entry.rest;
    for (var i = 0; i < words.length; i++) {
      if (all.indexOf(words[i]) < 0) return null;
    }
    if (entry.code === query || entry.name === query) return 0;
    if (entry.name.indexOf(query) === 0 || entry.code.indexOf(query) === 0) return 1;
    if ((" " + entry.name).indexOf(" " + words[0]) >= 0) return 2;
    if (entry.name.indexOf(words[0]) >= 0 || entry.code.indexOf(words[0]) >= 0) return 3;
    return 4;
  }

  var KIND_ORDER = { gemeente: 0, swv: 1, dataset: 2 };

  /* As on the lists: SWVs by code, gemeenten and datasets by name. */
  function sortKey(entry) {
    return entry.kind === "swv" ? entry.code : entry.name + " " + entry.code;
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function search(index, text) {
    var query = fold(text);
    if (!query) return [];
    var words = query.split(" ");
    var found = [];
    index.entries.forEach(function (entry) {
      var s = score(entry, query, words);
      if (s !== null) found.push({ entry: entry, score: s });
    });
    found.sort(function (a, b) {
      return a.score - b.score ||
        KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] ||
        compare(sortKey(a.entry), sortKey(b.entry));
    });
    return found.map(function (f) { return f.entry; });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function link(href, text, className) {
    var a = element("a", className, text);
    a.href = href;
    return a;
  }

  function resultItem(entry, index, site) {
    var li = element("li", "result result-" + entry.kind);
    li.appendChild(link(new URL(entry.item.url, site).href, entry.label, "result-link"));
    li.appendChild(element("span", "result-meta", entry.meta));
    if (entry.kind === "gemeente" && entry.item.swvs.length) {
      var relations = element("ul", "result-rel");
      relations.setAttribute("aria-label", "Samenwerkingsverbanden van " + entry.item.naam);
      entry.item.swvs.forEach(function (code) {
        var swv = index.swvByCode[code];
        var item = element("li");
        item.appendChild(link(new URL(swv.url, site).href, swv.code + " · " + swv.naam));
        relations.appendChild(item);
      });
      li.appendChild(relations);
    }
    return li;
  }

  function resultLinks(list) {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    var site = new URL(form.getAttribute("data-site"), document.baseURI);
    var searchPage = new URL(form.getAttribute("data-zoekpagina"), document.baseURI);
    var indexUrl = new URL(form.getAttribute("data-zoekindex"), document.baseURI).href;
    var max = parseInt(form.getAttribute("data-max"), 10) || 0;
    var path = window.location.pathname.replace(/index\.html$/, "");
    var onSearchPage = searchPage.pathname === path;
    var shown = "";

    function say(text) {
      status.textContent = text;
    }

    function show(index) {
      var text = input.value.trim();
      if (text === shown) return;
      shown = text;
      list.replaceChildren();
      form.classList.toggle("search-active", text !== "");
      if (!text) {
        say("");
        return;
      }
      var results = search(index, text);
      var visible = max ? results.slice(0, max) : results;
      visible.forEach(function (entry) { list.appendChild(resultItem(entry, index, site)); });
      if (visible.length < results.length) {
        var more = element("li", "result result-more");
        var all = new URL(searchPage.href);
        all.searchParams.set("q", text);
        more.appendChild(link(all.href, "Toon alle " + results.length + " resultaten"));
        list.appendChild(more);
      }
      if (!results.length) {
        say("Geen resultaten voor ‘" + text + "’.");
      } else {
        say((results.length === 1 ? "1 resultaat" : results.length + " resultaten") +
          " voor ‘" + text + "’" +
          (visible.length < results.length ? ", de eerste " + visible.length + " staan hieronder." : "."));
      }
    }

    function update() {
      loadIndex(indexUrl).then(show, function () {
        shown = "";
        say("De zoekfunctie kan de index niet laden. Druk op Enter voor de lijst van alle " +
          "gemeenten en samenwerkingsverbanden.");
      });
    }

    function move(from, step) {
      var links = resultLinks(list);
      var at = links.indexOf(from) + step;
      if (at < 0) input.focus();
      else if (at < links.length) links[at].focus();
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () { loadIndex(indexUrl).catch(function () {}); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && list.firstChild) {
        event.preventDefault();
        move(null, 1);
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(document.activeElement, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        event.preventDefault();
        input.focus();
      }
    });
    if (form.classList.contains("search-compact")) {
      form.addEventListener("focusout", function (event) {
        if (!form.contains(event.relatedTarget)) form.classList.remove("search-open");
      });
      form.addEventListener("focusin", function () { form.classList.add("search-open"); });
    }
    if (onSearchPage) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var here = new URL(window.location.href);
        here.searchParams.set("q", input.value.trim());
        window.history.replaceState(null, "", here.href);
        update();
      });
      var nojs = document.querySelector(".search-nojs");
      if (nojs) nojs.hidden = true;
      var asked = new URLSearchParams(window.location.search).get("q");
      if (asked) {
        input.value = asked;
        update();
      }
    }
  }

  function start() {
    if (!window.fetch || !window.URL || !String.prototype.normalize) return;
    document.querySelectorAll("form.search[data-zoekindex]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
