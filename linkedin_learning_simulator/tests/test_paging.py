"""Paging: start/count/total, next links in the contract's shape, last page, start beyond total."""
from urllib.parse import parse_qsl, urlsplit

from .conftest import REPORTS, recent_start, window_params


def test_pages_walk_the_whole_window(client, simulator):
    params = window_params(recent_start(simulator, 12), 7, "INDIVIDUAL", "CONTENT", count=10, referer="x")
    params.pop("referer")
    full = simulator.report("INDIVIDUAL", "CONTENT", started_at=int(params["startedAt"]), duration=7)
    total = len(full)
    assert total > 25
    seen, start = [], 0
    while True:
        body = client.get(dict(params, start=str(start))).json()
        paging = body["paging"]
        assert paging["start"] == start and paging["total"] == total
        assert paging["count"] == len(body["elements"]) == min(10, total - start)
        seen += body["elements"]
        if start + 10 >= total:
            assert paging["links"] == []  # last page: no next
            break
        (link,) = paging["links"]
        assert link["rel"] == "next" and link["type"] == "application/json"
        url = urlsplit(link["href"])
        assert url.path == REPORTS
        names = [k for k, _ in parse_qsl(url.query)]
        assert names == sorted(names)  # params sorted by name, like the contract's example href
        assert dict(parse_qsl(url.query)) == dict(params, start=str(start + 10))
        start += 10
    assert seen == full


def test_following_next_links(client, simulator):
    params = window_params(recent_start(simulator, 12), 7, "INDIVIDUAL", count=3)
    assert client.all_pages(params) == simulator.report("INDIVIDUAL", started_at=int(params["startedAt"]), duration=7)


def test_default_count_is_ten(client, simulator):
    body = client.get(window_params(recent_start(simulator, 12), 7, "INDIVIDUAL")).json()
    assert body["paging"]["count"] == 10 and len(body["elements"]) == 10
    assert "count=10" in body["paging"]["links"][0]["href"]


def test_start_beyond_total(client, simulator):
    params = window_params(recent_start(simulator, 12), 7, "CONTENT")
    total = client.get(params).json()["paging"]["total"]
    body = client.get(dict(params, start=str(total + 5))).json()
    assert body["elements"] == [] and body["paging"]["total"] == total
    assert body["paging"]["count"] == 0 and body["paging"]["links"] == []


def test_empty_window(client, simulator):
    body = client.get(window_params(simulator.watermark_ms + 1, 3, "ACCOUNT")).json()
    assert body == {"elements": [], "paging": {"start": 0, "count": 0, "total": 0, "links": []}}


def test_repeated_reads_are_identical(client, simulator):
    params = window_params(recent_start(simulator, 12), 7, "INDIVIDUAL", "CONTENT", count=100)
    assert client.get(params).content == client.get(params).content
