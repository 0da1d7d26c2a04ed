"""PrivateKeyRecognizer: PEM blocks (also truncated, one-line and JSON-escaped), PuTTY files, and key
bodies whose header was cut off. The key material below is random bytes behind the real DER prefixes."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_private_key import PrivateKeyRecognizer

from ._support import check_table_row

REC = PrivateKeyRecognizer()
P = "PRIVATE_KEY"

RSA_BODY = ("MIIEpAIBAAKCAQEAUvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaGglfIP\n"
            "k5VlDPk4C47bIkprJIoekk6P0K4uGpSSozBfGIy2EJAPnjR/rohtxlB3lex0XEw/\n"
            "yy6yxz4Uk0yGfuBXunJJm/oSHoNrKsFXJu59awr2qxPDjpLK4NFQV7FZmH+UzHQR\n"
            "1xfxRXmyqhAPu7NPpZP+rtJy")
PKCS8_BODY = ("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQSLdi46tYBfB2Wi\n"
              "ucHX4PN8RJIb0/ZWTq338UKnJmjEfiI9Fu3YxHtGr8W67iYfU7JhUtJjuoOwN81J\n"
              "YuQ0gBJWuIXpyQUfMgsNuD856nrb0NdObex/PfrsyPZGVmZBp7omYPMBH8NXApHF")
EC_BODY = ("MHcCAQEEI3zWdYCaiQPRYml15Hx3ZfP76d3p7TxUkGr9XvUN61LEphAU08/OHXCW\n"
           "wi+oGwodM+qTdF7LYQoRd6CpbxTmIiseAVKI5nM/J/MLaMc490Wa9zTozhH5buwf")
OPENSSH_BODY = ("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n"
                "c2gtZWQyNTUxOQAAACBB8pHeEIxsZr0WHLO77n8WfT5XRQ4Gjp4MlY0e5/85pzXA\n"
                "Hrop1jMpBXVqR7oY8i2wDN64y1vyqJVFs3y+Lhldma+8hW5KCv+IAcml+d3zqcln")
PGP_BODY = ("lQOYBGXQotr1SEP6L1a5XWpldDnhGvT6uCAIYgmhoIE33DGLpsBxswmLCR5nrkej\n"
            "g9TroSHjnvIxhvijw4/MEYKxRmBc48HwuTpEHFTnPmBm4MzsUZzgojOeoHxP7KF4")


def pem(kind: str, body: str, end: bool = True) -> str:
    label = f"{kind} PRIVATE KEY" if kind else "PRIVATE KEY"
    return f"-----BEGIN {label}-----\n{body}\n" + (f"-----END {label}-----\n" if end else "")


POSITIVES = [
    (pem("RSA", RSA_BODY), P, "-----BEGIN RSA PRIVATE KEY-----"),
    (pem("", PKCS8_BODY), P, "-----END PRIVATE KEY-----"),
    (pem("EC", EC_BODY), P, "-----BEGIN EC PRIVATE KEY-----"),
    (pem("OPENSSH", OPENSSH_BODY), P, "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("帮我看看这个 key 为什么 ssh 登不上：\n" + pem("OPENSSH", OPENSSH_BODY), P, "OPENSSH PRIVATE KEY"),
    # truncated: header and the first line only
    (pem("RSA", RSA_BODY.split("\n")[0], end=False) + "（后面省略）", P, "-----BEGIN RSA PRIVATE KEY-----"),
    # pasted into one line
    ("-----BEGIN RSA PRIVATE KEY----- " + RSA_BODY.replace("\n", " ") + " -----END RSA PRIVATE KEY-----", P,
     "-----END RSA PRIVATE KEY-----"),
    # a cloud service-account JSON file with \n escapes
    ('{"type": "service_account", "private_key_id": "4f1c", "private_key": "-----BEGIN PRIVATE KEY-----\\n'
     + PKCS8_BODY.replace("\n", "\\n") + '\\n-----END PRIVATE KEY-----\\n", "client_email": "x@y.iam"}', P,
     "-----BEGIN PRIVATE KEY-----"),
    ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + PKCS8_BODY[60:] + "\n-----END ENCRYPTED PRIVATE KEY-----", P,
     "ENCRYPTED PRIVATE KEY"),
    ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n"
     + RSA_BODY[16:] + "\n-----END RSA PRIVATE KEY-----", P, "-----BEGIN RSA PRIVATE KEY-----"),
    ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + PGP_BODY + "\n=Xq7b\n-----END PGP PRIVATE KEY BLOCK-----", P,
     "PGP PRIVATE KEY BLOCK"),
    ("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key-20240901\nPublic-Lines: 2\n"
     "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\nq2Jx8mK\nPrivate-Lines: 2\n" + RSA_BODY.split("\n")[1] + "\n"
     + RSA_BODY.split("\n")[2] + "\nPrivate-MAC: 7e1c0a2f", P, "PuTTY-User-Key-File-3"),
    # the header was cut off: the DER structure still says "private key"
    ("这是私钥内容：\n" + RSA_BODY, P, "MIIEpAIBAAKCAQEA"),
    ("key body: " + PKCS8_BODY.replace("\n", ""), P, "MIIEvQIBADANBgkqhkiG9w0BAQEFAAS"),
    ("ALIPAY_PRIVATE_KEY=" + EC_BODY.replace("\n", ""), P, "MHcCAQEEI"),
    (OPENSSH_BODY, P, "b3BlbnNzaC1rZXktdjE"),
]

NEGATIVES = [
    "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----",
    "私钥文件以 -----BEGIN PRIVATE KEY----- 开头，千万不要发给别人。",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n"
    "-----END CERTIFICATE-----",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB8pHeEIxsZr0WHLO77n8WfT5XRQ4Gjp4MlY0e5 me@laptop",
    "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * 70 + "\n-----END RSA PRIVATE KEY-----",
    "PuTTY-User-Key-File-2 is the header line of a .ppk file.",
    "Generate a key with `ssh-keygen -t ed25519` and keep the private key file to yourself.",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_private_key_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_private_key(text: str) -> None:
    check_table_row(REC, text, None, None)


def test_block_span_covers_header_to_footer() -> None:
    text = "前言\n" + pem("RSA", RSA_BODY) + "后记"
    best = max(REC.analyze(text), key=lambda r: (r.score, r.end - r.start))
    assert best.score >= 0.9
    assert text[best.start:best.end].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert text[best.start:best.end].endswith("-----END RSA PRIVATE KEY-----")
