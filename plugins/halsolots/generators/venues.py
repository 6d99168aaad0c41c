"""`VenueGenerator`: a page per venue (`/plats/<id>/`, `/en/venues/<id>/`) with its address, how to get there, its
accessibility facts, every upcoming activity there, and plain links to the place on a map and in the journey
planner (links only: nothing is loaded from those sites).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pelican.generators import Generator

from ..content.programme import Listing
from ..site.site import get_site
from .contents import page_writer

OPENSTREETMAP = "https://www.openstreetmap.org/"


def street_address(venue) -> str:
    """'Götaplatsen 3, 412 56 Göteborg': what a map or a journey planner is asked for."""
    place = " ".join(str(part) for part in (venue.get("postcode"), venue.get("city")) if part)
    return ", ".join(str(part) for part in (venue.get("address"), place) if part)


def map_link(venue) -> str:
    """The venue on OpenStreetMap: a marker at its coordinates when the data has them, else a search for its address."""
    geo = venue.get("geo")
    if isinstance(geo, list) and len(geo) == 2:
        lat, lon = (f"{float(value):.5f}" for value in geo)
        return f"{OPENSTREETMAP}?{urlencode({'mlat': lat, 'mlon': lon})}#map=17/{lat}/{lon}"
    return f"{OPENSTREETMAP}search?{urlencode({'query': street_address(venue)})}"


def journey_link(pattern: str, venue) -> str:
    """The journey planner with the venue as destination (JOURNEY_PLANNER_URL, `{destination}` filled in), or ''."""
    if not pattern or not venue.get("address"):
        return ""
    return pattern.format(destination=quote(street_address(venue), safe=""))


class VenueGenerator(Generator):
    def generate_output(self, writer):
        site = get_site(self.context)
        weeks = self.settings.get("LISTING_WEEKS", 4)
        activities = self.context.get("activities", [])
        planner = self.settings.get("JOURNEY_PLANNER_URL", "")
        pages = []
        for venue in site.vocabularies.venues:
            here = [a for a in activities if a.venue is not None and a.venue.id == venue.id]
            pages.append((venue, Listing(here, site.today, weeks), map_link(venue), journey_link(planner, venue)))
        for lang in writer.languages:
            write = page_writer(self, writer, lang)
            for venue, listing, osm, journey in pages:
                district = site.vocabularies.districts.get(venue.get("district"))
                write("venue", "venue", id=venue.id, venue=venue, district=district, listing=listing,
                      map_url=osm, journey_url=journey)
