"""The gazetteer is kept in the on-disk cache as data (the cache refuses objects)."""

from __future__ import annotations

from toolkit.entities import gazetteers
from toolkit.ingest.cache import Cache, cache_info


def test_the_gazetteer_is_cached_as_data_and_comes_back_equal(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path))
    gazetteers.gazetteer.cache_clear()
    try:
        built = gazetteers.gazetteer()
        assert cache_info()["namespaces"]["gazetteers"]["entries"] == 1
        gazetteers.gazetteer.cache_clear()
        monkeypatch.setattr(gazetteers, "build_gazetteer", lambda: (_ for _ in ()).throw(
            AssertionError("built again although it is cached")))
        assert gazetteers.gazetteer() == built
        (stored,) = Cache(gazetteers.CACHE_NAMESPACE).get_many(_keys(tmp_path)).values()
        assert isinstance(stored, dict) and "Amy" in stored["given_names"]
    finally:
        gazetteers.gazetteer.cache_clear()


def _keys(folder):
    import sqlite3

    path = folder / "cache.sqlite3"
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute(
            "SELECT key FROM entries WHERE namespace = ?", (gazetteers.CACHE_NAMESPACE,))]
