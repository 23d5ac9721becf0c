// The shared Arabic matching cases (tests/data/arabic_cases.json) against the JS side.
// Run with `node --test tests/js/`; tests/test_arabic_cases.py runs this from pytest too.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const Arabic = require("../../static/arabic.js");
const Search = require("../../static/search.js");

const table = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "data", "arabic_cases.json"), "utf8")
);

function runCase(c) {
  switch (c.check) {
    case "normalize":
      return Arabic.normalize(c.input);
    case "words":
      return Arabic.words(c.input);
    case "clitic_forms":
      return Arabic.cliticForms(c.input);
    case "matches":
      return Search.textMatches(c.query, c.text, c.synonyms || {});
    default:
      throw new Error("unknown check " + c.check + " in case " + c.name);
  }
}

for (const c of table.cases) {
  test(c.name, () => {
    assert.deepStrictEqual(runCase(c), c.expect);
  });
}
