// The site's file format for Decap CMS: a Python-Markdown `Key: value` header, a blank line, the text.
// Pelican reads exactly this (the Markdown meta extension); Decap's own formats would write YAML front matter.
// window.HALSOLOTS_FIELDS (halsolots-fields.js, made from content/schema.py) names each field, its order in
// the file and whether the editor holds it as a list.
(function () {
  "use strict";
  var FIELDS = window.HALSOLOTS_FIELDS || {};
  var ORDER = Object.keys(FIELDS).map(function (key) { return FIELDS[key].name; });
  var KEY_LINE = /^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var CONTINUATION = /^ {4,}(.*)$/;

  function nameOf(key) {
    var known = FIELDS[key.toLowerCase()];
    return known ? known.name : key;
  }

  function fromFile(content) {
    var lines = String(content).replace(/\r\n?/g, "\n").split("\n");
    var data = {};
    var last = null;
    var i = 0;
    for (; i < lines.length; i++) {
      var line = lines[i];
      if (!line.trim()) { i++; break; }
      var match = KEY_LINE.exec(line);
      if (match) {
        last = nameOf(match[1]);
        if (!(last in data)) { data[last] = match[2].trim(); }
        continue;
      }
      var more = CONTINUATION.exec(line);
      if (more && last) { data[last] = (data[last] + " " + more[1].trim()).trim(); continue; }
      break; // as Python-Markdown: the header ends at the first line that is not metadata
    }
    Object.keys(FIELDS).forEach(function (key) {
      var name = FIELDS[key].name;
      if (FIELDS[key].list && typeof data[name] === "string") {
        data[name] = data[name].split(",").map(function (item) { return item.trim(); }).filter(Boolean);
      }
    });
    data.body = lines.slice(i).join("\n");
    return data;
  }

  function text(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value.toJS === "function") { value = value.toJS(); }
    if (Array.isArray(value)) { return value.map(text).filter(Boolean).join(", "); }
    if (value === true) { return "yes"; }
    if (value === false) { return "no"; }
    return String(value).replace(/\s*\n\s*/g, " ").trim();
  }

  function toFile(data) {
    if (data && typeof data.toJS === "function") { data = data.toJS(); }
    var names = ORDER.filter(function (name) { return name in data; });
    Object.keys(data).forEach(function (name) {
      if (name !== "body" && names.indexOf(name) < 0) { names.push(name); }
    });
    var header = names.map(function (name) { return [name, text(data[name])]; })
      .filter(function (pair) { return pair[1] !== ""; })
      .map(function (pair) { return pair[0] + ": " + pair[1]; });
    var body = String(data.body || "").replace(/^\n+/, "").replace(/\s+$/, "");
    return header.join("\n") + "\n\n" + (body ? body + "\n" : "");
  }

  window.CMS.registerCustomFormat("halsolots", "md", { fromFile: fromFile, toFile: toFile });
  window.HALSOLOTS_FORMAT = { fromFile: fromFile, toFile: toFile }; // for the tests
}());
