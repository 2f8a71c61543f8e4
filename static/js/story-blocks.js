// Story blocks, made nicer when scripts run (articles/blocks.py renders them complete
// without): an embed's frame is loaded only when the reader asks, and a gallery's photos
// open in a viewer that the keyboard drives (arrows, Home/End, Escape). Nothing moves
// on the page when they are enhanced, so there is no layout shift. Blocks added later
// (a live entry arriving by polling, static/js/liveblog.js) are enhanced when their
// container sends "blocks:added".
(function () {
  "use strict";

  function enhance(root) {
    enhanceEmbeds(root);
    enhanceGalleries(root);
  }

  // Until this click nothing is asked of the provider: the placeholder's thumbnail is
  // our own copy, and the link's address is only followed with scripts off.
  function enhanceEmbeds(root) {
    root.querySelectorAll("[data-embed-src]").forEach(function (box) {
      var link = box.querySelector(".embed__load");
      if (!link) {
        return;
      }
      link.setAttribute("role", "button");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var frame = document.createElement("iframe");
        frame.src = box.getAttribute("data-embed-src");
        frame.title = box.getAttribute("data-embed-title");
        frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
        frame.setAttribute("allowfullscreen", "");
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        box.replaceChildren(frame);
        frame.focus();
      });
    });
  }

  function openViewer(items, start, opener) {
    var dialog = document.createElement("dialog");
    dialog.className = "gallery-viewer";
    dialog.setAttribute("aria-label", "Gallery");
    var stage = document.createElement("div");
    var controls = document.createElement("div");
    controls.className = "gallery-viewer__controls";
    function button(label, action) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = label;
      element.addEventListener("click", action);
      controls.appendChild(element);
      return element;
    }
    var index = start;
    function show(next) {
      index = (next + items.length) % items.length;
      stage.replaceChildren(items[index].cloneNode(true));
    }
    button("Previous", function () { show(index - 1); });
    var close = button("Close", function () { dialog.close(); });
    button("Next", function () { show(index + 1); });
    dialog.append(stage, controls);
    dialog.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: items.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        show(moves[event.key]);
      }
    });
    dialog.addEventListener("close", function () {
      dialog.remove();
      opener.focus();
    });
    document.body.appendChild(dialog);
    show(start);
    dialog.showModal();
    close.focus();
  }

  function enhanceGalleries(root) {
    root.querySelectorAll("[data-gallery]").forEach(function (gallery) {
      var figures = Array.prototype.slice.call(gallery.querySelectorAll("figure"));
      var items = figures.map(function (figure) { return figure.cloneNode(true); });
      figures.forEach(function (figure, index) {
        var picture = figure.querySelector("picture");
        var opener = document.createElement("button");
        opener.type = "button";
        opener.className = "gallery__open";
        opener.setAttribute("aria-label", "Open photo " + (index + 1) + " of " + figures.length);
        picture.replaceWith(opener);
        opener.appendChild(picture);
        opener.addEventListener("click", function () { openViewer(items, index, opener); });
      });
    });
  }

  enhance(document);
  document.addEventListener("blocks:added", function (event) { enhance(event.target); });
})();
