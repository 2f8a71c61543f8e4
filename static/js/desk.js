/* The editing desk (editing/): saves the form's unsaved text to the server every few
   seconds, says who else has the page open, and counts the words of the body with
   their reading time. The form and its restore / discard links work without it. */
(function () {
  "use strict";

  var SKIPPED = { csrfmiddlewaretoken: true, edit_token: true };

  function wordsOf(html) {
    // A space before each tag, so that words in two paragraphs stay two words.
    var doc = new DOMParser().parseFromString(html.replace(/</g, " <"), "text/html");
    var text = doc.body.textContent.trim();
    return text ? text.split(/\s+/).length : 0;
  }

  function start(desk) {
    var form = desk.closest("form");
    var status = desk.querySelector("[data-edit-status]");
    var presence = desk.querySelector("[data-edit-presence]");
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    var token = form.querySelector("[name=edit_token]").value;
    var seconds = Number(desk.dataset.autosaveSeconds) || 5;
    var field = form.querySelector('[name="' + desk.dataset.countField + '"]');

    function serialise() {
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (SKIPPED[name] || typeof value !== "string") return;
        data[name] = name in data ? [].concat(data[name], value) : value;
      });
      return JSON.stringify(data);
    }

    var sent = serialise();
    var busy = false;
    var submitted = false;

    function say(element, text) {
      element.textContent = text;
      element.hidden = !text;
    }

    function showEditors(editors) {
      if (!editors.length) return say(presence, "");
      presence.hidden = false;
      presence.textContent = editors
        .map(function (editor) {
          return editor.name + " has been editing this since " + editor.since_time;
        })
        .join("; ") + ". Saving over their changes will be refused until you have seen them.";
    }

    function beat(options) {
      if (busy || submitted) return;
      var current = serialise();
      var body = { token: token };
      if (current !== sent) body.data = JSON.parse(current);
      busy = true;
      fetch(desk.dataset.autosaveUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: Boolean(options && options.leaving),
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value },
        body: JSON.stringify(body),
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (!response.ok) throw new Error(answer.error || response.statusText);
            if (body.data) sent = current;
            if (answer.saved_at && body.data) {
              var at = new Date(answer.saved_at);
              say(status, "Unsaved changes kept on the server at " + at.toLocaleTimeString() + ".");
            }
            showEditors(answer.editors);
          });
        })
        .catch(function (problem) {
          say(status, "Autosave failed (" + problem.message + "); your text is still here. Trying again.");
        })
        .finally(function () {
          busy = false;
        });
    }

    function count() {
      var counter = desk.counter;
      if (!counter) return;
      var words = wordsOf(field.value || "");
      var minutes = Math.max(1, Math.ceil(words / (Number(desk.dataset.wordsPerMinute) || 230)));
      counter.textContent = words + (words === 1 ? " word" : " words") + " · " + minutes + " min read";
    }

    if (field) {
      // The editor may not be built yet (its extensions load as modules): its wrapper
      // will be made inside the field's parent, which the full-height rule then reaches.
      var surface = field.closest(".prose-editor") || field.parentElement;
      if (desk.hasAttribute("data-full-height")) surface.classList.add("edit-desk__surface");
      desk.counter = document.createElement("p");
      desk.counter.className = "edit-desk__count";
      desk.counter.setAttribute("aria-live", "polite");
      surface.after(desk.counter);
      form.addEventListener("input", count);
      count();
    }

    // Submitting the form is saving it: no heartbeat may store the text as a draft again.
    form.addEventListener("submit", function () {
      submitted = true;
      clearInterval(timer);
    });
    var timer = setInterval(beat, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") beat({ leaving: true });
    });
    beat();
  }

  function init() {
    document.querySelectorAll("[data-edit-desk]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
