"""What libical (GNOME Evolution's calendar engine) makes of .ics files: run by Debian's python3 with python3-gi
and gir1.2-ical-3.0 (the project's venv has no GObject bindings), like ical.js runs with Node.

    /usr/bin/python3 tests/libical_parse.py FILE… → JSON on stdout: per file its parse errors, whether libical's
    strict check (check_restrictions: what METHOD:PUBLISH requires) passes, its name and every occurrence of
    every event, series expanded by libical itself (RRULE, EXDATE) with overrides (RECURRENCE-ID) applied.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ical  # noqa: E402

FAR_PAST = ical.Time.new_from_string("19700101T000000Z")
FAR_FUTURE = ical.Time.new_from_string("21000101T000000Z")


def errors(component):
    found = []
    prop = component.get_first_property(ical.PropertyKind.XLICERROR_PROPERTY)
    while prop:
        found.append(prop.as_ical_string().strip())
        prop = component.get_next_property(ical.PropertyKind.XLICERROR_PROPERTY)
    sub = component.get_first_component(ical.ComponentKind.ANY_COMPONENT)
    while sub:
        found += errors(sub)
        sub = component.get_next_component(ical.ComponentKind.ANY_COMPONENT)
    return found


def utc(moment):
    return moment.as_timet_with_zone(moment.get_timezone())


def recurrence_id(calendar, event):
    """An override's RECURRENCE-ID in its zone: libical resolves the TZID of DTSTART and DTEND, not of this."""
    prop = event.get_first_property(ical.PropertyKind.RECURRENCEID_PROPERTY)
    moment = prop.get_recurrenceid()
    tzid = prop.get_parameter_as_string("TZID")
    if tzid:
        moment.set_timezone(calendar.get_timezone(tzid))
    return moment


def status(event):
    prop = event.get_first_property(ical.PropertyKind.STATUS_PROPERTY)
    return prop.get_value_as_string() if prop else ""


def tzid(moment):
    zone = moment.get_timezone()
    return zone.get_tzid() if zone else ("UTC" if moment.is_utc() else "")


def read(path):
    with open(path, encoding="utf-8") as handle:
        calendar = ical.Component.new_from_string(handle.read())
    if calendar is None:
        return {"error": "libical could not parse the file"}
    parse_errors = errors(calendar)
    strict = bool(calendar.check_restrictions())
    name = calendar.get_first_property(ical.PropertyKind.X_PROPERTY)
    names = []
    while name:
        if name.get_x_name() == "X-WR-CALNAME":
            names.append(name.get_x())
        name = calendar.get_next_property(ical.PropertyKind.X_PROPERTY)
    masters, overrides = [], {}
    event = calendar.get_first_component(ical.ComponentKind.VEVENT_COMPONENT)
    while event:
        if event.get_recurrenceid().is_null_time():
            masters.append(event)
        else:
            overrides[(event.get_uid(), utc(recurrence_id(calendar, event)))] = event
        event = calendar.get_next_component(ical.ComponentKind.VEVENT_COMPONENT)
    occurrences = []
    for master in masters:
        uid, spans = master.get_uid(), []
        master.foreach_recurrence(FAR_PAST, FAR_FUTURE, lambda _c, span, _d: spans.append(
            (span.get_start(), span.get_end())), None)
        for start, end in spans:
            override = overrides.get((uid, start))
            chosen = override or master
            if override is not None:
                start, end = utc(override.get_dtstart()), utc(override.get_dtend())
            occurrences.append({"uid": uid, "start": start, "end": end,
                                "status": status(chosen),
                                "tzid": tzid(master.get_dtstart())})
    return {"errors": parse_errors, "strict": strict, "strict_errors": errors(calendar),
            "name": names[0] if names else "", "occurrences": occurrences}


if __name__ == "__main__":
    json.dump({path: read(path) for path in sys.argv[1:]}, sys.stdout)
