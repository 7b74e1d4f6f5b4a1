"""The pages progress bar of an ingest: its total as soon as it is known, the mean rate.

The documents are listed lazily, so the number of pages is not known when the
bar starts. Listing local files and URLs is cheap (a document then holds a path
or a URL, not its bytes), so the bar lists up to :data:`LOOKAHEAD` of them ahead
of the workers: for most corpora the total is known from the start. Otherwise it
is set the moment the last document has been listed.

The rate is the mean over the whole run (tqdm's ``smoothing=0``): five pages read
in two seconds show 2.5 pages/s, not the rate of the last page after a wait.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from tqdm.auto import tqdm

from toolkit.sources.document import Document

#: Documents listed ahead of the workers to know the total (each a path or a URL).
LOOKAHEAD = 10_000


def _light(doc: Document) -> bool:
    """Whether keeping ``doc`` in memory costs nothing (no page bytes, no record)."""
    return doc.content is None and doc.record is None


class PagesBar:
    """A tqdm bar over the documents of an ingest, with a total once it is known.

    Parameters
    ----------
    documents : iterable of Document
        Listed lazily; up to :data:`LOOKAHEAD` light documents are listed at once.
    progress : bool
        Show the bar.
    """

    def __init__(self, documents: Iterable[Document], *, progress: bool = True) -> None:
        documents = iter(documents)
        ahead: list[Document] = []
        complete = True
        for doc in documents:
            ahead.append(doc)
            if not _light(doc) or len(ahead) >= LOOKAHEAD:
                complete = False
                break
        self._documents = itertools.chain(ahead, documents)
        self.listed = 0
        self.bar = tqdm(
            total=len(ahead) if complete else None,
            desc="pages",
            unit="page",
            smoothing=0,
            disable=not progress,
        )

    def documents(self) -> Iterator[Document]:
        """The documents, in order; the bar's total is set when the last one is listed."""
        for doc in self._documents:
            self.listed += 1
            yield doc
        if self.bar.total != self.listed:
            self.bar.total = self.listed
            self.bar.refresh()

    def update(self) -> None:
        """One more page done."""
        self.bar.update()

    def close(self) -> None:
        self.bar.close()
