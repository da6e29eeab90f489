// Typesets TeX to SVG when the site is built, so readers download no MathJax at all.
// Usage: node tools/typeset_math.cjs <mathjax package dir>
// First writes one JSON line {"stylesheet": css} (the few rules the SVG output needs). Then reads one JSON
// request per line on stdin, [[tex, display], ...] for one page, and answers one JSON line:
// {"svg": [markup, ...], "defs": "<defs>glyphs shared by this page's formulas</defs>"} or {"error": ..., "tex": ...}.
"use strict";
const path = require("path");
const readline = require("readline");

const mathjaxDir = process.argv[2];
require(path.resolve(mathjaxDir, "es5/node-main.js")).init({
  loader: {load: ["input/tex-full", "output/svg"]},
  tex: {
    formatError: (jax, err) => { throw err; },
  },
  // One <defs> per page holds each glyph once; every formula on the page points at it with <use>.
  svg: {fontCache: "global"},
  startup: {typeset: false},
}).then((MathJax) => {
  const adaptor = MathJax.startup.adaptor;
  const output = MathJax.startup.output;
  process.stdout.write(JSON.stringify({stylesheet: adaptor.textContent(MathJax.svgStylesheet())}) + "\n");
  const lines = readline.createInterface({input: process.stdin, terminal: false});
  lines.on("line", (line) => {
    const formulas = JSON.parse(line);
    output.fontCache.clearCache();
    const svg = [];
    for (const [tex, display] of formulas) {
      try {
        svg.push(adaptor.outerHTML(MathJax.tex2svg(tex, {display: display})));
      } catch (err) {
        process.stdout.write(JSON.stringify({error: String(err.message || err), tex: tex}) + "\n");
        return;
      }
    }
    const defs = svg.length ? adaptor.outerHTML(output.fontCache.getCache()) : "";
    process.stdout.write(JSON.stringify({svg: svg, defs: defs}) + "\n");
  });
}).catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
