"""Tests for toolkit.ingest.cache: keys, namespaces, size limit, clearing."""

from __future__ import annotations

import pytest

from toolkit import __version__
from toolkit.ingest.cache import Cache, cache_dir, cache_info, clear_cache, content_hash, make_key


@pytest.fixture()
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TOOLKIT_CACHE_MAX_BYTES", raising=False)
    return tmp_path / "cache"


def test_cache_dir_follows_the_environment(cache_home, monkeypatch):
    assert cache_dir() == cache_home
    monkeypatch.delenv("TOOLKIT_CACHE_DIR")
    assert cache_dir().parts[-2:] == (".cache", "toolkit")


def test_keys_depend_on_every_part():
    base = make_key(content_hash("text"), "spacy", "en_core_web_sm", "3.8.0", {"a": 1})
    assert base == make_key(content_hash("text"), "spacy", "en_core_web_sm", "3.8.0", {"a": 1})
    assert base != make_key(content_hash("text!"), "spacy", "en_core_web_sm", "3.8.0", {"a": 1})
    assert base != make_key(content_hash("text"), "spacy", "en_core_web_sm", "3.8.1", {"a": 1})
    assert base != make_key(content_hash("text"), "spacy", "en_core_web_sm", "3.8.0", {"a": 2})
    assert len(base) == 64 and __version__


def test_put_get_and_namespaces(cache_home):
    entities = Cache("entities")
    other = Cache("other")
    assert entities.get_many(["k1"]) == {}
    entities.put_many({"k1": [(0, 5, "GPE")], "k2": []})
    other.put("k1", "another value")
    assert entities.get_many(["k1", "k2", "k3"]) == {"k1": [(0, 5, "GPE")], "k2": []}
    assert other.get("k1") == "another value"
    assert entities.get("missing", default="d") == "d"
    info = cache_info()
    assert info["entries"] == 3
    assert info["namespaces"]["entities"]["entries"] == 2
    assert info["path"].startswith(str(cache_home))
    assert clear_cache("other") == 1
    assert other.get("k1") is None and entities.get("k2") == []
    assert clear_cache() == 2
    assert cache_info()["entries"] == 0


def test_size_limit_evicts_the_oldest(cache_home):
    store = Cache("entities", max_bytes=3000)
    for index in range(10):
        store.put(f"k{index}", "x" * 1000)
    info = cache_info()
    assert info["bytes"] <= 3000
    kept = store.get_many(f"k{index}" for index in range(10))
    assert "k9" in kept and "k0" not in kept


def test_bad_arguments(cache_home, monkeypatch):
    with pytest.raises(ValueError, match="namespace"):
        Cache("")
    monkeypatch.setenv("TOOLKIT_CACHE_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="TOOLKIT_CACHE_MAX_BYTES"):
        Cache("entities")


def test_info_and_clear_without_a_cache_file(cache_home):
    assert cache_info()["entries"] == 0
    assert clear_cache() == 0
    assert not cache_home.exists()


def test_clearing_an_unknown_namespace_is_an_error_naming_the_valid_ones(cache_home, capsys):
    from toolkit.cli import main

    Cache("mine").put("k", 1)
    with pytest.raises(ValueError, match="unknown cache namespace 'bogus'; valid: entities, "
                                         "extraction, mine"):
        clear_cache("bogus")
    assert clear_cache("extraction") == 0 and clear_cache("mine") == 1
    assert main(["cache", "clear", "bogus"]) == 2
    assert "unknown cache namespace 'bogus'" in capsys.readouterr().err
