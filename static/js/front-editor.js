// The front editor's drag and drop: a card dropped on another card of its block, or a
// block dropped on another block (dragged by its heading), takes its place, sent as the
// same move form the Up and Down buttons post (they work without this script).
(function () {
  "use strict";

  function sortable(list, itemSelector, handleSelector, formSelector) {
    var items = Array.prototype.slice.call(list.querySelectorAll(itemSelector)).filter(
      function (item) { return item.parentNode === list; }
    );
    var dragged = null;
    items.forEach(function (item) {
      var handle = handleSelector ? item.querySelector(handleSelector) : item;
      handle.draggable = true;
      handle.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("is-dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.id);
      });
      handle.addEventListener("dragend", function () {
        item.classList.remove("is-dragged");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (dragged && dragged !== item) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
        }
      });
      item.addEventListener("drop", function (event) {
        if (!dragged || dragged === item) {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        var form = dragged.querySelector(formSelector);
        form.elements.to.value = items.indexOf(item);
        form.submit();
      });
    });
  }

  document.querySelectorAll(".front-editor__cards").forEach(function (list) {
    sortable(list, ".front-editor__card", null, ".front-editor__drop");
  });
  document.querySelectorAll(".front-editor__blocks").forEach(function (list) {
    sortable(list, ".front-editor__container", ".front-editor__block-head", ".front-editor__block-drop");
  });
})();
