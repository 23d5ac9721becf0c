/*
 * Arshif search: answers queries from the static index that arshif/search.py builds, and
 * drives the search box on every page and the results on search.html. Plain classic script,
 * no library, works from file:// and over http under any sub-path.
 *
 * HTML CONTRACT FOR TEMPLATES
 *
 *   Site root: a `data-root` attribute holds the relative path from the page to the site root
 *   ("./", "../", "../../"). It is read from the first of: this <script> element, <html>,
 *   <body>; missing means "./". Index files and result links are data-root + a
 *   site-root-relative path, so no absolute URL is ever needed.
 *
 *   Every page. The form works without this script (a plain GET to search.html); the script
 *   adds the "/" key to focus the box (also the key in that place on an Arabic layout):
 *
 *     <html lang="ar" dir="rtl" data-root="../">
 *     <head><meta charset="utf-8"> ...
 *     <form id="arshif-search-form" role="search" method="get" action="../search.html">
 *       <label for="arshif-search-input">ابحث في الأرشيف</label>
 *       <input id="arshif-search-input" name="q" type="search" autocomplete="off">
 *       <button type="submit">بحث</button>
 *     </form>
 *     ...
 *     <script src="../static/arabic.js" defer></script>    <- first: search.js needs it
 *     <script src="../static/search.js" defer></script>
 *
 *   search.html additionally has (an element with id arshif-search-results makes it the
 *   results page):
 *
 *     <p id="arshif-search-count" role="status" aria-live="polite"></p>
 *     <ol id="arshif-search-results"></ol>
 *     <nav id="arshif-search-pages" aria-label="صفحات النتائج"></nav>   (optional; made if absent)
 *     <noscript>…a sentence saying search needs JavaScript…</noscript>
 *
 *   The query lives in the URL: search.html?q=<query>&p=<page, from 1, omitted for 1>. The
 *   script reads it on load, fills the box, and keeps it in step as the reader types (where
 *   the browser allows; otherwise pressing Enter navigates to the new URL).
 *
 *   Each result is <li class="arshif-result"> holding a.arshif-result-link (the title),
 *   p.arshif-result-meta (<time datetime> with the display date, then the source) and
 *   p.arshif-result-snippet; matched words are <mark> elements. Article text only ever enters
 *   the page through textContent, never as HTML. Arrow keys move between the box, the result
 *   links and the page links; Enter opens the focused result.
 *
 * INDEX FILES (written by arshif/search.py under the site root): search/meta.js,
 * search/idx-NNNN.js, search/docs-DAY-N.js. Each is a classic script that calls
 * ArshifSearch.register(name, data); this file loads them on demand by adding <script>
 * elements, which works from file:// where fetch() and modules do not.
 *
 * Code stays ASCII: Arabic UI strings are \u escapes (the Arabic is in the comment beside
 * each), so a server that labels this file with the wrong charset cannot garble them.
 */
(function () {
  "use strict";

  const Arabic =
    globalThis.ArshifArabic || (typeof require === "function" ? require("./arabic.js") : null);
  if (!Arabic) throw new Error("Arshif: load static/arabic.js before static/search.js");

  const PAGE_SIZE = 10;
  const TITLE_BONUS = 3; // any title hit outranks every body hit of the same query word
  const SNIPPET_BEFORE = 8; // words of context before the first match
  const SNIPPET_WORDS = 32;
  const TYPING_PAUSE_MS = 200; // search as the reader types, once they pause
  const SLOW_MS = 300; // only say "searching" when it is slow enough to notice

  const TEXT = {
    none: "\u0644\u0627 \u0646\u062A\u0627\u0626\u062C", // لا نتائج
    one: "\u0646\u062A\u064A\u062C\u0629 \u0648\u0627\u062D\u062F\u0629", // نتيجة واحدة
    two: "\u0646\u062A\u064A\u062C\u062A\u0627\u0646", // نتيجتان
    few: "\u0646\u062A\u0627\u0626\u062C", // نتائج (3-10)
    many: "\u0646\u062A\u064A\u062C\u0629\u064B", // نتيجةً (11-99)
    other: "\u0646\u062A\u064A\u062C\u0629", // نتيجة (100, 101, 102 …)
    searching: "\u062C\u0627\u0631\u064D \u0627\u0644\u0628\u062D\u062B\u2026", // جارٍ البحث…
    failed:
      "\u062A\u0639\u0630\u0651\u0631 \u062A\u062D\u0645\u064A\u0644 " +
      "\u0641\u0647\u0631\u0633 \u0627\u0644\u0628\u062D\u062B.", // تعذّر تحميل فهرس البحث.
    previous: "\u0627\u0644\u0633\u0627\u0628\u0642", // السابق
    next: "\u0627\u0644\u062A\u0627\u0644\u064A", // التالي
    // صفحات النتائج
    pages: "\u0635\u0641\u062D\u0627\u062A \u0627\u0644\u0646\u062A\u0627\u0626\u062C",
    page: "\u0627\u0644\u0635\u0641\u062D\u0629", // الصفحة
    of: "\u0645\u0646", // من
    ellipsis: "\u2026", // …
    dot: " \u00B7 ", // ·
  };

  /** "N results" with the Arabic plural the number takes (CLDR: zero one two few many other). */
  function countText(n) {
    if (n === 0) return TEXT.none;
    if (n === 1) return TEXT.one;
    if (n === 2) return TEXT.two;
    const rest = n % 100;
    if (rest >= 3 && rest <= 10) return n + " " + TEXT.few;
    if (rest >= 11) return n + " " + TEXT.many;
    return n + " " + TEXT.other;
  }

  function own(object, key) {
    return object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  }

  // ------------------------------------------------------------------ postings

  // arshif.search._encode_postings writes a list one of two ways, in the URL-safe base64
  // alphabet. Gaps: between ascending doc numbers, each `gap * 2 + exact`, as little-endian
  // varints of five bits per character (bit 32 = more follows). Bitmap, after a "~": two bits
  // per doc from doc 0 (0 absent, 1 stripped form, 2 exact), three docs per character.
  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const DIGIT_VALUE = new Int8Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

  function digitAt(encoded, i) {
    const digit = DIGIT_VALUE[encoded.charCodeAt(i)];
    if (!(digit >= 0)) throw new Error("Arshif: corrupt postings");
    return digit;
  }

  /** [[doc number, exact], ...] from one encoded postings list. */
  function decodePostings(encoded) {
    return encoded[0] === "~" ? decodeBitmap(encoded) : decodeGaps(encoded);
  }

  /** The values of a run of varints: five bits per character, little-endian, 32 = more. */
  function varints(encoded) {
    const values = [];
    let value = 0;
    let scale = 1;
    for (let i = 0; i < encoded.length; i++) {
      const digit = digitAt(encoded, i);
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
        continue;
      }
      values.push(value);
      value = 0;
      scale = 1;
    }
    return values;
  }

  function decodeGaps(encoded) {
    const out = [];
    let doc = -1;
    for (const value of varints(encoded)) {
      doc += Math.floor(value / 2);
      out.push([doc, value % 2 === 1]);
    }
    return out;
  }

  function decodeBitmap(encoded) {
    const out = [];
    for (let i = 1; i < encoded.length; i++) {
      const digit = digitAt(encoded, i);
      for (let k = 0; k < 3; k++) {
        const code = (digit >> (2 * k)) & 3;
        if (code === 3) throw new Error("Arshif: corrupt postings");
        if (code) out.push([(i - 1) * 3 + k, code === 2]);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ the matching rule

  /** Distinct normalised words of a query, in the order typed; all must match. */
  function queryWords(query) {
    return Array.from(new Set(Arabic.words(query)));
  }

  /**
   * The index terms of a normalised word, each mapped to true when it is the word as written:
   * arshif.search.word_terms, with aliasOf(form) giving a form's gazetteer canonical.
   */
  function wordTerms(word, aliasOf) {
    const terms = new Map();
    for (const form of Arabic.cliticForms(word)) {
      const exact = form === word;
      for (const term of [form, aliasOf(form)]) {
        if (term !== undefined) terms.set(term, terms.get(term) || exact);
      }
    }
    return terms;
  }

  /**
   * A test for text words that the index matched to these query terms. A text word is indexed
   * under its clitic forms and their canonicals, so it matches when a form is a query term or
   * a variant spelling of one (variantsOf(term) lists the gazetteer variants of a canonical).
   */
  function wordMatcher(termMaps, variantsOf) {
    const allowed = new Set();
    for (const terms of termMaps) {
      for (const term of terms.keys()) {
        allowed.add(term);
        for (const variant of variantsOf(term) || []) allowed.add(variant);
      }
    }
    const known = new Map();
    return function matches(word) {
      if (!known.has(word)) known.set(word, Arabic.cliticForms(word).some((f) => allowed.has(f)));
      return known.get(word);
    };
  }

  /** Mirror of arshif.search.normalise_synonyms, minus its errors: variant -> canonical. */
  function normaliseSynonyms(synonyms) {
    const result = new Map();
    for (const variant of Object.keys(synonyms)) {
      const key = Arabic.words(variant);
      if (key.length === 1) result.set(key[0], Arabic.words(synonyms[variant]).join(" "));
    }
    return result;
  }

  /**
   * Whether a search would find `text` for `query`: the reference run by the shared cases
   * (tests/data/arabic_cases.json) against arshif.search.text_matches. It uses the same
   * wordTerms and wordMatcher as the search page.
   */
  function textMatches(query, text, synonyms) {
    const aliases = normaliseSynonyms(synonyms || {});
    const variantsOf = (term) => Array.from(aliases.keys()).filter((v) => aliases.get(v) === term);
    const textWords = Arabic.words(text);
    const wanted = queryWords(query);
    return (
      wanted.length > 0 &&
      wanted.every((word) => {
        const matches = wordMatcher([wordTerms(word, (f) => aliases.get(f))], variantsOf);
        return textWords.some(matches);
      })
    );
  }

  // ------------------------------------------------------------------ snippets

  // A displayed word: letters, digits, and the marks and tatweel that normalize() removes.
  const TOKEN = /[\p{L}\p{N}\p{M}\u0640\u200C\u200D]+/gu;

  function tokenMatches(token, matches) {
    return Arabic.words(token).some(matches);
  }

  /** `text` as [[piece, isMatch], ...], each matching word its own piece. */
  function markParts(text, matches) {
    const parts = [];
    let last = 0;
    for (const found of text.matchAll(TOKEN)) {
      if (!tokenMatches(found[0], matches)) continue;
      if (found.index > last) parts.push([text.slice(last, found.index), false]);
      parts.push([found[0], true]);
      last = found.index + found[0].length;
    }
    if (last < text.length) parts.push([text.slice(last), false]);
    return parts;
  }

  /** About SNIPPET_WORDS words around the first match (or from the start), with ellipses. */
  function snippetText(text, matches) {
    const tokens = Array.from(text.matchAll(TOKEN));
    if (tokens.length === 0) return text;
    const first = Math.max(0, tokens.findIndex((t) => tokenMatches(t[0], matches)));
    const from = Math.max(0, Math.min(first - SNIPPET_BEFORE, tokens.length - SNIPPET_WORDS));
    const to = Math.min(tokens.length, from + SNIPPET_WORDS);
    const start = from === 0 ? 0 : tokens[from].index;
    const last = tokens[to - 1];
    const end = to === tokens.length ? text.length : last.index + last[0].length;
    const lead = start > 0 ? TEXT.ellipsis + " " : "";
    const tail = end < text.length ? " " + TEXT.ellipsis : "";
    return lead + text.slice(start, end) + tail;
  }

  // ------------------------------------------------------------------ the index

  /**
   * A search over one built index. loadScript(name, version) must run the index file `name`
   * (which calls register) and resolve once it has; the page adds <script> tags, Node reads
   * the file. search(query, page) resolves to what the results page shows.
   */
  function createIndex(loadScript) {
    const registered = new Map();
    const loads = new Map();

    function register(name, data) {
      registered.set(name, data);
    }

    function load(name) {
      if (!loads.has(name)) {
        const version = name === "meta" ? undefined : registered.get("meta").hash;
        const loaded = Promise.resolve()
          .then(() => loadScript(name, version))
          .then(() => {
            if (!registered.has(name)) throw new Error("Arshif: " + name + " did not register");
            return registered.get(name);
          });
        // A failed load (offline, missing file) is retried by the next search.
        loaded.catch(() => loads.delete(name));
        loads.set(name, loaded);
      }
      return loads.get(name);
    }

    /**
     * The shard holding `term`: the last boundary <= the term reversed by code point, the order
     * the builder cut the shards in (clitic forms, all suffixes of a word, then share a shard).
     */
    function shardName(boundaries, term) {
      const key = Array.from(term).reverse().join("");
      let low = 0;
      let high = boundaries.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (boundaries[middle] <= key) low = middle;
        else high = middle - 1;
      }
      return "idx-" + String(low).padStart(4, "0");
    }

    /** Load what the shards say about each term into `entries`: {t, a, v} (any may be absent). */
    async function lookUp(terms, entries) {
      const meta = await load("meta");
      const wanted = terms.filter((term) => !entries.has(term));
      const shards = await Promise.all(wanted.map((term) => load(shardName(meta.shards, term))));
      wanted.forEach((term, i) => {
        const shard = shards[i];
        entries.set(term, { t: own(shard.t, term), a: own(shard.a, term), v: own(shard.v, term) });
      });
    }

    /** Best score per doc for one query word; see the ranking note above addScores. */
    function scoreWord(terms, entries) {
      const best = new Map();
      for (const [term, queryExact] of terms) {
        const postings = entries.get(term).t;
        if (postings === undefined) continue;
        const dot = postings.indexOf(".");
        const body = dot < 0 ? postings : postings.slice(0, dot);
        addScores(best, body, queryExact, 0);
        if (dot >= 0) addScores(best, postings.slice(dot + 1), queryExact, TITLE_BONUS);
      }
      return best;
    }

    async function search(query, page) {
      const words = queryWords(query);
      const answer = { query, words, total: 0, page: 1, pages: 0, first: 0, hits: [] };
      if (words.length === 0) return answer;

      const entries = new Map();
      await lookUp(Array.from(new Set(words.flatMap(Arabic.cliticForms))), entries);
      const aliasOf = (form) => entries.get(form).a;
      const termMaps = words.map((word) => wordTerms(word, aliasOf));
      const allTerms = termMaps.flatMap((terms) => Array.from(terms.keys()));
      await lookUp(Array.from(new Set(allTerms)), entries);

      let scores = null;
      for (const terms of termMaps) {
        const scored = scoreWord(terms, entries);
        scores = scores === null ? scored : intersect(scores, scored);
      }
      const ranked = Array.from(scores).sort((a, b) => b[1] - a[1] || b[0] - a[0]);
      answer.total = ranked.length;
      answer.pages = Math.ceil(ranked.length / PAGE_SIZE);
      answer.page = Math.min(Math.max(1, Math.floor(page) || 1), Math.max(1, answer.pages));
      const shown = ranked.slice((answer.page - 1) * PAGE_SIZE, answer.page * PAGE_SIZE);
      answer.first = shown.length ? (answer.page - 1) * PAGE_SIZE + 1 : 0;

      const meta = registered.get("meta");
      const matches = wordMatcher(termMaps, (term) => entries.get(term).v);
      answer.hits = await Promise.all(shown.map(([doc, score]) => hit(meta, doc, score, matches)));
      return answer;
    }

    const dayGroups = new WeakMap();

    /** [[day, docs], ...] in doc order, from meta.docDays: per month the varint count of
     * each day from the 1st («2020-10-03»), or ["undated", count]. Decoded once per meta. */
    function docGroups(meta) {
      if (!dayGroups.has(meta)) {
        const groups = [];
        for (const [month, counts] of meta.docDays) {
          varints(counts).forEach((count, index) => {
            const dd = String(index + 1).padStart(2, "0");
            if (count) groups.push([month === "undated" ? month : month + "-" + dd, count]);
          });
        }
        dayGroups.set(meta, groups);
      }
      return dayGroups.get(meta);
    }

    async function hit(meta, doc, score, matches) {
      // Doc shards are cut within each day; meta.docDays gives the days in doc order.
      let offset = doc;
      let group = "";
      for (const [label, count] of docGroups(meta)) {
        group = label;
        if (offset < count) break;
        offset -= count;
      }
      const shard = Math.floor(offset / meta.docsPerShard);
      const records = await load("docs-" + group + "-" + shard);
      const [url, title, date, dateText, source, text] = records[offset % meta.docsPerShard];
      return {
        url,
        title,
        date,
        dateText,
        source,
        score,
        titleParts: markParts(title, matches),
        snippetParts: markParts(snippetText(text, matches), matches),
      };
    }

    return { register, search, load };
  }

  /*
   * Ranking. Per query word a document scores its best match: 1 + a tier (2 when the query
   * word and the text word are the same, 1 when one is a clitic form of the other, 0 when they
   * only share a stripped stem) + TITLE_BONUS for a title hit. A document's score is the sum
   * over query words; ties go to the higher doc number: the builder numbers oldest first.
   */
  function addScores(best, encoded, queryExact, bonus) {
    for (const [doc, docExact] of decodePostings(encoded)) {
      const tier = queryExact && docExact ? 2 : queryExact || docExact ? 1 : 0;
      const score = bonus + tier + 1;
      if (!(best.get(doc) >= score)) best.set(doc, score);
    }
  }

  function intersect(scores, more) {
    const both = new Map();
    for (const [doc, score] of scores) {
      if (more.has(doc)) both.set(doc, score + more.get(doc));
    }
    return both;
  }

  // ------------------------------------------------------------------ the page

  const pageScript = typeof document !== "undefined" ? document.currentScript : null;
  let pageIndex = null;

  /** Called by every index file: routes its data to the page's index. */
  function register(name, data) {
    if (pageIndex) pageIndex.register(name, data);
  }

  function siteRoot() {
    const holder = [pageScript, document.documentElement, document.body].find(
      (element) => element && element.hasAttribute("data-root")
    );
    const root = holder ? holder.getAttribute("data-root").trim() : "";
    // Never empty: "./" keeps a document URL relative even if it looked like "scheme:…".
    if (root === "") return "./";
    return root.endsWith("/") ? root : root + "/";
  }

  function scriptLoader(base) {
    // meta.js gets a per-visit query so a rebuilt site is never read with a stale meta.js;
    // the shards then carry the build's hash. file:// ignores the query, http caches by it.
    const visit = Date.now().toString(36);
    return (name, version) =>
      new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = base + name + ".js?v=" + encodeURIComponent(version || visit);
        script.async = true;
        script.onload = () => {
          script.remove();
          resolve();
        };
        script.onerror = () => {
          script.remove();
          reject(new Error("Arshif: cannot load " + script.src));
        };
        document.head.appendChild(script);
      });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function appendParts(node, parts) {
    for (const [piece, isMatch] of parts) {
      node.append(isMatch ? element("mark", "", piece) : document.createTextNode(piece));
    }
  }

  function resultItem(hit, root) {
    const item = element("li", "arshif-result");
    const link = element("a", "arshif-result-link");
    link.href = root + hit.url;
    appendParts(link, hit.titleParts);
    const meta = element("p", "arshif-result-meta");
    if (hit.dateText) {
      const time = element("time", "", hit.dateText);
      if (hit.date) time.dateTime = hit.date;
      meta.append(time);
    }
    if (hit.source) {
      if (hit.dateText) meta.append(TEXT.dot);
      meta.append(element("span", "arshif-result-source", hit.source));
    }
    const snippet = element("p", "arshif-result-snippet");
    appendParts(snippet, hit.snippetParts);
    item.append(link, meta, snippet);
    return item;
  }

  function isEditing(target) {
    return (
      target instanceof Element &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  /** "/" (or the key in its place, "ظ" on an Arabic layout) focuses the search box. */
  function isSearchKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isEditing(event.target)) return false;
    return event.key === "/" || (event.code === "Slash" && !event.shiftKey);
  }

  function setUpPage() {
    const input = document.getElementById("arshif-search-input");
    if (!input) return;
    document.addEventListener("keydown", (event) => {
      if (isSearchKey(event)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
    const results = document.getElementById("arshif-search-results");
    if (results) setUpResults(input, results);
  }

  function setUpResults(input, results) {
    const root = siteRoot();
    pageIndex = createIndex(scriptLoader(root + "search/"));
    const form = document.getElementById("arshif-search-form");
    const count = document.getElementById("arshif-search-count") || element("p");
    let pages = document.getElementById("arshif-search-pages");
    if (!pages) {
      pages = element("nav");
      pages.id = "arshif-search-pages";
      pages.setAttribute("aria-label", TEXT.pages);
      results.after(pages);
    }
    let generation = 0; // only the latest search may draw
    let typing = 0;

    async function show(query, page) {
      const mine = ++generation;
      const slow = setTimeout(() => {
        if (mine === generation) count.textContent = TEXT.searching;
      }, SLOW_MS);
      results.setAttribute("aria-busy", "true");
      try {
        const answer = await pageIndex.search(query, page);
        if (mine === generation) draw(answer);
      } catch (error) {
        if (mine !== generation) return;
        count.textContent = TEXT.failed;
        results.replaceChildren();
        pages.replaceChildren();
        console.error(error);
      } finally {
        clearTimeout(slow);
        if (mine === generation) results.removeAttribute("aria-busy");
      }
    }

    function draw(answer) {
      results.replaceChildren(...answer.hits.map((hit) => resultItem(hit, root)));
      results.start = Math.max(1, answer.first);
      count.textContent = answer.query.trim() === "" ? "" : countText(answer.total);
      drawPages(answer);
    }

    function drawPages(answer) {
      pages.replaceChildren();
      pages.hidden = answer.pages < 2;
      if (answer.pages < 2) return;
      if (answer.page > 1) pages.append(pageLink(answer.query, answer.page - 1, "prev"));
      const where = TEXT.page + " " + answer.page + " " + TEXT.of + " " + answer.pages;
      pages.append(" ", element("span", "arshif-search-page", where), " ");
      if (answer.page < answer.pages) pages.append(pageLink(answer.query, answer.page + 1, "next"));
    }

    function pageLink(query, page, rel) {
      const link = element("a", "arshif-search-" + rel, rel === "prev" ? TEXT.previous : TEXT.next);
      link.rel = rel;
      link.href = queryString(query, page);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        go(query, page, true);
        input.focus();
      });
      return link;
    }

    /** Show `query` and put it in the URL; false if the browser refused to change the URL. */
    function go(query, page, push) {
      show(query, page);
      const search = queryString(query, page);
      if (location.search === search) return true;
      try {
        history[push ? "pushState" : "replaceState"](null, "", search);
        return true;
      } catch (error) {
        return false;
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => go(input.value, 1, false), TYPING_PAUSE_MS);
    });
    if (form) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        clearTimeout(typing);
        // Where history may not change the URL, navigate instead: the URL must name the query.
        if (!go(input.value, 1, true)) location.search = queryString(input.value, 1);
      });
    }
    document.addEventListener("keydown", (event) => moveFocus(event, input, results, pages));
    window.addEventListener("popstate", fromUrl);

    function fromUrl() {
      const params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      show(input.value, Number(params.get("p")) || 1);
    }
    fromUrl();
  }

  /** Up and down arrows walk the box, the result links and the page links. */
  function moveFocus(event, input, results, pages) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const links = results.querySelectorAll("a.arshif-result-link");
    const stops = [input, ...links, ...pages.querySelectorAll("a")];
    const at = stops.indexOf(document.activeElement);
    if (at < 0) return;
    const next = stops[at + (event.key === "ArrowDown" ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    next.focus();
  }

  function queryString(query, page) {
    const params = new URLSearchParams({ q: query });
    if (page > 1) params.set("p", String(page));
    return "?" + params.toString();
  }

  const api = {
    register,
    createIndex,
    countText,
    decodePostings,
    queryWords,
    wordTerms,
    wordMatcher,
    textMatches,
    markParts,
    snippetText,
    PAGE_SIZE,
  };
  globalThis.ArshifSearch = api;
  if (typeof module === "object" && module.exports) module.exports = api;

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpPage);
    else setUpPage();
  }
})();
