// Redoc from the vendored bundle; the document's URL comes from the page (no inline script).
(function () {
  "use strict";
  var el = document.getElementById("redoc");
  window.Redoc.init(el.dataset.spec, { hideDownloadButton: false, expandResponses: "" }, el);
})();
