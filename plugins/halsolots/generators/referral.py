"""Referral for healthcare staff ("För vårdpersonal"): a page where staff choose a need, a district and, if
they like, a weekday, and a one-page sheet per district × need to print or hand over.

The sheets are made in advance, so the page works without JavaScript (a link per district and need); with
it, a form goes to the chosen sheet and the sheet shows only the chosen weekday (in the address's #fragment,
which never leaves the browser). A sheet holds the matching activities (content/referral.py) with when,
where and a QR code each, and the service's contact; it asks for nothing and sends nothing.
"""

from __future__ import annotations

from pelican.generators import Generator

from ..content.referral import SHEET_LIMIT, referral_sheets, weekdays
from ..site.site import get_site
from .contents import page_writer


class ReferralGenerator(Generator):
    def generate_output(self, writer):
        site = get_site(self.context)
        vocab = site.vocabularies
        if not len(vocab.referral_needs):
            return
        sheets = referral_sheets(self.context.get("activities", []), vocab.districts, vocab.referral_needs,
                                 site.today, site.default_lang)
        counts = tuple((district_id, need_id, len(found)) for (district_id, need_id), found in sheets.items())
        for lang in writer.languages:
            write = page_writer(self, writer, lang)
            write("referral", "referral", counts=counts)
            for district in vocab.districts:
                for need in vocab.referral_needs:
                    found = sheets[(district.id, need.id)]
                    shown = found[:SHEET_LIMIT]
                    write("referral_sheet", "referral_sheet", id=district.id, need=need.id, district=district,
                          need_term=need, entries=[(a, weekdays(a, site.today)) for a in shown],
                          more=len(found) - len(shown))
