"""Importing this module pays extraction's one-off costs in the importing process.

The extraction workers' fork server imports it once (see ``ingest.iter_rows``),
so every worker forked from it starts with trafilatura, the language model and
dateparser's locale patterns loaded, instead of paying seconds on its first
pages (which could trip the per-page time limit).

A worker forked from the caller for small work (a few pages) imports it too,
before its first page's clock starts, but pays only what every first page pays
(trafilatura's and the language model's start, about a second), not the
patterns of every dateparser locale (several seconds, which only a page with an
unusual date needs).
"""

import gc

from toolkit.extract.page import extract_page, preload
from toolkit.ingest.launch import light_warm_up

#: A plain article: its date in a meta tag and enough text that trafilatura needs no
#: fallback, so it pays only the costs every page pays.
_PAGE = (
    b"<html lang='en'><head><title>Warm-up</title><meta property='article:published_time' "
    b"content='2016-09-05T10:00:00+08:00'></head><body><article><h1>Warm-up</h1>"
    b"<p>The police said the checks of the week went well, and residents of the city were "
    b"thanked for their patience while the roads near the venue were closed.</p>"
    b"<p>Officials added that the volunteers at the stations would stay until the end of the "
    b"meeting, and that buses would run on their usual routes again from Monday.</p>"
    b"</article></body></html>"
)

if light_warm_up():
    extract_page(_PAGE)
else:
    preload()

# Everything loaded so far lives as long as the workers: move it out of the cyclic
# garbage collector's reach, so collections in the workers stay cheap and do not
# touch (and copy) the pages they share with this fork server.
gc.freeze()
