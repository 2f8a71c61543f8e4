// Progressive enhancement for the comment form: remember the reader's name and email
// in this browser, only when they tick the box. Without JavaScript the box stays hidden.
(function () {
  "use strict";
  var form = document.querySelector(".comment-form");
  if (!form || !window.localStorage) {
    return;
  }
  var KEY = "newsroom.commenter";
  var remember = form.querySelector("[data-remember]");
  var box = form.querySelector("#comment-remember");
  var name = form.querySelector("[name=name]");
  var email = form.querySelector("[name=email]");
  remember.hidden = false;
  try {
    var saved = JSON.parse(localStorage.getItem(KEY) || "null");
    if (saved) {
      if (!name.value) { name.value = saved.name || ""; }
      if (!email.value) { email.value = saved.email || ""; }
      box.checked = true;
    }
  } catch (error) {
    localStorage.removeItem(KEY);
  }
  form.addEventListener("submit", function () {
    if (box.checked) {
      localStorage.setItem(KEY, JSON.stringify({ name: name.value, email: email.value }));
    } else {
      localStorage.removeItem(KEY);
    }
  });
  var status = document.getElementById("comment-status");
  if (status) {
    status.focus();
  }
})();
