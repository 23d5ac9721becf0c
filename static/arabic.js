/*
 * Arshif Arabic matching: the JavaScript twin of arshif/arabic.py.
 *
 * arabic.py is the one specification of what counts as "the same word"; this file implements
 * normalize(), words() and cliticForms() to the letter, so that a query typed in the browser
 * meets the terms the Python builder put in the search index. tests/data/arabic_cases.json is
 * run against both (pytest and `node --test tests/js`); change the two together or not at all.
 *
 * A classic script: it defines the global `ArshifArabic` (and module.exports under Node).
 * Known, accepted difference: Python 3.11 knows Unicode 14, Node/Chromium a later version, so
 * letters assigned after Unicode 14 count as letters here only. No Arabic letter is affected.
 */
(function () {
  "use strict";

  // Honorific signs (U+0610..U+061A), harakat, tanween, shadda, sukun (U+064B..U+065F),
  // superscript alef (U+0670) and Quranic annotation marks (U+06D6..U+06ED, U+08D3..U+08FF):
  // the same code points as arabic._TASHKEEL.
  const TASHKEEL = "\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF";
  const TATWEEL = "\u0640";
  // Zero-width and bidi controls pasted in from web pages (arabic._INVISIBLE).
  const INVISIBLE = "\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF";
  const DROPPED = new RegExp("[" + TASHKEEL + TATWEEL + INVISIBLE + "]", "g");

  const LETTERS = {
    "\u0623": "\u0627", // أ → ا
    "\u0625": "\u0627", // إ → ا
    "\u0622": "\u0627", // آ → ا
    "\u0671": "\u0627", // ٱ → ا
    "\u0649": "\u064A", // ى → ي
    "\u0629": "\u0647", // ة → ه
    "\u0624": "\u0648", // ؤ → و
    "\u0626": "\u064A", // ئ → ي
    "\u06A9": "\u0643", // Persian ک → ك
    "\u06CC": "\u064A", // Persian ی → ي
  };
  // Arabic-Indic (U+0660..) and extended/Persian (U+06F0..) digits become ASCII digits.
  for (let i = 0; i < 10; i++) {
    LETTERS[String.fromCharCode(0x0660 + i)] = String(i);
    LETTERS[String.fromCharCode(0x06f0 + i)] = String(i);
  }
  const UNIFIED = new RegExp("[" + Object.keys(LETTERS).join("") + "]", "g");

  // Python's [^\W_]: letters and numbers of any script, no underscore, no combining marks.
  const WORD = /[\p{L}\p{N}]+/gu;

  // Longest first: "وبالعراق" must lose "وبال", not just "و" (arabic.CLITIC_PREFIXES).
  const CLITIC_PREFIXES = Object.freeze([
    "\u0648\u0628\u0627\u0644", // وبال
    "\u0648\u0643\u0627\u0644", // وكال
    "\u0641\u0628\u0627\u0644", // فبال
    "\u0648\u0644\u0644", // ولل
    "\u0641\u0644\u0644", // فلل
    "\u0648\u0627\u0644", // وال
    "\u0641\u0627\u0644", // فال
    "\u0628\u0627\u0644", // بال
    "\u0643\u0627\u0644", // كال
    "\u0644\u0644", // لل
    "\u0627\u0644", // ال
    "\u0648", // و
    "\u0641", // ف
    "\u0628", // ب
    "\u0643", // ك
    "\u0644", // ل
  ]);
  const MIN_STEM = 3;
  const ARTICLE = "\u0627\u0644"; // ال
  // Conjunction/preposition + article: the stem also stands with its article (arabic.py).
  const ARTICLE_PREFIXES = new Set(CLITIC_PREFIXES.filter((p) => p.length > 2 && p.endsWith(ARTICLE)));
  // ل + ال writes «لل», with the article's alef dropped.
  const ELIDED_ARTICLE_PREFIXES = ["\u0648\u0644\u0644", "\u0641\u0644\u0644", "\u0644\u0644"];

  /** Length in code points, as Python's len() counts (a JS string counts UTF-16 units). */
  function codePoints(s) {
    let n = 0;
    for (const _ of s) n++;
    return n;
  }

  /** The one matching form of Arabic text: NFKC, no tashkeel, unified letters, ASCII digits. */
  function normalize(text) {
    return String(text)
      .normalize("NFKC")
      .replace(DROPPED, "")
      .replace(UNIFIED, (ch) => LETTERS[ch])
      .toLowerCase();
  }

  /** Normalised words of `text`, punctuation dropped. */
  function words(text) {
    return normalize(text).match(WORD) || [];
  }

  /** `word` (already normalised) and the forms left by removing each attached prefix. */
  function cliticForms(word) {
    const forms = [word];
    const length = codePoints(word);
    for (const prefix of CLITIC_PREFIXES) {
      if (word.startsWith(prefix) && length - prefix.length >= MIN_STEM) {
        const stem = word.slice(prefix.length);
        if (!forms.includes(stem)) forms.push(stem);
        // "وبالعراق" is و + ب + العراق: the word with its article is a form too.
        if (ARTICLE_PREFIXES.has(prefix) && !forms.includes(ARTICLE + stem)) forms.push(ARTICLE + stem);
      }
    }
    // "للناتو" is ل + الناتو with the alef of the article elided: restore it as well.
    for (const prefix of ELIDED_ARTICLE_PREFIXES) {
      if (word.startsWith(prefix) && length - prefix.length >= MIN_STEM - 1) {
        const restored = ARTICLE + word.slice(prefix.length);
        if (!forms.includes(restored)) forms.push(restored);
        break;
      }
    }
    return forms;
  }

  const api = Object.freeze({ normalize, words, cliticForms, CLITIC_PREFIXES, MIN_STEM });
  globalThis.ArshifArabic = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})();
