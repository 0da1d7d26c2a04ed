"""EnClassificationRecognizer: English banners, portion marks and self-declarations; mentions not."""
from __future__ import annotations

import pytest

from ._support import check_table_row, recognizer

C, I = "EN_CLASSIFICATION_MARKING", "EN_INTERNAL_MARKING"

MARKINGS = [
    ("//FOUO//\nVISITOR SECURITY PLAN – EXPO 2024\nMotorcade route: …", I, "FOUO"),
    ("INTERNAL USE ONLY – DO NOT DISTRIBUTE\nDraft findings of the inspection team", I, "INTERNAL USE ONLY"),
    ("CONFIDENTIAL – 5 YEARS\nUniversity Party Committee\nMinutes of the 14th meeting", C, "CONFIDENTIAL"),
    ("TOP SECRET//SCI//NOFORN\nSUBJECT: Harbour\nBody.\nTOP SECRET//SCI//NOFORN", C, "TOP SECRET//SCI//NOFORN"),
    ("SECRET//REL TO USA, FVEY\nSUBJECT: Port access", C, "SECRET//REL TO USA, FVEY"),
    ("COMPANY CONFIDENTIAL\nQ3 restructuring plan: close two plants.", I, "COMPANY CONFIDENTIAL"),
    ("OFFICIAL-SENSITIVE\nRisk register – council procurement", I, "OFFICIAL-SENSITIVE"),
    ("RESTRICTED\n\nOperation order annex B", C, "RESTRICTED"),
    ("CUI\nContract pricing worksheet, FY2025", I, "CUI"),
    ("(TS//SI//NF) The intercept indicates a change of schedule.", C, "(TS//SI//NF)"),
    ("(S) The convoy leaves at 0400.\n(U) Weather is fair.\n(S) Route B is closed.", C, "(S)"),
    ("(U//FOUO) Staff roster attached.", I, "(U//FOUO)"),
    ("Classification: SECRET\nSubject: Exercise schedule", C, "Classification: SECRET"),
    ("Sensitivity: Internal\nHi team, the layoff list is attached.", I, "Sensitivity: Internal"),
    ("This document is classified SECRET and must not leave the building.", C, "This document is classified SECRET"),
    ("CONFIDENTIAL MEMORANDUM\nTo: the Board", C, "CONFIDENTIAL"),
]

MENTIONS = [
    "Keep this secret between us – I'm planning a surprise party.",
    "Topics: the CIA triad (confidentiality, integrity, availability), risk assessment.",
    "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
    "const CLIENT_SECRET = process.env.CLIENT_SECRET || '';",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: oa-db-secret",
    "Documents marked SECRET must be stored in an approved container.",
    "The envelope was stamped CONFIDENTIAL in red ink.",
    "This training covers how TOP SECRET and SECRET information must be stored.",
    "Classification levels: TOP SECRET, SECRET, CONFIDENTIAL.",
    "China's law sets out three levels: top secret, secret and confidential.",
    "Secret Santa gift exchange on Friday!",
    "Victoria's Secret annual report",
    "TOP SECRET RECIPES FROM GRANDMA'S KITCHEN",
    "RESTRICTED AREA – AUTHORIZED PERSONNEL ONLY",
    "(A) one option\n(B) another\n(C) a third",
    "The Official Secrets Act 1989 protects information relating to security.",
    "Level\nTOP SECRET\nSECRET\nCONFIDENTIAL",
    "## CONFIDENTIAL\nThe CONFIDENTIAL level applies to information whose disclosure could cause damage.",
    "The box had one word on it:\nSECRET\nHe opened it slowly.",
    "class Level(Enum):\n    SECRET = 2\n    CONFIDENTIAL = 1",
    "CUI XIAOMING, passport holder",
    "Private & Confidential\nDear Dr Brown, I am pleased to recommend Ms Li.",
]


@pytest.mark.parametrize("text,entity,span", MARKINGS)
def test_marking_found(text: str, entity: str, span: str) -> None:
    check_table_row(recognizer("EnClassificationRecognizer"), text, entity, span)


@pytest.mark.parametrize("text", MENTIONS)
def test_mention_not_reported(text: str) -> None:
    check_table_row(recognizer("EnClassificationRecognizer"), text, None, None)
