// For healthcare staff (referral.html, referral_sheet.html). Without this script the page lists a link to
// every sheet and a sheet shows every day; with it, the form goes to the chosen sheet, the weekday in the
// address's #fragment (never sent to a server), and the sheet shows only that weekday's activities.
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
  var items = document.querySelectorAll(".referral-item[data-days]");
  if (!items.length) {
    return;
  }
  function filter() {
    var match = /^#dag-([0-6])$/.exec(window.location.hash);
    var day = match ? match[1] : null;
    items.forEach(function (item) {
      item.hidden = day !== null && item.getAttribute("data-days").split(" ").indexOf(day) < 0;
    });
    document.querySelectorAll(".referral-sheet__filter").forEach(function (note) {
      note.hidden = note.getAttribute("data-day") !== day;
    });
  }
  document.querySelectorAll(".referral-sheet__filter a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      history.replaceState(null, "", window.location.pathname);
      filter();
    });
  });
  window.addEventListener("hashchange", filter);
  filter();
})();
