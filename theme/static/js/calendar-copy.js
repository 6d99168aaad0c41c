/* Copy buttons for calendar addresses (calendar-feed component). Without JavaScript the address stays a
   read-only field to select and copy; with it, the field selects itself when focused and a button copies it
   and says so (in the page's language, from the button's data-copied). */
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".calendar-subscribe__copy");
  Array.prototype.forEach.call(buttons, function (button) {
    var address = button.parentNode;
    var field = address.querySelector(".calendar-subscribe__url");
    var status = address.querySelector(".calendar-subscribe__status");
    if (!field) { return; }
    field.addEventListener("focus", function () { field.select(); });
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied") || ""; }
      }, function () {
        field.focus();
        field.select();
      });
    });
  });
})();
