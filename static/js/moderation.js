// The moderators' queue: keyboard shortcuts to move between the comments and decide.
// j / k move, a / r / s approve, reject or mark as spam the comment the focus is on
// (through its own button, so the server does exactly what a click does), x selects it
// for a bulk action, ? opens the help. After a decision the page reloads; the focus
// comes back at the same place in the queue, now on the next comment.
// The admin loads it in the page's head: it waits for the queue to be there.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var table = document.getElementById("result_list");
  var help = document.getElementById("queue-help");
  if (!table || !help) {
    return;
  }
  var POSITION_KEY = "moderation-queue-position";
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var cards = rows.map(function (row) { return row.querySelector(".queue-card"); });
  var current = -1;
  var DECISIONS = { a: "approve", r: "reject", s: "spam" };

  cards.forEach(function (card, index) {
    if (card) {
      card.tabIndex = -1;
      card.setAttribute("aria-keyshortcuts", "a r s x j k");
      rows[index].addEventListener("focusin", function () { mark(index); });
    }
  });

  function mark(index) {
    if (current >= 0) { rows[current].classList.remove("queue-current"); }
    current = index;
    rows[current].classList.add("queue-current");
  }

  function moveTo(index) {
    if (!cards.length) { return; }
    index = Math.max(0, Math.min(cards.length - 1, index));
    mark(index);
    cards[index].focus();
    cards[index].scrollIntoView({ block: "nearest" });
  }

  function decide(decision) {
    if (current < 0) { return; }
    var button = rows[current].querySelector("button.decide-" + decision);
    if (!button) { return; }
    sessionStorage.setItem(POSITION_KEY, String(current));
    button.click();
  }

  function isTyping(target) {
    if (target.tagName === "INPUT") {
      return !/^(checkbox|radio|button|submit)$/.test(target.type);
    }
    return target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || help.open || isTyping(event.target)) {
      return;
    }
    var key = event.key;
    if (key === "?") {
      help.showModal();
    } else if (key === "j") {
      moveTo(current + 1);
    } else if (key === "k") {
      moveTo(current - 1);
    } else if (DECISIONS[key]) {
      decide(DECISIONS[key]);
    } else if (key === "x" && current >= 0) {
      // A click, so that Django's actions.js counts the selection as it does a mouse's.
      rows[current].querySelector("input.action-select").click();
      cards[current].focus();
    } else {
      return;
    }
    event.preventDefault();
  });

  document.querySelector(".queue-help-open").addEventListener("click", function () {
    help.showModal();
  });

  var stored = sessionStorage.getItem(POSITION_KEY);
  if (stored !== null) {
    sessionStorage.removeItem(POSITION_KEY);
    moveTo(parseInt(stored, 10));
  }
});
