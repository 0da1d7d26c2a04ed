"""JwtRecognizer: three (or five) base64url parts whose header decodes to JSON with "alg"."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_jwt import JwtRecognizer

from ._support import check_table_row

REC = JwtRecognizer()
J = "JWT"
HEAD = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0"  # {"alg":"RS256","typ":"JWT","kid":"k1"}
BODY = ("eyJpc3MiOiJodHRwczovL3Nzby5leGFtcGxlLmNuIiwic3ViIjoiMjAxOTAzNDUiLCJleHAiOjE3NjcyMjU2MDAsInJvbGVzIjpbImFkbWl"
        "uIl19")
SIG = "Jm3kQ9vX2bLz7pR4tW8nC1yF6hD0sG5aE_u-oK3iM9qV7xZ2cB4nL8wT1rY6eH0j"
TOKEN = f"{HEAD}.{BODY}.{SIG}"
JWE = ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03J"
       "GeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdY"
       "wam_lDp5.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaB"
       "tQD_A.XFBoMYUZod"
       "etZdvTiFvSkQ")

POSITIVES = [
    (f"Authorization: Bearer {TOKEN}", J, TOKEN),
    (f'curl -H "Authorization: Bearer {TOKEN}" https://oa.example.cn/api/v2/export', J, TOKEN),
    (f"帮我解析一下这个 token：{TOKEN} 里面的过期时间", J, TOKEN),
    (f"localStorage.setItem('access_token', '{TOKEN}');", J, TOKEN),
    (f"Cookie: session={TOKEN}; theme=dark", J, TOKEN),
    # the payload of a token need not decode (encrypted or opaque claims)
    ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.NfiglJ5m7yyPhcothuTUjVBIPrDKjawz4MOuXM-Yi5b.aBEUeCHSveOr7tjyhsdatocn1d6",
     J, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"),
    (f"id_token={JWE}", J, JWE[:60]),
]

NEGATIVES = [
    "eyJhbGciOiJIUzI1NiJ9 is the base64 of a JWT header",
    "JWTs have three parts: header.payload.signature",
    # header does not decode to an object with "alg"
    "eyJmb28iOiJiYXIiLCJiYXoiOjF9.eyJmb28iOiJiYXIiLCJiYXoiOjF9.Jm3kQ9vX2bLz7pR4tW8nC1yF6hD0sG5aE",
    "eyJ0eXAiOiJKV1QifQ.eyJmb28iOiJiYXIiLCJiYXoiOjF9.Jm3kQ9vX2bLz7pR4tW8nC1yF6hD0sG5aE",
    # jwt.io's documentation example (scored below the threshold)
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "token = 'eyJhbGciOi...'",
    "const token = localStorage.getItem('access_token');",
    "version: 1.2.3",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_jwt_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_jwt(text: str) -> None:
    check_table_row(REC, text, None, None)


def test_signed_token_scores_high_and_unsigned_lower() -> None:
    [r] = REC.analyze(TOKEN)
    assert r.score >= 0.9 and (r.start, r.end) == (0, len(TOKEN))
    unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + BODY + "."
    [u] = REC.analyze(unsigned)
    assert 0.5 <= u.score < 0.9


def test_why_never_contains_the_token() -> None:
    [r] = REC.analyze(f"Bearer {TOKEN}")
    why = r.recognition_metadata["why"]
    assert why and SIG[:8] not in why and HEAD[:8] not in why
