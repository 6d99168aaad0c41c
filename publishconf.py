"""Production settings (make publish): absolute URLs, no drafts."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))  # pelicanconf beside this file
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://halsolots.goteborg.example")
# Calendar feeds (*.ics, kalender/ and aktivitet/<slug>/<slug>.ics) take their absolute URLs from SITEURL. The web
# server must send them as "Content-Type: text/calendar; charset=utf-8" over https (deploy/nginx/halsolots.conf
# does, tested), so webcal:// subscriptions work; calendar apps poll them about every 12 hours (REFRESH-INTERVAL).
PRODUCTION = True  # another site's production settings (sites/<id>/settings.yaml `publish:`) apply too
RELATIVE_URLS = False
SHOW_DRAFTS = False
DELETE_OUTPUT_DIRECTORY = True

# What a public site needs beside its pages (docs/production.md): sitemap.xml (from SITEURL), robots.txt,
# /.well-known/security.txt, 404 pages, and .gz/.br copies of text files for servers that can serve them.
SECURITY_CONTACT = ["mailto:halsolots@goteborg.example"]
SECURITY_EXPIRES = "2027-11-30T00:00:00Z"  # fixed, not build time (reproducible); renew yearly, the build warns after
PRECOMPRESS = True
PRINT = True  # printed programmes and posters (PDF) under /trycksaker/ and /en/print/
