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
    // Notebook Markdown puts math in plain <p> elements, so "ignore everything but arithmatex" would skip
    // it: ignore the site's chrome instead (code and pre are never processed).
    ignoreHtmlClass: "tex2jax_ignore|md-header|md-nav|md-search|md-sidebar|md-footer|jp-OutputArea",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-RenderedLatex",
  },
};

document$.subscribe(() => {
  if (!window.MathJax.typesetPromise) {
    return;
  }
  if (MathJax.startup.output.clearCache) {
    MathJax.startup.output.clearCache();  // CHTML only; the SVG output has none
  }
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
