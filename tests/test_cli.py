"""`baomi scan` prints the decision JSON contract; `baomi serve` starts a working gateway."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from proxy.bench.servers import free_socket
from proxy.cli import main

REPO = Path(__file__).resolve().parents[1]
MARKED = "机密★5年\n\n南川市国家安全局\n关于加强重点部位防范的通知\n各单位：现就有关事项通知如下。"
PLAIN = "周末一起去爬山吧，天气预报说是晴天。"


@pytest.fixture
def scan(capsys, engine, monkeypatch):
    monkeypatch.setattr("proxy.app.default_engine", lambda: engine)  # one engine per test session

    def run(*args: str) -> tuple[int, str]:
        code = main(["scan", *args, "--policy", str(REPO / "policies/default.yaml")])
        return code, capsys.readouterr().out
    return run


def test_scan_text_file(tmp_path, scan):
    f = tmp_path / "doc.txt"
    f.write_text(MARKED, encoding="utf-8")
    code, out = scan(str(f))
    [line] = out.splitlines()
    d = json.loads(line)
    assert list(d)[:5] == ["id", "action", "categories", "findings", "redacted"]
    assert d["id"] == str(f) and d["action"] == "block" and d["categories"] == ["secret_marking"]
    assert d["redacted"] is None
    f0 = d["findings"][0]
    assert MARKED[f0["start"]:f0["end"]].startswith("机密") and 0 < f0["score"] <= 1


def test_scan_documents_and_images(tmp_path, scan):
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("关于调整考核办法的通知")
    d.sections[0].footer.paragraphs[0].text = "内部资料 注意保存"
    buf = io.BytesIO()
    d.save(buf)
    f = tmp_path / "通知.docx"
    f.write_bytes(buf.getvalue())
    code, out = scan(str(f), "--exit-code")
    result = json.loads(out)
    assert code == 1 and result["action"] == "block"
    assert any(fd["where"] == "file#footer1" for fd in result["findings"])
    assert {s["where"] for s in result["sources"]} >= {"file#body", "file#footer1"}

    page = REPO.parent / "shared" / "corpus" / "images" / "dev_img_04.png"  # a public notice
    code, out = scan(str(page), "--exit-code")
    assert code == 0 and json.loads(out)["action"] == "allow"

    junk = tmp_path / "blob.bin"
    junk.write_bytes(os.urandom(4096))
    code, out = scan(str(junk), "--explain")
    assert "BLOCK" in out and "not_inspectable" in out


def test_scan_jsonl_offsets_are_code_points(tmp_path, scan):
    # invisible characters and emoji before the marking: offsets count code points of the original
    tricky = "😀 草稿\n\u200b" + "秘\u200b密★1年\n关于调整经费的请示"
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"id": "a", "text": PLAIN}, {"id": "b", "text": tricky}]) + "\n", encoding="utf-8")
    code, out = scan("--jsonl", str(f), "--exit-code")
    a, b = (json.loads(x) for x in out.splitlines())
    assert (a["id"], a["action"], a["findings"]) == ("a", "allow", [])
    assert b["id"] == "b" and b["action"] == "block" and code == 1
    span = tricky[b["findings"][0]["start"]:b["findings"][0]["end"]]
    assert span.startswith("秘") and "密" in span


def test_scan_explain(tmp_path, scan):
    f = tmp_path / "doc.txt"
    f.write_text(MARKED, encoding="utf-8")
    code, out = scan("--explain", str(f))
    assert "BLOCK" in out and "categories.secret_marking" in out and "1:1" in out


def test_scan_bad_jsonl_line(tmp_path, scan):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": 1, "text": "ok"}\nnot json\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"in.jsonl:2"):
        scan("--jsonl", str(f))


def test_serve_end_to_end(tmp_path, double, upstream_log):
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    env = {**os.environ, "BAOMI_UPSTREAM_API_KEY": "sk-from-env"}
    proc = subprocess.Popen([sys.executable, "-m", "proxy", "serve", "--port", str(port), "--upstream",
                             double.url + "/v1", "--data-dir", str(tmp_path)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url + "/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
            time.sleep(0.2)
        r = httpx.post(url + "/v1/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": PLAIN}]})
        assert r.status_code == 200
        assert upstream_log.requests[-1].headers["authorization"] == "Bearer sk-from-env"
        r = httpx.post(url + "/v1/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": MARKED}]})
        assert r.status_code == 403
        assert (tmp_path / "baomi.db").exists()
    finally:
        proc.terminate()
        proc.wait(20)
