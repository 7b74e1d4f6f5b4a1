"""One page's bytes to article fields.

In: a page's bytes with what is known of it (URL, content type, capture date,
file name). Out: a dict of the articles columns for that page (title, authors,
agencies, date, ``date_source``, ``date_modified``, sitename, language, text,
``status``, ``error``), by :func:`extract_page`. Decoding (declared charset checked
against the bytes), one HTML parse read for the page's own metadata and given to
trafilatura for the text, the thin-page rescue, the furniture cleaning, plain-text
dumps, and the repairs of titles, bylines and dates live in their own modules
here. Never raises for a bad page.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "ExtractOptions": "page",
        "extract_page": "page",
        "is_text_dump": "page",
        "parse_text_dump": "textdump",
        "decode_bytes": "decode",
        "detect_language": "language",
        "choose_title": "titles",
        "clean_authors": "bylines",
        "resolve_date": "dates",
    },
)
