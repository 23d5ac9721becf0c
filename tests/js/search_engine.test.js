// Unit tests for the pure parts of static/search.js: plurals, postings, snippets, the loader.
// Run with `node --test tests/js/`; tests/test_arabic_cases.py runs this from pytest too.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Search = require("../../static/search.js");

const noAlias = () => undefined;
const matcherFor = (query) =>
  Search.wordMatcher(
    Search.queryWords(query).map((w) => Search.wordTerms(w, noAlias)),
    () => undefined
  );

test("counts take the Arabic plural their number needs", () => {
  const cases = {
    0: "لا نتائج",
    1: "نتيجة واحدة",
    2: "نتيجتان",
    3: "3 نتائج",
    10: "10 نتائج",
    11: "11 نتيجةً",
    99: "99 نتيجةً",
    100: "100 نتيجة",
    101: "101 نتيجة",
    102: "102 نتيجة",
    103: "103 نتائج",
    111: "111 نتيجةً",
    1000: "1000 نتيجة",
  };
  for (const [n, text] of Object.entries(cases)) assert.equal(Search.countText(Number(n)), text);
});

test("postings decode as the Python builder encodes them", () => {
  // arshif.search._encode_postings({0: True, 5: False, 100: True}) == "DK_F"
  assert.deepEqual(Search.decodePostings("DK_F"), [
    [0, true],
    [5, false],
    [100, true],
  ]);
  // _encode_postings({0: True, 1: False, 2: True, 3: True, 4: False, 6: True}) == "~mGC"
  assert.deepEqual(Search.decodePostings("~mGC"), [
    [0, true],
    [1, false],
    [2, true],
    [3, true],
    [4, false],
    [6, true],
  ]);
  assert.deepEqual(Search.decodePostings(""), []);
  assert.throws(() => Search.decodePostings("D.K"), /corrupt postings/);
  assert.throws(() => Search.decodePostings("~_"), /corrupt postings/);
});

test("a word's terms are its clitic forms and their canonicals", () => {
  const aliases = { ستولتنبيرغ: "ستولتنبرغ" };
  const terms = Search.wordTerms("لستولتنبيرغ", (f) => aliases[f]);
  assert.deepEqual(Array.from(terms), [
    ["لستولتنبيرغ", true],
    ["ستولتنبيرغ", false],
    ["ستولتنبرغ", false],
  ]);
});

test("query words are normalised and deduplicated, in typed order", () => {
  assert.deepEqual(Search.queryWords("العراقُ، الناتو العراق!"), ["العراق", "الناتو"]);
});

test("matches are marked as whole displayed words, tashkeel and all", () => {
  const parts = Search.markParts("قوات الناتو في العِراقِ.", matcherFor("بالعراق"));
  assert.deepEqual(parts, [
    ["قوات الناتو في ", false],
    ["العِراقِ", true],
    [".", false],
  ]);
});

test("a snippet starts a few words before the first match", () => {
  const filler = Array.from({ length: 60 }, (_, i) => "كلمة" + i).join(" ");
  const text = filler + " ثم وصل ستولتنبرغ إلى بغداد " + filler;
  const snippet = Search.snippetText(text, matcherFor("بغداد"));
  assert.ok(snippet.startsWith("… "), snippet);
  assert.ok(snippet.endsWith(" …"), snippet);
  assert.ok(snippet.includes("إلى بغداد"), snippet);
  assert.equal(snippet.split(" ").length, 32 + 2);
});

test("without a match in the text the snippet is its start", () => {
  const text = Array.from({ length: 50 }, (_, i) => "كلمة" + i).join(" ");
  const snippet = Search.snippetText(text, matcherFor("بغداد"));
  assert.ok(snippet.startsWith("كلمة0 كلمة1"), snippet);
  assert.ok(snippet.endsWith("كلمة31 …"), snippet);
  assert.equal(Search.snippetText("نص قصير", matcherFor("نص")), "نص قصير");
});

test("an index file that fails to load is tried again by the next search", async () => {
  const files = {
    meta: { docs: 1, docsPerShard: 4, docDays: [["undated", "B"]], shards: [""], hash: "h" },
    "idx-0000": { t: { بغداد: "D" } },
    "docs-undated-0": [["a.html", "بغداد", "", "", "", "في بغداد"]],
  };
  let failNext = true;
  const requested = [];
  const index = Search.createIndex((name, version) => {
    requested.push(name + "@" + version);
    if (name === "idx-0000" && failNext) {
      failNext = false;
      throw new Error("offline");
    }
    index.register(name, files[name]);
  });
  await assert.rejects(index.search("بغداد", 1), /offline/);
  const answer = await index.search("بغداد", 1);
  assert.equal(answer.total, 1);
  assert.equal(answer.hits[0].url, "a.html");
  assert.deepEqual(requested, [
    "meta@undefined",
    "idx-0000@h",
    "idx-0000@h",
    "docs-undated-0@h",
  ]);
});

test("a file that loads without registering is an error, not a hang", async () => {
  const index = Search.createIndex(() => {});
  await assert.rejects(index.search("بغداد", 1), /meta did not register/);
});

test("an empty query loads nothing and finds nothing", async () => {
  const index = Search.createIndex(() => {
    throw new Error("should not load");
  });
  const answer = await index.search("  ؟ ", 1);
  assert.equal(answer.total, 0);
  assert.deepEqual(answer.words, []);
});
