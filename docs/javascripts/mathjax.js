// MathJax 3, served by this site (no CDN). Renders pymdownx.arithmatex math on Markdown pages and the
// $...$ math nbconvert leaves in notebook pages, again after every instant-navigation page change.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // Ignore elements that have a class (the theme's chrome, code cells) and what they contain; a processed
    // element's class-less children (the <p>, <li>, <td> of a notebook's Markdown cell) are processed with it.
    // ".*|" would also match the empty class and skip those children: no math in notebooks.
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-RenderedLatex",
  },
};

document$.subscribe(() => {
  if (!window.MathJax.typesetPromise) {
    return;
  }
  if (MathJax.startup.output.clearCache) {  // not every output jax has one (SVG in 3.2.2 does not)
    MathJax.startup.output.clearCache();
  }
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
