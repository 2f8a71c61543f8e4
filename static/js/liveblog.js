// Live coverage: ask the shared polling URL for what changed, at the interval the server
// sets, and offer new entries behind an "N new updates" button rather than moving the
// text under the reader's eyes. Edited entries are replaced and deleted ones removed at
// once. Without JavaScript the page says when it was last updated; a reload shows more.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-updates]");
  if (!box || !window.fetch) {
    return;
  }
  var button = box.querySelector("[data-live-show]");
  var pinnedSlot = document.querySelector("[data-live-pinned]");
  var stream = document.querySelector("[data-live-entries]");
  var keyEvents = document.querySelector("[data-live-key-events]");
  var urlOf = function (since) { return box.dataset.url.replace(/\/0\/$/, "/" + since + "/"); };
  var since = box.dataset.since;
  var pending = {}; // entry id -> {pinned, publishedAt, html}

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // An entry's photos, galleries and embeds get what story-blocks.js gives the page's.
  function added(element) {
    element.dispatchEvent(new CustomEvent("blocks:added", { bubbles: true }));
  }

  function place(entry, element) {
    if (entry.pinned) {
      var old = pinnedSlot.firstElementChild;
      pinnedSlot.replaceChildren(element);
      if (old && old.id !== element.id) { stream.prepend(old); }
      return;
    }
    // Newest first, as the page is made (LiveEntryQuerySet.newest_first): by time, then by
    // number for the same time (the desk's form sends whole seconds: two may share one).
    var after = Array.prototype.find.call(stream.children, function (other) {
      return newer(entry, { published_at: other.dataset.published, id: other.id.replace("entry-", "") });
    });
    stream.insertBefore(element, after || null);
  }

  function newer(entry, other) {
    var difference = Date.parse(entry.published_at) - Date.parse(other.published_at);
    return difference > 0 || (difference === 0 && Number(entry.id) > Number(other.id));
  }

  function showButton() {
    var count = Object.keys(pending).length;
    button.hidden = count === 0;
    button.textContent = count === 1 ? "1 new update" : count + " new updates";
  }

  function apply(data) {
    data.removed.forEach(function (id) {
      var gone = document.getElementById("entry-" + id);
      if (gone) { gone.remove(); }
      delete pending[id];
    });
    data.entries.forEach(function (entry) {
      var shown = document.getElementById("entry-" + entry.id);
      if (shown) {
        var element = fragment(entry.html);
        if (shown.parentElement === pinnedSlot) {
          if (entry.pinned) { shown.replaceWith(element); } else { shown.remove(); place(entry, element); }
        } else if (entry.pinned) {
          shown.remove();
          place(entry, element);
        } else {
          shown.replaceWith(element);
        }
        added(element);
      } else {
        pending[entry.id] = entry;
      }
    });
    keyEvents.innerHTML = data.key_events_html;
    showButton();
  }

  function poll() {
    fetch(urlOf(since), { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (data.reload) {
          button.hidden = false;
          button.textContent = "Many new updates: reload the page";
          button.dataset.reload = "true";
          return;
        }
        apply(data);
        since = data.next;
        if (!data.closed) {
          window.setTimeout(poll, data.poll_seconds * 1000);
        }
      })
      .catch(function () {
        // A network hiccup or a deploy: try again later, more slowly.
        window.setTimeout(poll, Number(box.dataset.pollSeconds) * 2000);
      });
  }

  button.addEventListener("click", function () {
    if (button.dataset.reload) {
      window.location.reload();
      return;
    }
    var entries = Object.keys(pending).map(function (id) { return pending[id]; });
    entries.sort(function (a, b) { return newer(a, b) ? 1 : -1; });
    var newest = null;
    entries.forEach(function (entry) {
      var element = fragment(entry.html);
      place(entry, element);
      added(element);
      newest = element;
    });
    pending = {};
    showButton();
    if (newest) {
      newest.setAttribute("tabindex", "-1");
      newest.focus();
    }
  });

  window.setTimeout(poll, Number(box.dataset.pollSeconds) * 1000);
}());
