/*
 * Sunshine: progressive enhancement of the generated pages. Plain ES2017 (and
 * import() for search), no build step; works from a web server and from disk
 * (file://), search excepted. Every page is complete without it: charts are
 * static SVG images, tables are plain tables.
 *
 * - Charts: figure.sunshine-chart carries its Vega-Lite spec inline. The chart
 *   library (assets/vendor/vega-bundle.js, ~300 KB gzipped) is loaded only on pages
 *   that have a chart, from a URL relative to this script. On success the static
 *   image is hidden on screen (print still shows it); on failure it stays.
 *   vegaEmbed runs with ast: true, so expressions are evaluated by the interpreter
 *   bundled in vega-embed instead of new Function(): no 'unsafe-eval' needed.
 * - Tables: table.sunshine-table[data-sortable] gets sort buttons in its headings
 *   (aria-sort kept up to date); [data-filterable] gets a labelled filter box and a
 *   live count of shown rows. Wide tables are wrapped to scroll inside a frame.
 * - Notices: span.sunshine-notice-status[data-start][data-end] says whether the
 *   notice period is open, closed or not yet open on the reader's own date.
 * - Search (search.html only): Pagefind's script (pagefind/pagefind.js at the site
 *   root, written by the build) is loaded with import() from a URL relative to this
 *   script; it fetches only the index chunks a query needs. Queries run 300 ms after
 *   the last keystroke, and ?q= in the address runs one at once (the header's search
 *   box submits to it). Results are built as DOM nodes: Pagefind's excerpts are plain
 *   text with <mark> around matches, so only those marks become elements. import()
 *   fails on pages opened from disk (file://); the page's own text then says so.
 *   Pagefind compiles WebAssembly: the CSP needs 'wasm-unsafe-eval' (not 'unsafe-eval').
 *
 * Material's navigation.instant is off in mkdocs.yml, so this runs once per page
 * load; if it is turned on, the document$ subscription below re-runs it per page.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="sunshine.js"]');
  var BUNDLE = "../vendor/vega-bundle.js"; // relative to this file: assets/javascripts/
  var SITE_ROOT = "../../"; // relative to this file
  var PAGEFIND = "pagefind/pagefind.js"; // relative to the site root
  var SEARCH_DELAY_MS = 300;
  var SEARCH_LIMIT = 20;
  var bundlePromise = null;
  var pagefindPromise = null;

  var WORDS = {
    en: {
      open: "open",
      closed: "closed",
      upcoming: "not yet open",
      filter: "Filter this table",
      placeholder: "Type a name, place or number",
      count: "{shown} of {total} {noun}",
      rows: "rows",
      sorted: "Sorted by {column}, {direction}",
      ascending: "ascending",
      descending: "descending",
      checked: "Checked against your device's date: {date}",
      table: "Table (scrolls sideways)",
      searching: "Searching…",
      found: "{count} pages match “{query}”.",
      foundOne: "1 page matches “{query}”.",
      foundMore: "{count} pages match “{query}”; the first {shown} are listed.",
      none: "No page matches “{query}”. Try another word, or part of a Chinese name.",
      unavailable: "Search could not start here."
    },
    zh: {
      open: "公示中",
      closed: "已结束",
      upcoming: "未开始",
      filter: "筛选本表",
      placeholder: "输入名称、地名或数字",
      count: "显示 {shown} / {total} {noun}",
      rows: "行",
      sorted: "已按“{column}”{direction}排序",
      ascending: "升序",
      descending: "降序",
      checked: "按您设备上的日期判断：{date}",
      table: "表格（可左右滚动）",
      searching: "正在搜索…",
      found: "有 {count} 个页面匹配“{query}”。",
      foundOne: "有 1 个页面匹配“{query}”。",
      foundMore: "有 {count} 个页面匹配“{query}”，下面列出前 {shown} 个。",
      none: "没有页面匹配“{query}”。请换一个词，或只输入中文名称的一部分。",
      unavailable: "此处无法使用搜索。"
    }
  };

  function words() {
    var lang = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
    return WORDS[lang] || WORDS.en;
  }

  function say(key, values) {
    var text = words()[key] || WORDS.en[key] || key;
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values && name in values ? String(values[name]) : "";
    });
  }

  function once(element, flag) {
    var key = "sunshine" + flag;
    if (element.dataset[key]) return false;
    element.dataset[key] = "1";
    return true;
  }

  /* --- Charts ------------------------------------------------------------------------ */

  function bundleUrl() {
    var base = script && script.src ? script.src : document.baseURI;
    return new URL(BUNDLE, base).href;
  }

  function loadBundle() {
    if (window.vegaEmbed) return Promise.resolve(window.vegaEmbed);
    if (bundlePromise) return bundlePromise;
    bundlePromise = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = bundleUrl();
      tag.async = true;
      tag.onload = function () {
        if (window.vegaEmbed) resolve(window.vegaEmbed);
        else reject(new Error("vega bundle loaded without vegaEmbed"));
      };
      tag.onerror = function () {
        bundlePromise = null;
        reject(new Error("vega bundle failed to load"));
      };
      document.head.appendChild(tag);
    });
    return bundlePromise;
  }

  function renderChart(figure, vegaEmbed) {
    var specNode = figure.querySelector("script.sunshine-chart__spec");
    var target = figure.querySelector(".sunshine-chart__vega");
    if (!specNode || !target) return Promise.resolve();
    var spec;
    try {
      spec = JSON.parse(specNode.textContent);
    } catch (error) {
      return Promise.resolve(); // keep the static image
    }
    // vega-embed sizes its element to the chart: embed into an inner element so the
    // outer one can scroll sideways on narrow screens. Its styles (and the tooltip's)
    // are in sunshine.css rather than injected <style> elements (CSP style-src).
    var inner = document.createElement("div");
    target.textContent = "";
    target.appendChild(inner);
    var options = {
      actions: false,
      renderer: "svg",
      ast: true, // expressions via the bundled interpreter: no new Function()
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    return vegaEmbed(inner, spec, options).then(
      function () {
        figure.classList.add("sunshine-chart--live");
      },
      function () {
        target.textContent = "";
        figure.classList.add("sunshine-chart--static");
      }
    );
  }

  function enhanceCharts(root) {
    var figures = Array.prototype.filter.call(
      root.querySelectorAll("figure.sunshine-chart"),
      function (figure) { return once(figure, "Chart"); }
    );
    if (!figures.length) return;
    if (window.matchMedia && window.matchMedia("print").matches) return;
    var render = function (figure) {
      loadBundle().then(
        function (vegaEmbed) { return renderChart(figure, vegaEmbed); },
        function () { /* no bundle: the static images stay */ }
      );
    };
    if (!("IntersectionObserver" in window)) {
      figures.forEach(render);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          render(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    figures.forEach(function (figure) { observer.observe(figure); });
  }

  /* --- Tables ------------------------------------------------------------------------ */

  var uniqueId = 0;

  function newId(prefix) {
    uniqueId += 1;
    return prefix + "-" + uniqueId;
  }

  function wrapTable(table) {
    var parent = table.parentNode;
    if (parent && parent.classList && parent.classList.contains("sunshine-table-wrap")) {
      return parent;
    }
    var wrap = document.createElement("div");
    wrap.className = "sunshine-table-wrap";
    wrap.tabIndex = 0; // keyboard users can scroll it
    wrap.setAttribute("role", "region");
    var caption = table.caption ? table.caption.textContent.trim() : "";
    wrap.setAttribute("aria-label", caption || say("table"));
    parent.insertBefore(wrap, table);
    wrap.appendChild(table);
    return wrap;
  }

  function statusRegion(table, before) {
    if (table._sunshineStatus) return table._sunshineStatus;
    var status = document.createElement("p");
    status.className = "sunshine-filter__count";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    before.parentNode.insertBefore(status, before);
    table._sunshineStatus = status;
    return status;
  }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
  }

  function toNumber(text) {
    var cleaned = String(text).replace(/[\s,\u00a0\u202f%¥元]/g, "");
    if (cleaned === "" || cleaned === "-" || cleaned === "—") return NaN;
    return Number(cleaned);
  }

  function isBlank(kind, value) {
    return kind === "number" ? isNaN(toNumber(value)) : value === "";
  }

  function comparer(kind, collator) {
    if (kind === "number") {
      return function (a, b) { return toNumber(a) - toNumber(b); };
    }
    return function (a, b) { return collator.compare(a, b); };
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    var lang = document.documentElement.lang || undefined;
    var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
    var status = null;
    Array.prototype.forEach.call(head.cells, function (th, index) {
      if (th.hasAttribute("data-nosort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sunshine-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var kind = th.getAttribute("data-sort") || "text";
        var compare = comparer(kind, collator);
        var rows = Array.prototype.map.call(body.rows, function (row, position) {
          var value = cellValue(row, index);
          return { row: row, value: value, blank: isBlank(kind, value), position: position };
        });
        rows.sort(function (a, b) {
          if (a.blank !== b.blank) return a.blank ? 1 : -1; // blanks last, either way
          var order = a.blank ? 0 : compare(a.value, b.value);
          return (ascending ? order : -order) || a.position - b.position;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (item) { fragment.appendChild(item.row); });
        body.appendChild(fragment);
        Array.prototype.forEach.call(head.cells, function (other) {
          if (other !== th) other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        status = status || statusRegion(table, table.parentNode);
        if (!table.hasAttribute("data-filterable")) {
          status.textContent = say("sorted", {
            column: button.textContent.trim(),
            direction: say(ascending ? "ascending" : "descending")
          });
        }
      });
    });
  }

  function normalise(text) {
    var value = String(text);
    if (value.normalize) value = value.normalize("NFKC"); // full-width letters and digits
    return value.toLocaleLowerCase();
  }

  function makeFilterable(table, wrap) {
    var body = table.tBodies[0];
    if (!body) return;
    var noun = table.getAttribute("data-filter-noun") || say("rows");
    var box = document.createElement("div");
    box.className = "sunshine-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = newId((table.id || "sunshine-table") + "-filter");
    input.autocomplete = "off";
    input.placeholder = say("placeholder");
    if (table.id) input.setAttribute("aria-controls", table.id);
    label.htmlFor = input.id;
    label.textContent = table.getAttribute("data-filter-label") || say("filter");
    box.appendChild(label);
    box.appendChild(input);
    wrap.parentNode.insertBefore(box, wrap);
    var status = statusRegion(table, wrap);
    box.appendChild(status);
    var texts = null; // row text, computed at the first keystroke
    var timer = 0;
    var total = body.rows.length;

    function update() {
      var terms = normalise(input.value).split(/\s+/).filter(Boolean);
      if (!texts) {
        texts = new Map();
        Array.prototype.forEach.call(body.rows, function (row) {
          texts.set(row, normalise(row.textContent));
        });
      }
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = texts.get(row) || "";
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = say("count", { shown: shown, total: total, noun: noun });
    }

    status.textContent = say("count", { shown: total, total: total, noun: noun });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, total > 500 ? 150 : 0);
    });
  }

  function enhanceTables(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table.sunshine-table"), function (table) {
      if (!once(table, "Table")) return;
      var wrap = wrapTable(table);
      if (table.hasAttribute("data-filterable")) makeFilterable(table, wrap);
      if (table.hasAttribute("data-sortable")) makeSortable(table);
    });
  }

  /* --- Notices ----------------------------------------------------------------------- */

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function noticeState(start, end, day) {
    if (day < start) return "upcoming";
    if (day > end) return "closed";
    return "open";
  }

  function updateNotices(root) {
    var day = today();
    var spans = root.querySelectorAll("span.sunshine-notice-status[data-start][data-end]");
    Array.prototype.forEach.call(spans, function (span) {
      var state = noticeState(span.getAttribute("data-start"), span.getAttribute("data-end"), day);
      span.setAttribute("data-state", state);
      span.textContent = span.getAttribute("data-label-" + state) || say(state);
      span.title = say("checked", { date: day });
    });
  }

  /* --- Search (Pagefind) ------------------------------------------------------------ */

  function siteRoot() {
    var base = script && script.src ? script.src : document.baseURI;
    return new URL(SITE_ROOT, base);
  }

  function loadPagefind() {
    if (pagefindPromise) return pagefindPromise;
    var root = siteRoot();
    pagefindPromise = import(new URL(PAGEFIND, root).href).then(function (pagefind) {
      // Result URLs start at the site root, also when the site lives in a subfolder.
      return Promise.resolve(pagefind.options({ baseUrl: root.pathname })).then(function () {
        return pagefind;
      });
    });
    return pagefindPromise;
  }

  // Pagefind's excerpt is page text with <mark>...</mark> around the matched words;
  // the text itself is not escaped. Only the marks become elements, the rest is text.
  function appendExcerpt(parent, excerpt) {
    var marked = false;
    String(excerpt || "").split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
        return;
      }
      if (!part) return;
      var text = document.createTextNode(part);
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        parent.appendChild(mark);
      } else {
        parent.appendChild(text);
      }
    });
  }

  function searchMessage(text) {
    var message = document.createElement("p");
    message.className = "sunshine-search__status";
    message.textContent = text;
    return message;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    var heading = document.createElement("p");
    heading.className = "sunshine-search__title";
    heading.appendChild(link);
    var excerpt = document.createElement("p");
    excerpt.className = "sunshine-search__excerpt";
    appendExcerpt(excerpt, data.excerpt);
    item.appendChild(heading);
    item.appendChild(excerpt);
    return item;
  }

  function showResults(output, query, pages, total) {
    var key = total === 1 ? "foundOne" : total > pages.length ? "foundMore" : "found";
    var nodes = [searchMessage(say(total ? key : "none", {
      count: total, shown: pages.length, query: query
    }))];
    if (pages.length) {
      var list = document.createElement("ol");
      list.className = "sunshine-search__results";
      pages.forEach(function (data) { list.appendChild(resultItem(data)); });
      nodes.push(list);
    }
    output.textContent = "";
    nodes.forEach(function (node) { output.appendChild(node); });
  }

  function rememberQuery(query) {
    try {
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
    } catch (error) { /* file:// or a sandbox: the address keeps the old query */ }
  }

  function setUpSearch() {
    var input = document.getElementById("sunshine-search-input");
    var output = document.getElementById("sunshine-search-results");
    if (!input || !output || !once(input, "Search")) return;
    var fallback = document.getElementById("sunshine-search-fallback");
    var timer = 0;
    var asked = 0;

    function unavailable() {
      output.textContent = "";
      output.appendChild(searchMessage(say("unavailable")));
      if (fallback) fallback.hidden = false;
    }

    function run(query) {
      asked += 1;
      var mine = asked;
      if (!query) {
        output.textContent = "";
        return;
      }
      output.setAttribute("aria-busy", "true");
      loadPagefind()
        .then(function (pagefind) { return pagefind.search(query); })
        .then(function (found) {
          if (mine !== asked) return null;
          var shown = found.results.slice(0, SEARCH_LIMIT);
          return Promise.all(shown.map(function (result) { return result.data(); })).then(
            function (pages) {
              if (mine === asked) showResults(output, query, pages, found.results.length);
            }
          );
        })
        .catch(function () {
          if (mine === asked) unavailable();
        })
        .then(function () {
          if (mine === asked) output.removeAttribute("aria-busy");
        });
    }

    function queryNow() {
      window.clearTimeout(timer);
      var query = input.value.trim();
      rememberQuery(query);
      run(query);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(queryNow, SEARCH_DELAY_MS);
    });
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        event.preventDefault();
        queryNow();
      });
    }
    var initial = new URLSearchParams(window.location.search).get("q") || "";
    if (initial) input.value = initial;
    loadPagefind().then(
      function () { if (fallback) fallback.hidden = true; },
      function () { pagefindPromise = null; }
    );
    if (initial.trim()) queryNow();
  }

  /* --- Print: open every details block, close them again after ---------------------- */

  var openedForPrint = [];

  function beforePrint() {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details:not([open])"),
      function (details) { details.open = true; return true; }
    );
  }

  function afterPrint() {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  }

  /* --- Start ------------------------------------------------------------------------- */

  function enhance() {
    var root = document.querySelector("article") || document.body;
    updateNotices(root);
    enhanceTables(root);
    enhanceCharts(root);
    setUpSearch();
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);

  window.sunshine = {
    enhance: enhance,
    noticeState: noticeState,
    bundleUrl: bundleUrl,
    loadPagefind: loadPagefind
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance); // Material instant navigation, if turned on
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
