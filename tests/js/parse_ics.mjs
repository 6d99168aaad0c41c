// Parses .ics files with Mozilla's ical.js (Thunderbird's parser) and prints what it understood as JSON:
// per file the calendar name and every occurrence (series expanded, overrides applied) with its UTC time.
// Usage: node tests/js/parse_ics.mjs FILE... ; exits non-zero if a file does not parse.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 2000; // a guard against a series without an end

function expand(calendar) {
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const masters = new Map();
  const overrides = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    // By default ICAL.Event relates every override in the calendar to each series, whatever its UID;
    // Thunderbird groups by UID first, so do the same: relate explicitly, and only matching UIDs.
    const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] });
    if (event.isRecurrenceException()) overrides.push(event);
    else masters.set(event.uid, event);
  }
  for (const override of overrides) {
    const master = masters.get(override.uid);
    if (!master) throw new Error(`override of unknown UID ${override.uid}`);
    master.relateException(override);
  }
  const occurrences = [];
  for (const event of masters.values()) {
    const iterator = event.iterator();
    for (let next = iterator.next(), count = 0; next; next = iterator.next(), count++) {
      if (count >= MAX_OCCURRENCES) throw new Error(`${event.uid}: series does not end`);
      const details = event.getOccurrenceDetails(next);
      occurrences.push({
        uid: event.uid,
        summary: details.item.summary,
        status: details.item.component.getFirstPropertyValue("status"),
        start: details.startDate.toUnixTime(),
        end: details.endDate.toUnixTime(),
        local: details.startDate.toString(),
        tzid: details.startDate.zone ? details.startDate.zone.tzid : null,
      });
    }
  }
  return occurrences;
}

const result = {};
let failed = false;
for (const path of process.argv.slice(2)) {
  try {
    const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
    if (calendar.name !== "vcalendar") throw new Error(`top component is ${calendar.name}`);
    result[path] = {
      name: calendar.getFirstPropertyValue("x-wr-calname"),
      version: calendar.getFirstPropertyValue("version"),
      occurrences: expand(calendar),
    };
  } catch (error) {
    failed = true;
    result[path] = { error: String(error && error.stack || error) };
  }
}
process.stdout.write(JSON.stringify(result));
process.exitCode = failed ? 1 : 0; // not process.exit(): it would cut off piped output
