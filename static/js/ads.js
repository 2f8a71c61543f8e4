// Count an ad impression once at least half of its slot has been visible for one second.
// Pages may come from a cache, so impressions are counted here, not when the page is made.
// Without JavaScript, a <noscript> pixel counts the impression instead.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".ad-slot__box[data-impression]");
  if (!boxes.length || !("IntersectionObserver" in window)) {
    return;
  }
  var VISIBLE_FOR_MS = 1000;
  var timers = new WeakMap();
  function send(box) {
    var url = box.getAttribute("data-impression");
    box.removeAttribute("data-impression");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
    }
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target;
      if (entry.intersectionRatio >= 0.5) {
        if (!timers.has(box)) {
          timers.set(box, setTimeout(function () {
            observer.unobserve(box);
            send(box);
          }, VISIBLE_FOR_MS));
        }
      } else if (timers.has(box)) {
        clearTimeout(timers.get(box));
        timers.delete(box);
      }
    });
  }, { threshold: [0, 0.5] });
  boxes.forEach(function (box) { observer.observe(box); });
})();
