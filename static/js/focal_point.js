// The photo admin's focal point: one click on the picture sets the point of interest
// (the two number inputs below it, which work alone without JavaScript), and a mark
// shows where it is. The mark is placed through the CSSOM, which the CSP allows.
// The admin loads it in <head>: it starts once the form is there.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var picker = document.querySelector("[data-focal-picker]");
  var inputX = document.getElementById("id_focal_x");
  var inputY = document.getElementById("id_focal_y");
  if (!picker || !inputX || !inputY) {
    return;
  }
  var image = picker.querySelector("img");
  var mark = picker.querySelector(".focal-picker__mark");

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }
  function showMark() {
    var x = parseFloat(inputX.value);
    var y = parseFloat(inputY.value);
    if (isNaN(x) || isNaN(y)) {
      mark.hidden = true;
      return;
    }
    mark.style.left = clamp(x) * 100 + "%";
    mark.style.top = clamp(y) * 100 + "%";
    mark.hidden = false;
  }
  image.addEventListener("click", function (event) {
    var box = image.getBoundingClientRect();
    inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
    inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
    showMark();
  });
  inputX.addEventListener("input", showMark);
  inputY.addEventListener("input", showMark);
  picker.classList.add("focal-picker--active");
  showMark();
});
