// The comment counts on a list's cards, brought up to date: the page carries each count
// as of its render, and an approved comment changes only the small document of counts
// for its block of stories (comments.counts), not every list showing the story. Without
// JavaScript, the counts of the render stay.
(function () {
  "use strict";
  var links = document.querySelectorAll("a[data-comment-counts]");
  if (!links.length || !window.fetch) {
    return;
  }
  var byDocument = {};
  Array.prototype.forEach.call(links, function (link) {
    var url = link.getAttribute("data-comment-counts");
    (byDocument[url] = byDocument[url] || []).push(link);
  });
  Object.keys(byDocument).forEach(function (url) {
    fetch(url, { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        byDocument[url].forEach(function (link) {
          var count = data.counts[link.getAttribute("data-story")] || 0;
          link.textContent = count ? count + (count === 1 ? " comment" : " comments") : "";
          link.hidden = !count;
        });
      })
      .catch(function () {
        // Offline or the counts unavailable: the counts of the render stay.
      });
  });
})();
