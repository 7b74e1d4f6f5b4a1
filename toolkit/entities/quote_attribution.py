"""Who says what in one article: direct, indirect and mixed quotations with their cue and speaker.

The rules, in the order they run:

1. **Direct.** Each marked span (:mod:`toolkit.entities.quote_marks`) looks for its
   attribution right after the closing mark (``“…,” said X`` / ``“…,” X said``, an
   apposition allowed: ``“…,” Hou Le, a senior official …, said``) or right before the
   opening one (``X said: “…”``, ``X told reporters, “…”``, ``said X: “…”``; when the
   quotation opens a paragraph, the end of the paragraph before counts too:
   ``Smith added:`` ¶ ``“…”``).
2. **Indirect.** In every sentence, a reporting verb outside the direct quotations
   and their attributions with a speaker before it and a clause after it
   (``X said (that) …``, ``X told Y (that) …``), a clause before it (``…, X said.`` /
   ``…, said X.``) or around it (``…, X said, …``, the whole sentence); and
   ``according to X`` first, last or in the middle of a sentence. A clause holding a
   marked span is **mixed**, and that span is not a quotation of its own.
   ``X said:`` closing a paragraph followed by bullet paragraphs gives one indirect
   quotation per bullet.
3. **Continuation.** A marked span still without attribution that opens its sentence
   and is a sentence (four words or more, or ends with punctuation) goes to the
   speaker of the quotation before it, if that one is in the same paragraph or one of
   the two before: the second half of a split quotation keeps the cue
   (``“A,” she said. “B.”``), a later paragraph has none. A marked span with no
   attribution at all (a scare quote, a title, a slogan) is not a quotation.

Speakers are offsets into the text; :mod:`toolkit.entities.quote_speakers` finds the
entity behind each.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from toolkit.entities.quote_cues import Lexicon, lexicon
from toolkit.entities.quote_marks import MarkSpan, find_mark_spans, paragraph_spans
from toolkit.entities.quote_phrases import is_pronoun, phrase_after, phrase_before, words

#: Verbs whose object is the addressee ("told reporters that", "asked him whether").
ADDRESSEE_VERBS = frozenset({"told", "tells", "tell", "telling", "asked", "asks"})
#: Participles whose speaker is the subject of the sentence ("..., adding that ...").
PARTICIPLES = frozenset({"saying", "adding", "noting", "telling", "explaining", "arguing",
                         "insisting", "claiming", "warning", "asking"})
#: Verbs that report a clause without "that" ("said the plan failed"); the others need it
#: ("announced a deal", "admitted making remarks", "reported the incident" are not speech).
ZERO_THAT = frozenset({
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "claimed", "claims",
    "insisted", "insists", "argued", "argues", "warned", "warns", "wrote", "writes", "noted",
    "notes", "suggested", "suggests", "estimated", "estimates", "predicted", "predicts",
    "stressed", "conceded", "vowed", "vows", "agreed", "maintained", "maintains", "contended",
    "countered", "acknowledged", "asked", "asks",
})
#: Present-tense cues that are also plural nouns ("13 other states", "the explanatory notes").
NOUN_LIKE = frozenset({"states", "notes", "reports", "claims", "estimates", "replies",
                       "recalls", "vows", "concludes", "continues", "maintains"})
_SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "there"})
_COORDINATED = re.compile(r"(?:,\s*)?\s(?:and|but)\s+(?:also\s+|then\s+|later\s+)?$")
_NEGATED = re.compile(r"(?:n[’']t|\bnot|\bnever|\bdeclined to|\brefused to|\bwould)\s+$",
                      re.IGNORECASE)

#: Words after a verb that start an adverbial, not a reported clause ("said in a statement").
_ADVERBIAL = frozenset({
    "in", "on", "at", "during", "of", "about", "to", "with", "for", "as", "by", "after",
    "before", "last", "yesterday", "today", "earlier", "later", "late", "this", "recently",
    "afterwards", "when", "while", "from", "so", "too", "nothing", "anything", "something",
    "goodbye", "hello", "yes", "no", "more", "little", "much", "publicly", "privately",
    "repeatedly", "again", "according", "out", "up", "down", "off", "over", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "then", "here",
})
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»」]*\s*$")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}\s[—–-]+\s")
_LEADING_CONJUNCTION = re.compile(r"^(?:But|And|So|Yet|Or)\s+", re.UNICODE)
_CLAUSE_CUT = re.compile(r",\s+(?:according to|citing|amid|as\s+\w+\s+(?:said|says))\b")
#: Adverbials between a verb and its clause ("said last month it ...", "said in a statement").
_SKIPPABLE = re.compile(
    r"(?:\s*,?\s*(?:(?:late|early|earlier|last|this|next|on)\s+)?(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|week|month|year|night|morning|evening|afternoon)"
    r"|\s*,?\s*(?:yesterday|today|tonight|recently|previously|separately|publicly|privately)"
    r"|\s*,?\s*(?:in|on|during|at)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+){0,2}?"
    r"(?:statement|interview|email|e-mail|letter|post|tweet|report|speech|release|conference|"
    r"video|note|briefing|filing|hearing|call|message)(?:\s+(?:with|to|on)\s+\S+(?:\s+\S+)?)?"
    r")+\s*,?"
)
#: Words that open an apposition after a speaker ("estimates Evan Sparks, CEO of ...").
_APPOSITION = re.compile(r"(?:a|an|the|who|whose|which|[A-Z]\w*)\b")
#: A bullet that opens a paragraph ("- ", "• ", "* ").
_BULLET = re.compile(r"\s*[-•*–]\s+")
#: A marked span is a sentence (and can be a quotation on its own) from this many words.
SENTENCE_WORDS = 4


@dataclass
class Quote:
    """One quotation found in an article (offsets into the article text)."""

    start: int
    end: int
    kind: str
    cue: str | None
    speaker: tuple[int, int] | None
    cue_span: tuple[int, int] | None = None
    inherited: bool = False


def _is_tail(rest: str) -> bool:
    """Whether ``rest`` (after a verb) ends the sentence without a clause of its own."""
    tokens = rest.split()
    if rest.lstrip().startswith(":"):
        return False
    return len(tokens) <= 6 and "that" not in tokens and not re.search(r"[“”\"«»]", rest)


def _opens_apposition(text: str) -> bool:
    return bool(_APPOSITION.match(text))


class ArticleReader:
    """The rules of the module docstring, applied to one article."""

    def __init__(self, text: str, sentences: list[tuple[int, int]], language: str | None):
        self.text = text
        self.sentences = sentences
        self.lexicon: Lexicon = lexicon(language)
        self.paragraphs = paragraph_spans(text)
        self.used: list[tuple[int, int]] = []  # attributions taken by direct quotations
        self.quotes: list[Quote] = []
        # every cue of the text, found once (one pass of the big alternation)
        self.cue_matches = list(self.lexicon.cue.finditer(text))
        self.cue_starts = [m.start() for m in self.cue_matches]
        self.paragraph_starts = [start for start, _ in self.paragraphs]

    # ------------------------------------------------------------------ helpers
    def paragraph_of(self, at: int) -> int:
        return max(bisect.bisect_right(self.paragraph_starts, at) - 1, 0)

    def sentence_end(self, at: int, limit: int) -> int:
        """End of the sentence holding ``at`` (the next sentence boundary), at most ``limit``."""
        for start, end in self.sentences:
            if start <= at < end:
                return min(end, limit)
        return limit

    def _is_used(self, at: int) -> bool:
        return any(a <= at < b for a, b in self.used)

    def _cues(self, start: int, end: int) -> list[re.Match]:
        """The cues that lie wholly in ``text[start:end]``."""
        first = bisect.bisect_left(self.cue_starts, start)
        last = bisect.bisect_left(self.cue_starts, end)
        return [m for m in self.cue_matches[first:last] if m.end() <= end]

    def _skip_auxiliaries(self, start: int, cue_start: int) -> int:
        """Move back over "has", "also", "later" ... before a verb."""
        tokens = words(self.text, start, cue_start)
        end = cue_start
        while tokens and (tokens[-1][2].lower() in self.lexicon.auxiliaries or (
                self.lexicon.language == "en" and tokens[-1][2].endswith("ly")
                and tokens[-1][2].islower() and len(tokens) > 1)):
            end = tokens.pop()[0]
        return end

    # ------------------------------------------------------------------ direct
    def attribute_after(self, span: MarkSpan, paragraph_end: int) -> Quote | None:
        """``“…,” said X`` / ``“…,” X said`` right after the closing mark."""
        text = self.text
        start = span.after
        tail_end = paragraph_end
        next_open = re.search(r"[“\"«「『„]", text[start:paragraph_end])
        if next_open:
            tail_end = start + next_open.start()
        sentence = re.search(r"(?<![A-Z])[.!?](?=\s|$)|[。！？]", text[start:tail_end])
        clause_end = start + sentence.start() if sentence else tail_end
        inner = text[span.start:span.end].rstrip()
        tight = inner.endswith((",", "!", "?", "—", "–", "-", "，", "。", "！", "？")) or \
            text[start:start + 1] in (",", "，")
        lead = re.match(r"\s*[,—–-]?\s*", text[start:clause_end])
        head = start + lead.end()
        cues = self._cues(head, clause_end)
        if not cues:
            return None
        cue = cues[0]
        if cue.start() == head:  # "…,” said X"
            found = phrase_after(text, cue.end() + 1, clause_end)
            if found is None:
                return None
            return Quote(span.start, span.end, "direct", cue.group().lower(), found,
                         cue.span())
        verb_at = self._skip_auxiliaries(head, cue.start())
        found = phrase_before(text, head, verb_at)
        if found is None or found[0] != head + len(text[head:found[0]]) - len(
            text[head:found[0]].lstrip()
        ):
            return None
        if not tight:  # “It was a mistake.” He said the plan ... is a sentence of its own
            rest = text[cue.end():clause_end]
            if "that" in rest.split() or len(rest.split()) > 8:
                return None
        return Quote(span.start, span.end, "direct", cue.group().lower(), found, cue.span())

    def attribute_before(self, span: MarkSpan, paragraph_start: int) -> Quote | None:
        """``X said: “…”`` / ``said X: “…”`` right before the opening mark."""
        text = self.text
        head_start = paragraph_start
        before = text[paragraph_start:span.open]
        if not before.strip() and self.paragraph_of(span.open) > 0:
            previous = self.paragraphs[self.paragraph_of(span.open) - 1]
            if text[previous[0]:previous[1]].rstrip().endswith(":"):
                head_start, before = previous[0], text[previous[0]:previous[1]]
        boundary = None
        for match in re.finditer(r"(?<![A-Z])[.!?][\"”’]?\s|[”\"»」]\s", before):
            if not re.search(r"(?:Mr|Mrs|Ms|Dr|St|Jr|Sr)\.\s$", before[: match.end()]):
                boundary = match.end()
        head = head_start + (boundary or 0)
        end = head_start + len(before.rstrip())
        if end <= head:
            return None
        ends_with = text[end - 1]
        cues = [c for c in self._cues(head, end) if not self._is_used(c.start())]
        if not cues:
            return None
        cue = cues[-1]
        middle = text[cue.end():end].rstrip(":,：，").strip()
        if middle and ends_with not in ":,：，" or len(middle.split()) > 8:
            return None
        if ends_with in ",，" and len(middle.split()) > 4:
            return None
        verb_at = self._skip_auxiliaries(head, cue.start())
        found = phrase_before(text, head, verb_at)
        if found is None and middle:
            found = phrase_after(text, cue.end() + 1, end)
        if found is None:
            return None
        return Quote(span.start, span.end, "direct", cue.group().lower(), found, cue.span())

    def _embedded(self, span: MarkSpan) -> bool:
        """Whether the marked words run on inside a sentence of the writer's.

        ``he admitted "politics in this town" meant ...`` and ``technology should be an
        "absolute last precaution," he tells Axios``: the words before the opening mark
        or after the closing one belong to the same clause, so the quoted words are a
        fragment of reported speech, not a quotation of their own.
        """
        text = self.text
        if span.paragraphs > 1 or not span.closed:
            return False
        after = text[span.after:span.after + 40]
        inner = text[span.start:span.end].rstrip()
        if re.match(r"\s+[a-z]", after) and not inner.endswith((",", ".", "!", "?", "—")):
            following = words(text, span.after, span.after + 40)
            if following and not self.lexicon.cue.fullmatch(following[0][2]) and \
                    following[0][2].lower() not in ("he", "she", "they", "it", "i", "we"):
                return True
        start = self.paragraphs[self.paragraph_of(span.open)][0]
        before = text[start:span.open]
        sentence = re.split(r"(?<![A-Z])[.!?:][\"”’]?\s", before)[-1]
        if not re.search(r"[a-z]\s*$", sentence):
            return False
        tokens = words(text, span.open - len(sentence), span.open)
        return len(tokens) >= 2 and not self.lexicon.cue.fullmatch(tokens[-1][2]) and \
            not (len(tokens) >= 2 and self.lexicon.cue.fullmatch(tokens[-2][2]))

    # ------------------------------------------------------------------ indirect
    def indirect_in(self, start: int, end: int, spans: list[MarkSpan]) -> list[Quote]:
        """The indirect (and mixed) quotations of the sentence ``text[start:end]``."""
        text = self.text
        body_end = start + len(_SENTENCE_END.sub("", text[start:end]).rstrip())
        if body_end <= start:
            return []
        found: list[Quote] = []
        for match in self.lexicon.according.finditer(text, start, body_end):
            quote = self._according(match, start, body_end)
            if quote is not None:
                found.append(quote)
                self.used.append(match.span())
        for cue in self._cues(start, body_end):
            if self._is_used(cue.start()) or self._in_span(cue.start(), spans):
                continue
            quote = self._reported(cue, start, body_end)
            if quote is not None:
                found.append(quote)
                self.used.append(cue.span())
        return found

    def _in_span(self, at: int, spans: list[MarkSpan]) -> bool:
        return any(s.start <= at < s.end for s in spans)

    def _clause(self, start: int, end: int) -> tuple[int, int] | None:
        """Trim a reported clause: a leading conjunction or dateline, a trailing "citing ..."."""
        text = self.text
        while start < end and text[start] in " ,:;—–-":
            start += 1
        for pattern in (_DATELINE, _LEADING_CONJUNCTION):
            match = pattern.match(text[start:end])
            if match:
                start += match.end()
        cut = _CLAUSE_CUT.search(text, start, end)
        if cut:
            end = cut.start()
        end = start + len(text[start:end].rstrip(" ,;:—–-"))
        if len(text[start:end].split()) < 3:
            return None
        return start, end

    def _according(self, match: re.Match, start: int, end: int) -> Quote | None:
        text = self.text
        speaker = phrase_after(text, match.end() + 1, end, loose=True)
        if speaker is None:
            return None
        before = text[start:match.start()].strip()
        after_speaker = text[speaker[1]:end]
        rest = re.match(r"[^,;]*", after_speaker)
        resumes = speaker[1] + rest.end()
        if not before:  # "According to X, ..."
            clause = self._clause(resumes, end)
        elif not text[resumes:end].strip(" ,;"):  # "..., according to X."
            clause = self._clause(start, match.start())
        else:  # "A, according to X, B": the whole sentence
            clause = self._clause(start, end)
        if clause is None:
            return None
        return Quote(*clause, "indirect", match.group().lower(), speaker, match.span())

    def _reported(self, cue: re.Match, start: int, end: int) -> Quote | None:
        text = self.text
        word = cue.group().lower()
        before = text[start:cue.start()]
        comma = bool(re.search(r",[”\"’]?\s*$", before))
        verb_at = self._skip_auxiliaries(start, cue.start())
        subject = phrase_before(text, start, verb_at) if not comma else None
        if subject is not None:
            lead = text[start:subject[0]].rstrip()
            if re.search(r",[”\"’]?$", lead) and len(lead.split()) >= 3:
                rest = text[cue.end():end]
                # the clause keeps a closing mark after its comma: ..., "a fragment," X said
                lead_end = start + len(lead) - (0 if lead[-1] in "”\"’" else 1)
                if _is_tail(rest):  # "..., X said (on Monday)."
                    return self._postposed(cue, start, end, subject, lead_end=lead_end)
                if rest.lstrip().startswith(","):  # "A, X said, B" or an apposition
                    return self._postposed(cue, start, end, subject, lead_end=lead_end)
                # "In an interview, X said (that) ...": the lead is an adverbial
        if comma:  # "X, an apposition, says (that) ...": the subject opens the sentence
            subject = phrase_before(text, start, verb_at)
            if subject is not None and not text[start:subject[0]].strip(" -—–•"):
                return self._forward(cue, end, subject)
            subject = None
        if comma and len(before.split()) >= 3:
            speaker = phrase_after(text, cue.end() + 1, end)
            if speaker is not None:
                closing = before.rstrip()
                lead_end = start + len(closing) - (0 if closing[-1] in "”\"’" else 1)
                return self._postposed(cue, start, end, speaker, lead_end=lead_end)
        if word in PARTICIPLES:
            return self._participle(cue, start, end)
        if _NEGATED.search(text[start:verb_at]):
            return None  # "researchers don't say how many": not a report
        if subject is None and _COORDINATED.search(before):
            earlier = [q for q in self.quotes if q.speaker and start <= q.cue_span[0] < cue.start()]
            if earlier:  # "X acknowledged A and insisted B": the same speaker
                return self._forward(cue, end, earlier[-1].speaker)
        if subject is None:
            return None
        return self._forward(cue, end, subject)

    def _postposed(self, cue, start, end, speaker, lead_end) -> Quote | None:
        text = self.text
        tail = text[max(cue.end(), speaker[1]):end]
        after_comma = tail.lstrip()[1:].lstrip() if tail.lstrip().startswith(",") else ""
        medial = after_comma and not _is_tail(tail) and not _opens_apposition(after_comma)
        if medial:  # "The difference, Mr. Warner said, was that ...": the whole sentence
            clause = self._clause(start, end)
        else:
            clause = self._clause(start, lead_end)
        if clause is None:
            return None
        return Quote(*clause, "indirect", cue.group().lower(), speaker, cue.span())

    def _forward(self, cue, end, subject) -> Quote | None:
        """``X said (that) …`` / ``X told Y (that) …``."""
        text = self.text
        word = cue.group().lower()
        at = cue.end()
        skipped = _SKIPPABLE.match(text, at, end)
        if skipped:
            at = skipped.end()
        tokens = words(text, at, end)
        if not tokens:
            return None
        that = next((i for i, t in enumerate(tokens[:4]) if t[2].lower() == "that"), None)
        if that is not None and any(t[2].lower() in _SUBJECT_PRONOUNS for t in tokens[:that]):
            that = None  # "says he supports tech that ...": a relative "that"
        quoted = bool(re.match(r"\s*[“\"«]", text[at:end]))
        if that is not None and not re.search(r"[.;:“”\"]", text[at:tokens[that][0]]):
            begin = tokens[that][1]
        else:
            if re.match(r"\s*[,:;.”]", text[at:end]):
                return None
            if self.lexicon.language == "en" and word not in ZERO_THAT and not quoted and \
                    tokens[0][2].lower() not in _SUBJECT_PRONOUNS:
                return None  # "announced a deal"; but "announced it will ..." is a report
            if word in NOUN_LIKE and not is_pronoun(text[subject[0]:subject[1]]) and \
                    not text[subject[0]].isupper():
                return None
            skip = 0
            if word in ADDRESSEE_VERBS:
                skip = 1
                while skip < len(tokens) and tokens[skip - 1][2][:1].isupper() and \
                        tokens[skip][2][:1].isupper():
                    skip += 1
                if skip < len(tokens) and tokens[skip][2].lower() in ("how", "whether", "if",
                                                                       "why", "what", "when"):
                    pass
                elif tokens[0][2].lower() not in ("him", "her", "them", "me", "us", "reporters",
                                                  "journalists") and not tokens[0][2][:1].isupper():
                    return None
            if skip >= len(tokens) or tokens[skip][2].lower() in _ADVERBIAL:
                return None
            begin = tokens[skip][0]
            if quoted and skip == 0:
                begin = at + len(text[at:end]) - len(text[at:end].lstrip())
        clause = self._clause(begin, self._coordinated_end(begin, end))
        if clause is None:
            return None
        return Quote(*clause, "indirect", word, subject, cue.span())

    def _coordinated_end(self, begin: int, end: int) -> int:
        """Where a reported clause stops for a second report in the same sentence.

        "said A and insisted B" and "told X A, and the military said B" each give two
        quotations: the first clause ends before "and" / ", and".
        """
        text = self.text
        for cue in self._cues(begin, end):
            before = text[begin:cue.start()]
            coordinated = _COORDINATED.search(before)
            if coordinated:
                return begin + coordinated.start()
            joined = re.search(r"(?:,\s*|\s)(?:and|but)\s+[^,;]{1,60}$", before)
            verb_at = self._skip_auxiliaries(begin, cue.start())
            if joined and phrase_before(text, begin + joined.start(), verb_at) is not None:
                return begin + joined.start()
        return end

    def _participle(self, cue, start, end) -> Quote | None:
        """``…, adding that …``: the speaker is the last one named in the sentence."""
        earlier = [q for q in self.quotes if q.speaker and start <= q.speaker[0] < cue.start()]
        if not earlier:
            return None
        tokens = words(self.text, cue.end(), end)
        if not tokens:
            return None
        begin = tokens[1][1] if tokens[0][2].lower() == "that" and len(tokens) > 1 else None
        if tokens[0][2].lower() == "that":
            begin = tokens[0][1]
        elif tokens[0][2].lower() in _ADVERBIAL:
            return None
        else:
            begin = tokens[0][0]
        clause = self._clause(begin, end)
        if clause is None:
            return None
        return Quote(*clause, "indirect", cue.group().lower(), earlier[-1].speaker, cue.span(),
                     inherited=True)

    # ------------------------------------------------------------------ the article
    def read(self) -> list[Quote]:
        """Every quotation of the article, in text order (see the module docstring)."""
        spans = find_mark_spans(self.text)
        direct: dict[int, Quote] = {}
        for index, span in enumerate(spans):
            number = self.paragraph_of(span.open)
            paragraph_start = self.paragraphs[number][0]
            last = self.paragraph_of(max(span.end - 1, span.open))
            paragraph_end = self.paragraphs[last][1]
            quote = self.attribute_after(span, paragraph_end)
            if quote is None:
                quote = self.attribute_before(span, paragraph_start)
            if quote is not None and self._embedded(span):
                quote = None  # words of a reported clause: the clause is mixed (step 2)
            if quote is not None:
                direct[index] = quote
                self.used.append(quote.cue_span)
        self.quotes = sorted(direct.values(), key=lambda q: q.start)
        self.quotes.extend(self._bullets())
        absorbed: set[int] = set()
        for start, end in self.sentences:
            for quote in self.indirect_in(start, end, [spans[i] for i in direct]):
                inside = [i for i, s in enumerate(spans)
                          if i not in direct and quote.start <= s.open and s.close <= quote.end]
                if inside:
                    quote.kind = "mixed"
                    absorbed.update(inside)
                self.quotes.append(quote)
        self.quotes.sort(key=lambda q: q.start)
        self._continue(spans, direct, absorbed)
        return sorted(self.quotes, key=lambda q: (q.start, q.end))

    def _bullets(self) -> list[Quote]:
        """``X said:`` closing a paragraph, then bullet paragraphs: one report per bullet."""
        text, found = self.text, []
        for number, (start, end) in enumerate(self.paragraphs[:-1]):
            line = text[start:end].rstrip()
            if not line.endswith(":"):
                continue
            cues = [c for c in self._cues(start, end) if not self._is_used(c.start())]
            if not cues or text[cues[-1].end():start + len(line)].strip(" :"):
                continue
            cue = cues[-1]
            speaker = phrase_before(text, start, self._skip_auxiliaries(start, cue.start()))
            if speaker is None:
                continue
            for bullet_start, bullet_end in self.paragraphs[number + 1:]:
                marker = _BULLET.match(text, bullet_start, bullet_end)
                if marker is None:
                    break
                clause = self._clause(marker.end(), bullet_start + len(
                    _SENTENCE_END.sub("", text[bullet_start:bullet_end])))
                if clause is not None:
                    found.append(Quote(*clause, "indirect", cue.group().lower(), speaker,
                                       cue.span()))
            if found:
                self.used.append(cue.span())
        return found

    def _continue(self, spans: list[MarkSpan], direct: dict[int, Quote], absorbed: set[int]):
        text = self.text
        for index, span in enumerate(spans):
            if index in direct or index in absorbed:
                continue
            inner = text[span.start:span.end]
            if len(inner.split()) < SENTENCE_WORDS and not re.search(r"[.!?,]\s*$", inner):
                continue  # a scare quote, a title, a name
            if any(q.start <= span.open < q.end for q in self.quotes):
                continue  # inside another quotation
            before = text[self.paragraphs[self.paragraph_of(span.open)][0]:span.open]
            opens_sentence = not before.strip() or re.search(r"[.!?:][\"”’]?\s*$", before)
            if not opens_sentence:
                continue
            earlier = [q for q in self.quotes if q.end <= span.open and q.speaker is not None]
            if not earlier:
                continue
            previous = max(earlier, key=lambda q: q.end)
            if self.paragraph_of(previous.start) < self.paragraph_of(span.open) - 2:
                continue
            same = self.paragraph_of(previous.end) == self.paragraph_of(span.open)
            gap = text[previous.end:span.open]
            split = same and previous.kind == "direct" and previous.cue_span is not None and \
                previous.cue_span[0] < span.open and len(gap.split()) <= 14
            quote = Quote(span.start, span.end, "direct", previous.cue if split else None,
                          previous.speaker, previous.cue_span if split else None, inherited=True)
            self.quotes.append(quote)
            self.quotes.sort(key=lambda q: q.start)


def read_quotes(text: str, sentences: list[tuple[int, int]], language: str | None) -> list[Quote]:
    """The quotations of one article text (see the module docstring).

    Parameters
    ----------
    text : str
        The article text (paragraphs joined by ``\\n``).
    sentences : list of (start, end)
        Its sentences, as :func:`toolkit.text.iter_sentences` gives them.
    language : str or None
        Its language code; picks the cue lexicon.

    Returns
    -------
    list of Quote
    """
    return ArticleReader(text, sentences, language).read()
