"""robots.txt rules (RFC 9309): which URLs of a site a crawler may fetch, and how often.

Pure parsing and matching, no I/O: :mod:`toolkit.sources.fetch` downloads each site's
``/robots.txt`` once per process and asks :class:`RobotsRules` before every page.

The rules follow RFC 9309, as the big crawlers read it:

- the group for our product token (``toolkit`` from ``toolkit/0.1 (...)``,
  matched without case) applies; several such groups are combined; without
  one the ``*`` group applies; without that everything is allowed;
- within the group the longest matching ``Allow``/``Disallow`` path wins, and
  ``Allow`` wins a tie; ``*`` matches any run of characters and a trailing
  ``$`` anchors the end; an empty ``Disallow:`` allows everything;
- ``/robots.txt`` itself is always allowed;
- ``Crawl-delay`` (not in the RFC, widely used) is read from the same group.

What the HTTP status of ``/robots.txt`` means is decided by the caller
(:func:`rules_for_status` gives the RFC's reading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

#: Bytes of a robots.txt that are read (the RFC asks crawlers to parse at least 500 KiB);
#: a longer file is obeyed up to there.
MAX_ROBOTS_BYTES = 512_000

# Characters left as they are when paths are normalised for comparison (the
# rest is compared percent-encoded, whichever way the site or the URL wrote it).
_SAFE = "/?=&;:@!$'()*+,-._~%"


@dataclass(frozen=True)
class _Rule:
    allow: bool
    pattern: str
    pieces: tuple[str, ...]  # the pattern split at its ``*``
    anchored: bool  # a trailing ``$``

    def matches(self, path: str) -> bool:
        return glob_match(self.pieces, path, anchored=self.anchored)


def glob_match(pieces: tuple[str, ...], path: str, *, anchored: bool) -> bool:
    """Whether ``path`` starts with the pattern ``"*".join(pieces)`` (all of it when ``anchored``).

    ``*`` matches any run of characters. Each piece is searched once, left to
    right (the leftmost place is always the best one), so a check takes time
    linear in the path and pattern, where a regular expression with many
    ``*`` backtracks exponentially.

    Parameters
    ----------
    pieces : tuple of str
        The pattern split at ``*`` (``"/a*b$"`` -> ``("/a", "b")``).
    path : str
        The normalised path (and query) to check.
    anchored : bool
        The pattern ends with ``$``: it must match the whole path.

    Returns
    -------
    bool
    """
    first = pieces[0]
    if not path.startswith(first):
        return False
    position = len(first)
    if len(pieces) == 1:
        return not anchored or position == len(path)
    last = pieces[-1]
    end = len(path)
    if anchored:
        end -= len(last)
        if end < position or not path.endswith(last):
            return False
    for piece in pieces[1:-1]:
        found = path.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return anchored or path.find(last, position) >= 0


@dataclass(frozen=True)
class RobotsRules:
    """The rules of one site's robots.txt that apply to one crawler.

    Attributes
    ----------
    rules : tuple
        The group's ``Allow``/``Disallow`` rules, in file order.
    crawl_delay : float or None
        Seconds the site asks to leave between requests, when it says.
    disallow_all : bool
        True when the site's robots.txt could not be read for a server-side
        reason (RFC 9309: assume everything is disallowed).
    reason : str or None
        Why everything is disallowed, for the error message.
    """

    rules: tuple[_Rule, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False
    reason: str | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, text: str, user_agent: str) -> RobotsRules:
        """Read a robots.txt for the crawler that sends ``user_agent``.

        Parameters
        ----------
        text : str
            The file's content.
        user_agent : str
            The ``User-Agent`` header the crawler sends; its product token
            (the part before the first ``/`` or space) picks the group.

        Returns
        -------
        RobotsRules
        """
        agent = product_token(user_agent)
        groups = _groups(text)
        mine = [g for g in groups if agent in g.agents]
        chosen = mine or [g for g in groups if "*" in g.agents]
        rules = tuple(rule for group in chosen for rule in group.rules)
        delays = [group.crawl_delay for group in chosen if group.crawl_delay is not None]
        return cls(rules=rules, crawl_delay=max(delays) if delays else None)

    def allows(self, url: str) -> bool:
        """Whether the crawler may fetch ``url`` (absolute, or a path with its query).

        Parameters
        ----------
        url : str
            The URL to check.

        Returns
        -------
        bool
        """
        parts = urlsplit(url)
        path = _normalise(parts.path or "/")
        if parts.query:
            path += f"?{_normalise(parts.query)}"
        if path == "/robots.txt":
            return True
        if self.disallow_all:
            return False
        best: _Rule | None = None
        for rule in self.rules:
            if not rule.matches(path):
                continue
            if (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)
            ):
                best = rule
        return best is None or best.allow


def rules_for_status(
    status: int | None, text: str | None, user_agent: str, *, problem: str | None = None
) -> RobotsRules:
    """The rules RFC 9309 implies for how fetching ``/robots.txt`` went.

    Parameters
    ----------
    status : int or None
        HTTP status of the (last) response; None when no answer came.
    text : str or None
        The body, when the status is 2xx.
    user_agent : str
        The crawler's ``User-Agent``.
    problem : str or None
        What went wrong, for the message when everything is disallowed.

    Returns
    -------
    RobotsRules
        2xx: the file's rules. 4xx ("unavailable"): everything allowed. 5xx
        ("unreachable"): everything disallowed. No answer at all (host down,
        refused, timed out): everything allowed, so that the page's own fetch
        reports the real problem instead of a robots.txt one.
    """
    if status is not None and 200 <= status < 300:
        return RobotsRules.parse(text or "", user_agent)
    if status is not None and status >= 500:
        reason = problem or f"HTTP {status}"
        return RobotsRules(
            disallow_all=True,
            reason=f"its robots.txt could not be read ({reason}), and RFC 9309 then treats "
            "the whole site as disallowed",
        )
    return RobotsRules()


def product_token(user_agent: str) -> str:
    """The product token of a ``User-Agent`` ("toolkit/0.1 (+x)" -> "toolkit"), lower case."""
    token = re.split(r"[/\s]", user_agent.strip(), maxsplit=1)[0]
    return token.lower() or "*"


@dataclass
class _Group:
    agents: set[str] = field(default_factory=set)
    rules: list[_Rule] = field(default_factory=list)
    crawl_delay: float | None = None


def _groups(text: str) -> list[_Group]:
    """Split a robots.txt into its groups (consecutive user-agent lines open one)."""
    groups: list[_Group] = []
    current: _Group | None = None
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if current is None or in_rules:
                current = _Group()
                groups.append(current)
                in_rules = False
            current.agents.add(product_token(value) if value != "*" else "*")
        elif current is None:
            continue  # rules before any user-agent line belong to no group
        elif key in ("allow", "disallow"):
            in_rules = True
            if value:  # an empty Disallow allows everything: no rule
                current.rules.append(_rule(key == "allow", value))
        elif key == "crawl-delay":
            in_rules = True
            try:
                delay = float(value)
            except ValueError:
                continue
            if delay >= 0:
                current.crawl_delay = delay
    return groups


def _rule(allow: bool, value: str) -> _Rule:
    pattern = _normalise(value)
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    return _Rule(allow, pattern, tuple(body.split("*")), anchored)


def _normalise(path: str) -> str:
    """Percent-encoding made uniform, so "/caf%C3%A9" and "/café" compare equal."""
    return quote(unquote(path), safe=_SAFE)
