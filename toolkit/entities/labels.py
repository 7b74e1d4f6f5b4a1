"""Entity labels: the names the backends give, and the labels a user may ask for.

In: labels as a user writes them (any case, spaCy's or NLTK's names, ``PLACE``).
Out: the labels as mentions carry them, or a ``ValueError`` naming the valid
ones. Recognition, co-occurrence, evidence and the plots share this, so asking
for ``"person"`` means the same everywhere and importing it loads no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.resources import warn_once

#: Labels kept by default: names, not dates, numbers or amounts.
NAMED_LABELS: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
)

#: The binary NLTK chunker's only label.
BINARY_LABEL = "NE"

#: Typed NLTK chunker labels -> spaCy's.
NLTK_LABELS: dict[str, str] = {
    "PERSON": "PERSON",
    "ORGANIZATION": "ORG",
    "GPE": "GPE",
    "GSP": "GPE",
    "LOCATION": "LOC",
    "FACILITY": "FAC",
    "NE": BINARY_LABEL,
}

#: Label schemes whose mentions may carry the generic ``NE`` (the binary NLTK chunker,
#: alone or typed by the gazetteers).
UNTYPED_SCHEMES = frozenset({"binary", "gazetteer"})

PLACE_LABEL = "PLACE"

PLACES = frozenset({"GPE", "LOC"})

#: The labels of spaCy's English pipelines (OntoNotes 5).
SPACY_LABELS: tuple[str, ...] = (
    "CARDINAL",
    "DATE",
    "EVENT",
    "FAC",
    "GPE",
    "LANGUAGE",
    "LAW",
    "LOC",
    "MONEY",
    "NORP",
    "ORDINAL",
    "ORG",
    "PERCENT",
    "PERSON",
    "PRODUCT",
    "QUANTITY",
    "TIME",
    "WORK_OF_ART",
)

def resolve_labels(
    labels: Sequence[str] | str | None, *, extra: Iterable[str] = (), strict: bool = True
) -> tuple[str, ...] | None:
    """Return ``labels`` spelled as mentions carry them.

    The known labels are spaCy's (:data:`SPACY_LABELS`), ``PLACE`` (GPE and
    LOC), the binary NLTK chunker's ``NE``, and ``extra`` (the labels of the
    mentions, or of a pipeline's NER). A label matches whatever its case when
    only one known label does ("person" -> "PERSON"), and NLTK's typed names
    stand for spaCy's ("ORGANIZATION" -> "ORG").

    Parameters
    ----------
    labels : str, sequence of str or None
        The labels asked for; None means every label (returned as None).
    extra : iterable of str
        Labels valid besides the known ones.
    strict : bool
        Raise for a label that is not known; when False (the labels of the
        data cannot be seen) it is kept as written.

    Returns
    -------
    tuple of str or None

    Raises
    ------
    ValueError
        For a label that is not a non-empty str, or (``strict``) that is
        neither known nor in ``extra``; the message names the valid labels.
    """
    if labels is None:
        return None
    labels = (labels,) if isinstance(labels, str) else tuple(labels)
    bad = [x for x in labels if not isinstance(x, str) or not x]
    if bad:
        raise ValueError(f"labels must be non-empty strings, got {bad}")
    extra = [x for x in extra if isinstance(x, str)]
    valid = dict.fromkeys([*extra, *SPACY_LABELS, PLACE_LABEL, BINARY_LABEL])
    by_case: dict[str, list[str]] = {}
    for name in valid:
        by_case.setdefault(name.casefold(), []).append(name)
    out, unknown = [], []
    for label in labels:
        matches = by_case.get(label.casefold(), [])
        if label in valid:
            out.append(label)
        elif len(matches) == 1:
            out.append(matches[0])
        elif label.upper() in NLTK_LABELS:
            out.append(NLTK_LABELS[label.upper()])
        elif strict:
            unknown.append(label)
        else:
            out.append(label)
    if unknown:
        raise ValueError(
            f"unknown label(s) {unknown}; valid labels are {sorted(valid)} "
            f"({PLACE_LABEL!r} stands for GPE and LOC, {BINARY_LABEL!r} is NLTK's untyped label)"
        )
    return tuple(dict.fromkeys(out))

def wanted_labels(
    labels: tuple[str, ...] | None, scheme: str, merge_places: bool
) -> frozenset[str]:
    """The labels the output keeps (before GPE/LOC become PLACE)."""
    wanted = set(NAMED_LABELS if labels is None else labels)
    if PLACE_LABEL in wanted:
        wanted |= PLACES
    if merge_places and wanted & PLACES:
        wanted |= PLACES
    if scheme in UNTYPED_SCHEMES:
        if labels is not None and BINARY_LABEL not in wanted:
            warn_once(
                "entities:binary-labels",
                f"the binary NLTK chunker labels {BINARY_LABEL!r} every entity the "
                f"gazetteers do not type: labels={list(labels)} leaves them out; add "
                f"{BINARY_LABEL!r} to keep them",
            )
        if labels is None:
            wanted.add(BINARY_LABEL)
    return frozenset(wanted)
