/* The demo portal's own tools (night mode, text size): a portal's script, not the widget's. */
(function () {
  "use strict";
  var night = document.getElementById("btnNightMode");
  if (night) night.addEventListener("click", function () { document.body.classList.toggle("night"); });
  var size = 17;
  function font(by) { size = by ? Math.min(26, Math.max(14, size + by)) : 17; document.body.style.fontSize = size + "px"; }
  [[".font-up", 2], [".font-down", -2], [".font-reset", 0]].forEach(function (pair) {
    var button = document.querySelector(pair[0]);
    if (button) button.addEventListener("click", function () { font(pair[1]); });
  });
})();
