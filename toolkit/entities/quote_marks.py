"""Quote marks: the spans of text between an opening and a closing mark.

Double marks pair first, paragraph by paragraph: curly “ ”, straight ", low-high „ “,
guillemets « » (and German » «), corner brackets 「 」 and 『 』 (Chinese and Japanese).
A quotation that runs over several paragraphs opens each paragraph again and closes
only in the last: an opening mark left open at the end of a paragraph whose next
paragraph starts with an opening mark of the same family continues there. Single marks
(‘ ’ and straight ') pair only outside double-marked spans, and only where they cannot
be an apostrophe (the opening one after a space or the paragraph start, the closing one
before a space, punctuation or the paragraph end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Opening mark -> the closing marks it pairs with.
DOUBLE_PAIRS: dict[str, str] = {
    "“": "”", '"': '"', "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』",
}
_DOUBLE = re.compile("[“”\"„«»「」『』]")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=\S)")
_SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?=$|[\s,.;:!?)\]—–-])")
#: Longest single-marked span (characters): longer ones are apostrophes that happened to pair.
MAX_SINGLE = 300
#: The paragraph break: articles join paragraphs with "\n".
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class MarkSpan:
    """A marked span: ``open`` is the opening mark, ``close`` the closing one (or the end).

    ``start``/``end`` delimit the words between the marks (``text[start:end]``);
    ``closed`` is False when the span runs to a paragraph end without a closing mark.
    """

    open: int
    close: int
    closed: bool = True
    paragraphs: int = 1

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close

    @property
    def after(self) -> int:
        """The first character after the closing mark."""
        return self.close + 1 if self.closed else self.close


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line of ``text`` (the articles' paragraphs)."""
    return [m.span() for m in _LINE.finditer(text) if m.group().strip()]


def _double_spans(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Pairs of double marks in ``text[start:end]`` and the position of a mark left open."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    for match in _DOUBLE.finditer(text, start, end):
        mark, at = match.group(), match.start()
        if opened is not None and mark in DOUBLE_PAIRS[text[opened]]:
            if at > opened + 1:
                pairs.append((opened, at))
            opened = None
        elif mark in DOUBLE_PAIRS and (mark != "»" or opened is None):
            if mark == '"' and opened is None and at > start and text[at - 1].isalnum():
                continue  # 5'11" or a stray closing mark: not an opening one
            opened = at  # an opening mark (a mark left open before it was stray)
    return pairs, opened


def _starts_with_opening(text: str, start: int, end: int, family: str) -> int | None:
    """Position of the opening mark that starts ``text[start:end]``, if it opens like ``family``."""
    stripped = len(text[start:end]) - len(text[start:end].lstrip())
    at = start + stripped
    if at < end and text[at] in DOUBLE_PAIRS and DOUBLE_PAIRS[text[at]] == DOUBLE_PAIRS[family]:
        return at
    return None


def _single_spans(text: str, start: int, end: int, taken: list[tuple[int, int]]):
    def inside(at: int) -> bool:
        return any(a <= at <= b for a, b in taken)

    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text, start, end) if not inside(m.start())]
    spans = []
    position = start
    for match in _SINGLE_OPEN.finditer(text, start, end):
        at = match.start()
        if at < position or inside(at):
            continue
        close = next((c for c in closes if c > at + 1), None)
        if close is None or close - at > MAX_SINGLE:
            continue
        spans.append(MarkSpan(at, close))
        position = close + 1
    return spans


def find_mark_spans(text: str) -> list[MarkSpan]:
    """Every marked span of an article text, in order (see the module docstring).

    Parameters
    ----------
    text : str
        One article's text, paragraphs joined by ``\\n``.

    Returns
    -------
    list of MarkSpan
    """
    paragraphs = paragraph_spans(text)
    spans: list[MarkSpan] = []
    pending: int | None = None  # the opening mark of a quotation that goes on
    carried = 0
    for number, (start, end) in enumerate(paragraphs):
        first = None
        if pending is not None:
            first = _starts_with_opening(text, start, end, text[pending])
            if first is None:  # the next paragraph does not go on: the quotation ends here
                previous_end = paragraphs[number - 1][1]
                spans.append(MarkSpan(pending, previous_end, closed=False, paragraphs=carried))
                pending = None
        pairs, opened = _double_spans(text, start, end)
        if pending is not None:
            # the quotation goes on: the first pair (or the open mark) belongs to it
            if pairs and pairs[0][0] == first:
                close = pairs.pop(0)[1]
                spans.append(MarkSpan(pending, close, paragraphs=carried + 1))
                pending = None
            elif opened == first:
                carried += 1
                continue
            else:  # a closing mark right at the start, or nothing useful: end it here
                spans.append(MarkSpan(pending, paragraphs[number - 1][1], closed=False,
                                      paragraphs=carried))
                pending = None
        spans.extend(MarkSpan(a, b) for a, b in pairs)
        taken = list(pairs)
        if opened is not None:
            pending, carried = opened, 1
            taken.append((opened, end))
        spans.extend(_single_spans(text, start, end, taken))
    if pending is not None:
        spans.append(MarkSpan(pending, paragraphs[-1][1], closed=False, paragraphs=carried))
    return sorted(spans, key=lambda s: s.open)
