"""read_articles and extract_entities on a stock Dask LocalCluster give the local results.

The cluster is a default ``LocalCluster``: its worker processes are daemonic, and the
per-page time limit still holds on them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pageserver import html_page
from toolkit.entities import extract_entities
from toolkit.ingest.read import read_articles

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    # as a user has it: default settings, daemonic workers (only the dashboard port is free)
    with distributed.LocalCluster(n_workers=2, dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture
def corpus(tmp_path, seed_path, seed_expected):
    body = seed_expected["body_paragraphs"]
    for i in range(9):
        (tmp_path / f"page{i}.html").write_text(
            html_page(f"G20 security briefing {i}", body[i : i + 3]), encoding="utf-8"
        )
    (tmp_path / "copy.html").write_text(html_page("Syndicated", ["By wire."] + body))
    (tmp_path / "original.html").write_text(html_page("Original", body))
    (tmp_path / "huge.html").write_bytes(b"<p>x</p>" * 800_000)
    (tmp_path / "empty.html").write_bytes(b"")
    slow = b"<html><body><table>" + b"<tr><td>cell text here and more</td><td>x</td></tr>" * 60_000
    (tmp_path / "slow.html").write_bytes(slow + b"</table></body></html>")
    return [tmp_path, seed_path, tmp_path / "missing.html"]


def test_read_articles_on_the_cluster_equals_the_local_run(client, corpus):
    kwargs = {"timeout": 3.0, "max_bytes": 5_000_000, "progress": False}
    local = read_articles(corpus, workers=2, **kwargs)
    remote = read_articles(corpus, scheduler=client, **kwargs)
    pd.testing.assert_frame_equal(local.drop(columns="retrieved"), remote.drop(columns="retrieved"))
    statuses = remote.set_index(remote["source_uri"].str.rsplit("/", n=1).str[-1])["status"]
    assert statuses["slow.html"] == "timeout"  # the per-page time limit holds on the cluster
    assert statuses["huge.html"] == "too_large"  # and so does the size cap
    assert statuses["missing.html"] == "error"
    assert statuses["copy.html"] == "duplicate" or statuses["original.html"] == "duplicate"
    assert len(remote) == 16


def test_extract_entities_on_the_cluster_equals_the_local_run(client, seed_articles):
    articles = pd.concat([seed_articles] * 3, ignore_index=True).assign(
        article_id=["a", "b", "c"],
        text=[
            seed_articles["text"][0],
            seed_articles["text"][0][:900],
            seed_articles["text"][0][900:],
        ],
    )
    local = extract_entities(articles, progress=False)
    remote = extract_entities(articles, progress=False, scheduler=client)
    pd.testing.assert_frame_equal(local, remote)
    assert remote.attrs["model"] == local.attrs["model"]
    assert (remote["entity"] == "Hou Le").sum() >= 3


def test_the_workers_are_daemonic_and_still_enforce_the_time_limit(client, tmp_path):
    def daemonic():
        import multiprocessing

        return multiprocessing.current_process().daemon

    assert all(client.run(daemonic).values())  # the default that refused the work before
    slow = b"<html><body><table>" + b"<tr><td>cell text here and more</td></tr>" * 60_000
    (tmp_path / "slow.html").write_bytes(slow + b"</table></body></html>")
    articles = read_articles([tmp_path], scheduler=client, timeout=1.0, progress=False)
    assert articles.loc[0, "status"] == "timeout"
    assert "1 s time limit" in articles.loc[0, "error"]


def test_bad_scheduler_argument(seed_path):
    with pytest.raises(ValueError, match="scheduler"):
        read_articles([seed_path], scheduler=42, progress=False)


def test_a_cluster_object_or_an_address_serves_and_the_client_made_for_it_is_closed(
    client, seed_path
):
    local = read_articles([seed_path], progress=False)
    for scheduler in (client.cluster, client.scheduler.address):
        remote = read_articles([seed_path], scheduler=scheduler, progress=False)
        pd.testing.assert_frame_equal(
            local.drop(columns="retrieved"), remote.drop(columns="retrieved")
        )
        # a client left open would have become the default one (and would outlive the cluster)
        assert distributed.default_client() is client
