"""Turn a page's bytes into text without garbling it.

Web pages lie about their encoding, mix encodings, and carry stray bytes.
trafilatura ignores the declared charset and, when UTF-8 fails, lets a
detector guess for the whole page, so one bad byte in a GB2312 page can turn
every Chinese character into mojibake. Here the order is:

1. a byte-order mark (UTF-8/16/32), which is never wrong;
2. valid UTF-8, or UTF-8 with only a few bad bytes: the majority decoding wins
   over a wrong declaration (the most common mis-declaration on the web);
3. the charset declared in the HTTP ``Content-Type`` or in the page (``<meta
   charset>``, ``http-equiv``, ``<?xml encoding?>``), if it decodes the bytes
   with few errors;
4. detection with charset-normalizer on a bounded sample: its best few
   guesses and cp1252 are scored for mojibake (symbols inside words, stray
   capitals, replacement characters) and the cleanest decoding wins; among
   equally clean ones, the one whose non-ASCII words py3langid recognises
   best as a language (French read as Baltic cp1257 is clean but unlikely);
5. when even the cleanest decoding of the whole page is garbled, the page may
   mix encodings (Latin-1 paragraphs and GBK ones under one UTF-8
   declaration): each stretch between tags and line ends is then decoded with
   the candidate that reads it cleanest, and that is kept if it is cleaner.

Names are mapped to the supersets browsers use (GB2312/GBK -> GB18030,
latin-1/ASCII -> cp1252, ...). Decoding always uses ``errors="replace"``, so
one invalid byte costs one U+FFFD, never the page. NUL bytes and lone
surrogates are removed.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

logger = logging.getLogger(__name__)

#: Share of non-ASCII bytes that may fail to decode before a decoding is
#: considered wrong (a few stray bytes are tolerated and replaced).
MAX_ERROR_SHARE = 0.02

#: How many bytes are searched for an in-document charset declaration.
DECLARATION_WINDOW = 16_384

#: Mojibake scores this close count as a tie between candidate decodings.
TIE_MARGIN = 0.002

#: How many bytes charset-normalizer sees (it is slow on big inputs).
DETECTION_SAMPLE = 65_536

#: A whole-page decoding scoring above this may be a page of mixed encodings.
MIXED_SCORE = 0.01

#: Multi-byte encodings also tried on each stretch of a page of mixed encodings.
SEGMENT_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030", "big5hkscs", "cp932", "cp949")

# Stretches of a page that no multi-byte encoding runs across: "<", ">" and
# newline are below 0x40, never a trail byte (GBK, Big5, Shift_JIS) or in UTF-8.
_SEGMENT_END = re.compile(rb"(?<=[<>\n])")

# Browsers decode these labels with a superset encoding (WHATWG Encoding
# Standard); Chinese outlets routinely declare gb2312 and serve GBK.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "utf_16": "utf-16",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([\w.:\-]+)", re.IGNORECASE)
# a surrogate code point encoded as UTF-8 (CESU-8 / "surrogatepass" output)
_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_NON_ASCII_WORD = re.compile(r"[^\s<>]*[^\x00-\x7f]+[^\s<>]*")
# symbols and superscript digits are rare in text and common in mojibake
_SUSPICIOUS_CATEGORIES = frozenset({"So", "Sk", "Sm", "No"})


@dataclass(frozen=True)
class Decoded:
    """The text of a document and how it was obtained.

    Attributes
    ----------
    text : str
        The decoded text, without NUL bytes or lone surrogates.
    encoding : str
        The Python codec used (e.g. ``"utf-8"``, ``"gb18030"``, ``"cp1252"``);
        for a page of mixed encodings, the codecs used joined by ``+``
        (``"cp1252+gb18030"``).
    method : str
        How the encoding was chosen: ``"ascii"``, ``"bom"``, ``"utf-8"``,
        ``"declared"``, ``"detected"``, ``"fallback"`` or ``"mixed"``.
    declared : str or None
        The encoding the document or its headers declared (normalised), if
        any; looked up only for bytes that are not valid UTF-8.
    replaced : int
        How many bytes could not be decoded and became U+FFFD.
    """

    text: str
    encoding: str
    method: str
    declared: str | None
    replaced: int


@functools.lru_cache(maxsize=256)
def normalize_encoding(label: str | None) -> str | None:
    """Return the Python codec that decodes what ``label`` means on the web.

    Parameters
    ----------
    label : str or None
        A charset label as found in headers or markup (``"GB2312"``,
        ``"ISO-8859-1"``, ``"utf8"``...).

    Returns
    -------
    str or None
        A codec name accepted by ``bytes.decode`` (supersets substituted:
        GB2312/GBK -> ``"gb18030"``, latin-1/ASCII -> ``"cp1252"``), or None
        for an unknown or empty label.
    """
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if cleaned in {"x-user-defined", "binary", "none", "unicode"}:
        return None
    if cleaned in {"x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "csgb2312"}:
        return "gb18030"
    try:
        name = codecs.lookup(cleaned).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    if name in {"utf_8", "utf_8_sig"}:
        return "utf-8"
    return _SUPERSETS.get(name, name.replace("_", "-"))


def declared_encoding(content: bytes, content_type: str | None = None) -> str | None:
    """Return the encoding declared for ``content``, normalised, or None.

    The HTTP ``Content-Type`` header wins over the document's own declaration
    (``<?xml encoding?>``, ``<meta charset>`` or ``http-equiv``), which is
    searched in the first ``DECLARATION_WINDOW`` bytes only.

    Parameters
    ----------
    content : bytes
        The document.
    content_type : str or None
        The ``Content-Type`` header value, if known.

    Returns
    -------
    str or None
        A codec name (see ``normalize_encoding``).
    """
    if content_type:
        match = _CT_CHARSET.search(content_type)
        if match and (name := normalize_encoding(match.group(1))):
            return name
    head = content[:DECLARATION_WINDOW]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match:
        return normalize_encoding(match.group(1).decode("ascii", "replace"))
    return None


def _bom_encoding(content: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(content: bytes) -> str | None:
    """Recognise UTF-16 text without a BOM by its NUL bytes at every other position."""
    sample = content[:512]
    if len(sample) < 8 or sample.count(0) < len(sample) // 3:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.2 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.2 * len(odd):
        return "utf-16-be"
    return None


def _decode(content: bytes, encoding: str) -> tuple[str, int]:
    """Decode with replacement; return the text and how many bytes were replaced."""
    text = content.decode(encoding, errors="replace")
    return text, text.count("\ufffd")


_ASCII = bytes(range(128))


def _non_ascii(content: bytes) -> int:
    """Count the bytes >= 0x80 (deleting the ASCII ones leaves exactly those)."""
    return len(content.translate(None, _ASCII))


def mojibake_score(text: str, *, limit: int = 100_000) -> float:
    """Score how implausible the non-ASCII characters of ``text`` look (lower is better).

    Replacement characters, controls, private-use and unassigned code points,
    box-drawing and other symbols, superscript digits, punctuation inside a
    word (``"zaostrzy³a"``) and an uppercase non-ASCII letter inside a
    lowercase word (``"cafŚ"``), the marks of a wrong single-byte code page,
    all count against a decoding.

    Parameters
    ----------
    text : str
        A decoded document.
    limit : int
        Only the first ``limit`` characters are scored.

    Returns
    -------
    float
        Suspicious characters per non-ASCII character, in [0, 1]; 0 for
        pure ASCII.
    """
    sample = text[:limit]
    n = len(sample)
    bad = total = 0
    for match in _NON_ASCII_RUN.finditer(sample):
        start, end = match.span()
        for i in range(start, end):
            ch = sample[i]
            total += 1
            before = sample[i - 1] if i else " "
            after = sample[i + 1] if i + 1 < n else " "
            cat = unicodedata.category(ch)
            if ch == "\ufffd" or cat[0] == "C" or cat in _SUSPICIOUS_CATEGORIES:
                bad += 1
            elif cat[0] in "PS" and before.isalpha() and after.isalpha() and not _wide(ch):
                bad += 1  # punctuation or a symbol inside a word: "zaostrzy³a"
                # (not CJK punctuation, written between ideographs without spaces: "，")
            elif cat[0] == "S" and (before.isalpha() or after.isalpha()):
                bad += 1  # a symbol glued to a word: "полици€"
            elif ch.isupper() and before.islower() and after.isalpha():
                bad += 1  # "cafŚ": a capital inside a lowercase word
    return bad / total if total else 0.0


def _wide(ch: str) -> bool:
    """An East Asian wide or fullwidth character (CJK punctuation such as "，" or "。")."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _language_likeness(text: str, *, chars: int = 400) -> float:
    """py3langid's confidence on the words of ``text`` that hold non-ASCII characters."""
    from toolkit.extract.language import classify_language

    words: list[str] = []
    size = 0
    for match in _NON_ASCII_WORD.finditer(text):
        words.append(match.group())
        size += len(match.group()) + 1
        if size >= chars:
            break
    guess = classify_language(" ".join(words)) if words else None
    return guess[1] if guess else 0.0


def _detect(content: bytes, *, top: int = 5) -> list[str]:
    """charset-normalizer's ``top`` guesses for a bounded sample, best first, normalised."""
    from charset_normalizer import from_bytes

    if len(content) > DETECTION_SAMPLE:
        half = DETECTION_SAMPLE // 2
        sample = content[:half] + content[-half:]
    else:
        sample = content
    names = [normalize_encoding(match.encoding) for match in list(from_bytes(sample))[:top]]
    return list(dict.fromkeys(name for name in names if name))


def clean_text(text: str) -> str:
    """Remove NUL characters and lone surrogates from ``text``.

    Parameters
    ----------
    text : str
        Any string, e.g. one built with ``errors="surrogateescape"``.

    Returns
    -------
    str
        The same text without ``"\\x00"`` and without unpaired surrogates
        (which cannot be encoded, written to Parquet or shown).
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # only then is a surrogate there to remove
            text = _LONE_SURROGATE.sub("", text)
    return text


def _strip_nul(text: str) -> str:
    # bytes.decode never yields lone surrogates (they are decoding errors,
    # replaced), so decoded text needs only its NULs removed
    return text.replace("\x00", "") if "\x00" in text else text


def decode_bytes(content: bytes, *, content_type: str | None = None) -> Decoded:
    """Decode a document's bytes robustly (see the module docstring for the order).

    Parameters
    ----------
    content : bytes
        The raw document.
    content_type : str or None
        The HTTP ``Content-Type`` header, whose ``charset`` wins over the
        document's own declaration.

    Returns
    -------
    Decoded
        The text and how it was decoded. Never raises on any bytes.
    """
    bom = _bom_encoding(content)
    if bom is None and (utf16 := _utf16_without_bom(content)):
        bom = (utf16, 0)
    if bom is not None:
        name, skip = bom
        text, bad = _decode(content[skip:], name)
        return Decoded(_strip_nul(text), name, "bom", None, bad)

    if b"\x00" in content:
        content = content.replace(b"\x00", b"")
    # valid UTF-8 (ASCII included) is taken as such, whatever the page
    # declares: other encodings almost never form valid multi-byte UTF-8
    if content.isascii():
        return Decoded(content.decode("ascii"), "ascii", "ascii", None, 0)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf-8", "utf-8", None, 0)

    declared = declared_encoding(content, content_type)

    n_non_ascii = max(_non_ascii(content), 1)
    # drop UTF-8-encoded surrogates before judging the page: they are stray
    # code points, not evidence of another encoding
    stripped = _ENCODED_SURROGATE.sub(b"", content)
    utf8_text, utf8_bad = _decode(stripped, "utf-8")
    if utf8_bad <= MAX_ERROR_SHARE * n_non_ascii:
        if declared not in (None, "utf-8"):
            logger.info("page declares %s but is UTF-8 (%d bad bytes)", declared, utf8_bad)
        return Decoded(_strip_nul(utf8_text), "utf-8", "utf-8", declared, utf8_bad)

    candidates: list[tuple[str, str]] = []
    if declared and declared != "utf-8":
        text, bad = _decode(content, declared)
        if bad <= MAX_ERROR_SHARE * n_non_ascii:
            return Decoded(_strip_nul(text), declared, "declared", declared, bad)
        candidates.append((declared, "declared"))
    elif declared == "utf-8":
        logger.info("page declares utf-8 but %d of %d non-ASCII bytes are invalid; detecting",
                    utf8_bad, n_non_ascii)

    try:
        detected = _detect(content)
    except Exception as exc:  # the detector must not take the page down
        logger.info("charset detection failed: %s", exc)
        detected = []
    # cp1252 before the detector's guesses: on a tie (the same text, e.g.
    # German in cp1250 and cp1252) the most used code page names it
    if "cp1252" not in {name for name, _ in candidates}:
        candidates.append(("cp1252", "fallback"))
    for name in detected:
        if name not in {known for known, _ in candidates}:
            candidates.append((name, "detected"))

    scored: list[tuple[float, str, str, str]] = []
    for name, method in candidates:
        try:
            text, bad = _decode(content, name)
        except LookupError:
            continue
        scored.append((mojibake_score(text) + bad / n_non_ascii, name, method, text))
    best = min(scored, key=lambda s: s[0])
    # code pages of one script turn each other's text into plausible letters
    # alike (French read as Baltic cp1257 gives "déją célčbre"): among the
    # cleanest, the decoding whose non-ASCII words look most like a language wins
    tied = [s for s in scored if s[0] <= best[0] + TIE_MARGIN]
    if len(tied) > 1:
        likeness = {s[1]: _language_likeness(s[3]) for s in tied}
        top = max(likeness.values())
        # near-equal likeness: the earlier candidate (declared, detector's order)
        best = next(s for s in tied if likeness[s[1]] >= top - TIE_MARGIN)
    if best[0] > MIXED_SCORE:
        order = [name for _, name, _, _ in sorted(scored, key=lambda s: s[0])]
        mixed = _decode_segments(content, [*order, *SEGMENT_ENCODINGS])
        if mixed is not None:
            text, names = mixed
            score = mojibake_score(text) + text.count("\ufffd") / n_non_ascii
            if score + TIE_MARGIN < best[0]:
                logger.info("page mixes encodings (%s); decoded stretch by stretch", names)
                return Decoded(_strip_nul(text), names, "mixed", declared, text.count("\ufffd"))
    _, name, method, text = best
    return Decoded(_strip_nul(text), name, method, declared, text.count("\ufffd"))


def _decode_segments(content: bytes, names: list[str]) -> tuple[str, str] | None:
    """Decode each stretch of ``content`` with the name that reads it cleanest (first on a tie).

    Returns the text and the codecs used (joined by ``+``), or None when one
    codec reads every stretch best (the page is not mixed).
    """
    names = [n for n in dict.fromkeys(names) if _codec_exists(n)]
    parts: list[str] = []
    used: dict[str, None] = {}
    for segment in _SEGMENT_END.split(content):
        if segment.isascii():
            parts.append(segment.decode("ascii"))
            continue
        n_bytes = _non_ascii(segment)
        scored = []
        for name in names:
            text, bad = _decode(segment, name)
            scored.append((mojibake_score(text) + bad / n_bytes, name, text))
        low = min(score for score, _, _ in scored)
        tied = [s for s in scored if s[0] <= low + TIE_MARGIN]
        if len(tied) > 1:  # GBK read as Big5 is clean too, but no language
            likeness = [_language_likeness(text) for _, _, text in tied]
            top = max(likeness)
            tied = [s for s, like in zip(tied, likeness, strict=True) if like >= top - TIE_MARGIN]
        _, name, text = tied[0]
        parts.append(text)
        used[name] = None
    if len(used) < 2:
        return None
    return "".join(parts), "+".join(sorted(used))


@functools.lru_cache(maxsize=64)
def _codec_exists(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


#: Magic numbers of formats that are not web pages -> what to call them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", "BMP image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "WebM/Matroska video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"WARC/", "WARC archive (read it as a WARC source)"),
)

_TEXTLIKE_MAGIC = {b"BM", b"MZ", b"ID3"}

# C0 controls other than tab, newline, form feed, carriage return and escape
# (ESC starts ISO-2022-JP sequences in Japanese text).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff_binary(content: bytes) -> str | None:
    """Say what ``content`` is if it is binary data rather than text.

    Parameters
    ----------
    content : bytes
        The document.

    Returns
    -------
    str or None
        A short description (``"PDF document"``, ``"PNG image"``,
        ``"binary data"`` for many control bytes...), or None when the bytes
        look like text (UTF-16 text with its NUL bytes included).
    """
    head = content[:16].lstrip(b"\r\n\t ") if content[:1] in b"\r\n\t " else content[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            # "BM", "MZ" and "ID3" also start ordinary words: demand binary bytes too
            if magic in _TEXTLIKE_MAGIC and not _has_controls(content[:512], 0.05):
                continue
            return name
    if content[4:12] in {b"ftypisom", b"ftypmp42", b"ftypM4A ", b"ftypqt  "}:
        return "MP4/QuickTime media"
    if content[:4] == b"RIFF" and content[8:12] in {b"WEBP", b"WAVE", b"AVI "}:
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[content[8:12]]
    if _bom_encoding(content) or _utf16_without_bom(content):
        return None
    if _has_controls(content[:4096], 0.10):
        return "binary data"
    return None


def _has_controls(sample: bytes, share: float) -> bool:
    if not sample:
        return False
    n_controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return n_controls > share * len(sample)


def decode_html(content: bytes, *, content_type: str | None = None) -> str:
    """Return the text of ``content`` (see ``decode_bytes``) for callers that need only it."""
    return decode_bytes(content, content_type=content_type).text
