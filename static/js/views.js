// Count a reader's view of a story for Most read, once the page is actually looked at
// (not a prerender, nor a background tab never opened). Pages may come from a cache, so
// views are counted here, not when the page is made. Without JavaScript, a <noscript>
// pixel counts the view instead.
(function () {
  "use strict";
  var article = document.querySelector("[data-view-beacon]");
  if (!article) {
    return;
  }
  var url = article.getAttribute("data-view-beacon");
  function send() {
    document.removeEventListener("visibilitychange", sendWhenVisible);
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
    }
  }
  function sendWhenVisible() {
    if (document.visibilityState === "visible") {
      send();
    }
  }
  if (document.visibilityState === "visible") {
    send();
  } else {
    document.addEventListener("visibilitychange", sendWhenVisible);
  }
})();
