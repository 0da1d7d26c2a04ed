"""BAOMI_OCR_ROUTES parsing and upstream URL building."""
from __future__ import annotations

import pytest

from proxy.errors import BadRequest
from proxy.wire.ocr_routes import Route, RouteConfigError, RoutePathError, parse_routes, target_url


def test_parse_routes() -> None:
    routes = parse_routes(" baidu = baidu@https://aip.baidubce.com/ ;tencent=tencent@https://ocr.tencentcloudapi.com"
                          "\npaddle_1=generic@http://10.0.0.9:8866/api;\n\n")
    assert routes == {
        "baidu": Route("baidu", "baidu", "https://aip.baidubce.com"),
        "tencent": Route("tencent", "tencent", "https://ocr.tencentcloudapi.com"),
        "paddle_1": Route("paddle_1", "generic", "http://10.0.0.9:8866/api"),
    }
    assert parse_routes("") == {} and parse_routes(" ; \n") == {}


@pytest.mark.parametrize("spec, message", [
    ("baidu", "expected name=profile@base_url"),
    ("baidu=baidu", "expected name=profile@base_url"),
    ("Baidu=baidu@https://a.b", "must match"),
    ("a/b=baidu@https://a.b", "must match"),
    ("x=baidu@https://a.b;x=generic@https://c.d", "defined twice"),
    ("x=google@https://a.b", "unknown profile 'google'"),
    ("x=generic@ftp://a.b", "http:// or https://"),
    ("x=generic@https://", "http:// or https://"),
    ("x=generic@a.b/api", "http:// or https://"),
    ("x=generic@https://a.b/api?key=1", "'?'"),
    ("x=generic@https://a.b/api#frag", "'#'"),
    ("x=generic@https://a.b:99999", "cannot be parsed"),
    ("x=generic@https://a b", "spaces"),
])
def test_bad_routes(spec: str, message: str) -> None:
    with pytest.raises(RouteConfigError) as e:
        parse_routes(spec)
    assert message in str(e.value)


def test_credentials_in_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(RouteConfigError) as e:
        parse_routes("ok=generic@https://a.b;x=generic@https://user:hunter2@a.b/api")
    assert "entry 2 (x)" in str(e.value) and "hunter2" not in str(e.value)


def test_target_url() -> None:
    paddle = Route("paddle", "generic", "http://10.0.0.9:8866/api")
    assert target_url(paddle, "/predict/ocr_system", "x=1&y=%E4%B8%AD") == \
        "http://10.0.0.9:8866/api/predict/ocr_system?x=1&y=%E4%B8%AD"
    assert target_url(paddle, "predict/a%20b.png", "") == "http://10.0.0.9:8866/api/predict/a%20b.png"
    assert target_url(paddle, "", "") == "http://10.0.0.9:8866/api/"
    baidu = Route("baidu", "baidu", "https://aip.baidubce.com")
    assert target_url(baidu, "/rest/2.0/ocr/v1/general_basic", "access_token=24.abc") == \
        "https://aip.baidubce.com/rest/2.0/ocr/v1/general_basic?access_token=24.abc"
    assert target_url(baidu, "//evil.example/x", "").startswith("https://aip.baidubce.com/")


@pytest.mark.parametrize("rest, query", [
    ("/../admin", ""), ("/a/./b", ""), ("/a/%2e%2E/b", ""), ("/a/%252e%252e/b", ""), ("/a%2fb", ""),
    ("/a%5cb", ""), ("/a\\b", ""), ("/a b", ""), ("/a%00b", ""), ("/a%0d%0aX-Injected: 1", ""),
    ("/a", "x=1\r\nHost: evil"), ("/a", "x=1#frag"), ("/a", "x=a b"),
])
def test_target_url_refuses_escapes(rest: str, query: str) -> None:
    with pytest.raises(RoutePathError) as e:
        target_url(Route("r", "generic", "https://a.b/api"), rest, query)
    assert isinstance(e.value, BadRequest) and e.value.status == 400
