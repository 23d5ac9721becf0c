// Runs static/search.js under Node against a built index, as the results page would.
// Usage: node tests/js/query_index.js SITE_DIR QUERY [PAGE]  ->  the answer as JSON on stdout.
// Used by tests/test_search.py; also handy by hand to see what a query returns.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const Search = require("../../static/search.js");

function fileLoader(site, index, loaded) {
  return (name) => {
    const file = path.join(site, "search", name + ".js");
    const source = fs.readFileSync(file, "utf8");
    loaded.push({ name, bytes: fs.statSync(file).size });
    // Each index file is `ArshifSearch.register(name, data);`: run it with our register.
    new Function("ArshifSearch", source)({ register: index.register });
  };
}

async function main() {
  const [site, query, page] = process.argv.slice(2);
  const loaded = [];
  let index = null;
  index = Search.createIndex((name) => fileLoader(site, index, loaded)(name));
  const answer = await index.search(query, Number(page) || 1);
  answer.loaded = loaded;
  process.stdout.write(JSON.stringify(answer) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
