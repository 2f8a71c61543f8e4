// The Latest list beside a story: asked for once the page is read, and put in place of
// the heading and link the page comes with. The list is kept once by the caches and
// purged when a story is published; inside each story's page, every story published
// would have changed every story's page. Without JavaScript, the link to the Latest
// page stays.
(function () {
  "use strict";
  var placeholder = document.querySelector("[data-latest-list]");
  if (!placeholder || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = placeholder.getAttribute("data-latest-list");
  fetch(url, { credentials: "omit" })
    .then(function (response) {
      return response.ok ? response.text() : null;
    })
    .then(function (html) {
      var list = html && new DOMParser().parseFromString(html, "text/html").querySelector("section.latest");
      if (list) {
        list = document.importNode(list, true);
        list.setAttribute("data-latest-list", url);  // keeps the placeholder's height
        placeholder.replaceWith(list);
      }
    })
    .catch(function () {
      // Offline or the list unavailable: the link to the Latest page stays.
    });
})();
