/* The programme finder (programme-finder component). Without JavaScript its form is a plain GET form to the
   finder's page. With it, the choices filter at once on this page: the data (…/aktiviteter.json, one compact file
   per language) is fetched the first time someone filters, the address keeps the choice (shareable; Back and
   Forward restore it) and a status region says how many occasions match. */
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch || !window.history || !window.URLSearchParams) { return; }
  var results = document.querySelector("[data-finder-results]");
  var count = form.querySelector(".finder__count");
  var reset = form.querySelector(".finder__reset");
  var statics = document.querySelectorAll("[data-finder-static]");
  var fallback = document.querySelector("[data-finder-fallback]");
  var lang = document.documentElement.lang;
  var data = null, loading = null;
  var NAMES = ["district", "group", "category", "when", "day", "time", "language", "registration", "sign", "access"];
  // The page's own preset (a district page's district) is its starting point, not a choice to put in the address.
  var preset = new URLSearchParams(new FormData(form));
  if (fallback) { fallback.hidden = true; }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-finder")).then(function (r) { return r.json(); })
        .then(function (json) { data = json; return json; });
    }
    return loading;
  }

  function chosen() {
    var params = new URLSearchParams();
    // An emptied preset (all districts, on a district page) is a choice too, so the address keeps it.
    new FormData(form).forEach(function (value, name) { if (value !== "" || preset.get(name)) { params.append(name, value); } });
    return params;
  }

  function differs(params) {
    var keys = {};
    params.forEach(function (v, k) { keys[k] = 1; });
    preset.forEach(function (v, k) { if (v !== "") { keys[k] = 1; } });
    return Object.keys(keys).some(function (k) {
      return params.getAll(k).join(",") !== preset.getAll(k).filter(function (v) { return v !== ""; }).join(",");
    });
  }

  function restore(params) {
    var more = form.querySelector(".finder__more");
    Array.prototype.forEach.call(form.elements, function (field) {
      if (NAMES.indexOf(field.name) < 0) { return; }
      var values = params.has(field.name) ? params.getAll(field.name) : preset.getAll(field.name);
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.length ? values.indexOf(field.value) >= 0 : field.value === "";
      } else {
        field.value = values.length ? values[0] : "";
      }
      // A choice among the further ones is shown open, so what filters the list can be seen.
      if (more && more.contains(field) && params.has(field.name)) { more.open = true; }
    });
  }

  function addDays(iso, days) {
    var d = new Date(iso + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function matches(params) {
    var today = data.today, weekday = (new Date(today + "T12:00:00Z").getUTCDay() + 6) % 7;
    var monday = addDays(today, -weekday), nextMonday = addDays(monday, 7), after = addDays(monday, 14);
    var when = params.get("when") || "", days = params.getAll("day"), times = params.getAll("time");
    var access = params.getAll("access");
    function fits(a) {
      return (!params.get("district") || a.d.indexOf(params.get("district")) >= 0)
        && (!params.get("group") || a.g.indexOf(params.get("group")) >= 0)
        && (!params.get("category") || a.c === params.get("category"))
        && (!params.get("language") || a.l.indexOf(params.get("language")) >= 0)
        && (!params.get("registration") || a.r === params.get("registration"))
        && (!params.get("sign") || a.s === 1)
        && access.every(function (id) { return a.a.indexOf(id) >= 0; });
    }
    var fitting = data.activities.map(fits);
    var found = [];
    data.days.forEach(function (day) {
      var iso = day[0];
      if (when === "today" && iso !== today) { return; }
      if (when === "week" && iso >= nextMonday) { return; }
      if (when === "next" && (iso < nextMonday || iso >= after)) { return; }
      if (days.length && days.indexOf(String(day[2])) < 0) { return; }
      var items = day[3].filter(function (o) { return fitting[o[0]] && (!times.length || times.indexOf(o[2]) >= 0); });
      if (items.length) { found.push([day, items]); }
    });
    return found;
  }

  function element(name, attributes, text) {
    var e = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function render(found) {
    var total = found.reduce(function (n, f) { return n + f[1].length; }, 0);
    var rule = new Intl.PluralRules(lang).select(total);
    var message = (data.messages.count[rule] || data.messages.count.other).replace("{count}", total);
    results.textContent = "";
    results.appendChild(element("h2", {id: "finder-results-heading"}, data.messages.heading));
    if (!total) { results.appendChild(element("p", {}, data.messages.none)); }
    found.forEach(function (f) {
      var day = f[0];
      var heading = element("h3", {"class": "occurrence-list__day"});
      heading.appendChild(element("time", {datetime: day[0]}, day[1]));
      if (day[0] === data.today) { heading.insertBefore(element("span", {"class": "day-marker"}, data.messages.today), heading.firstChild); }
      results.appendChild(heading);
      var list = element("ul", {"class": "occurrence-list__items"});
      f[1].forEach(function (o) {
        var a = data.activities[o[0]];
        var item = element("li", {"class": "occurrence" + (o[3] ? " occurrence--cancelled" : "")});
        item.appendChild(element("span", {"class": "occurrence__time"}, o[1]));
        var what = element("span", {"class": "occurrence__what"});
        if (o[3]) {
          what.appendChild(element("strong", {"class": "status-tag status-tag--cancelled"}, data.messages.cancelled));
          what.appendChild(document.createTextNode(" "));
        }
        var link = element("a", {href: data.base + "/" + a.u}, a.t);
        if (a.tl) { link.setAttribute("lang", a.tl); }
        what.appendChild(link);
        what.appendChild(element("span", {"class": "occurrence__where"}, a.w));
        item.appendChild(what);
        list.appendChild(item);
      });
      results.appendChild(list);
    });
    count.textContent = message;
  }

  function show(params) {
    var active = differs(params);
    if (reset) { reset.hidden = !active; }
    if (!active) {
      results.hidden = true;
      Array.prototype.forEach.call(statics, function (e) { e.hidden = false; });
      count.textContent = "";
      return Promise.resolve();
    }
    return load().then(function () {
      render(matches(params));
      results.hidden = false;
      Array.prototype.forEach.call(statics, function (e) { e.hidden = true; });
    });
  }

  function update(push) {
    var params = chosen();
    var query = differs(params) ? "?" + params.toString() : "";
    if (push && query !== location.search) {
      history.pushState({finder: query}, "", location.pathname + query);
    }
    return show(params);
  }

  form.addEventListener("change", function () { update(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  if (reset) {
    reset.addEventListener("click", function (event) {
      event.preventDefault();
      restore(new URLSearchParams());
      update(true);
    });
  }
  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(location.search);
    restore(params);
    show(chosen());
  });
  var initial = new URLSearchParams(location.search);
  if (NAMES.some(function (n) { return initial.has(n); })) {
    restore(initial);
    show(chosen());
  }
  window.halsolotsFinder = {ready: function () { return loading || Promise.resolve(); }};
})();
