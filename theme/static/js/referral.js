// For healthcare staff (referral.html). Without this script the page lists a link to every sheet, and each
// sheet has a link per weekday; with it, the form goes to the chosen sheet with the weekday in the address's
// #fragment (never sent to a server), which the sheet's styles (:target) turn into that weekday's activities.
(function () {
  "use strict";
  var form = document.querySelector(".referral-form[data-sheet-url]");
  if (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var need = form.querySelector("input[name=need]:checked");
      var url = form.getAttribute("data-sheet-url")
        .replace("DISTRICT", encodeURIComponent(form.elements.district.value))
        .replace("NEED", encodeURIComponent(need ? need.value : ""));
      var day = form.elements.day.value;
      window.location.href = url + (day ? "#dag-" + day : "");
    });
  }
})();
