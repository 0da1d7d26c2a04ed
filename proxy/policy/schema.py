"""Policy file schema (pydantic). Unknown keys are errors, so a typo can never loosen enforcement.

One file is a :class:`PolicyFile`; several files merge (``proxy.policy.merge``) into one :class:`Policy` whose
cross-references (a rule for a category nobody produces, a recognizer whose findings no rule covers) are
checked after the merge. ``baomi policy schema`` prints the JSON Schema of :class:`PolicyFile` for editors.
"""
from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

ActionName = Literal["allow", "redact", "hold", "block"]

#: categories produced by baomi's own recognizers and scorers
BUILTIN_CATEGORIES = ("secret_marking", "internal_marking", "official_document", "nonpublic_content",
                      "credential", "personal_data")
#: entities produced by baomi's own recognizers and scorers (tests check this against the engine)
BUILTIN_ENTITIES = {
    "CN_CLASSIFICATION_MARKING": "secret_marking", "EN_CLASSIFICATION_MARKING": "secret_marking",
    "CN_INTERNAL_MARKING": "internal_marking", "EN_INTERNAL_MARKING": "internal_marking",
    "CN_OFFICIAL_STRUCTURE": "official_document", "CN_OFFICIAL_DOCUMENT": "official_document",
    "CN_NONPUBLIC_CONTENT": "nonpublic_content",
    "API_KEY": "credential", "ACCESS_KEY_ID": "credential", "ACCESS_KEY_SECRET": "credential",
    "SECRET": "credential", "PASSWORD": "credential", "PRIVATE_KEY": "credential", "JWT": "credential",
    "CONNECTION_STRING_PASSWORD": "credential",
    "CN_ID_NUMBER": "personal_data", "PHONE_NUMBER": "personal_data", "BANK_CARD": "personal_data",
    "EMAIL_ADDRESS": "personal_data", "PERSON_NAME": "personal_data", "ADDRESS": "personal_data",
}
#: fields a message template may use
MESSAGE_FIELDS = {"categories", "category_codes", "incident", "ticket"}

_NAME = r"^[a-z][a-z0-9_]{0,47}$"
_ENTITY = r"^[A-Z][A-Z0-9_]{0,47}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """What to do when a finding of this category/entity scores at least ``threshold``."""

    action: ActionName = Field(description="allow, redact (pseudonymise and restore), hold (keep for review) "
                                           "or block")
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="lowest score (0..1) that triggers the action")


def _phrase(p: str) -> str:
    if not p.strip():
        raise ValueError("empty phrase (it would match everywhere) / 空短语会匹配一切")
    return p


def _regex(p: str) -> str:
    import regex

    try:
        rx = regex.compile(p)
    except regex.error as exc:
        raise ValueError(f"regex {p!r} does not compile: {exc}") from None
    if rx.fullmatch(""):
        raise ValueError(f"regex {p!r} matches the empty string (it would match everywhere)")
    return p


# validated item by item, so that an error names the line of the item rather than of the list
Phrase = Annotated[str, AfterValidator(_phrase)]
Regex = Annotated[str, AfterValidator(_regex)]


class AllowList(_Strict):
    """Text that is known to be fine: a finding lying entirely inside a match is dropped."""

    phrases: tuple[Phrase, ...] = Field((), description="exact phrases, e.g. a published hotline or a public "
                                                        "document title; compared after normalization")
    regexes: tuple[Regex, ...] = Field((), description="regular expressions (Python `regex` syntax)")


class PatternSpec(_Strict):
    pattern: Regex = Field(description="regular expression (Python `regex` syntax), matched on normalized text")
    score: float = Field(0.8, ge=0.0, le=1.0)


class RecognizerSpec(_Strict):
    """An organisation's own recognizer: keywords, regexes and/or a dictionary file (one term per line)."""

    name: str = Field(pattern=_NAME, description="unique name, shown in evidence and `scan --explain`")
    entity: str = Field(pattern=_ENTITY, description="entity type of its findings, e.g. PROJECT_CODE or "
                                                     "PERSON_NAME (a staff list improves name detection)")
    category: str = Field(pattern=_NAME, description="category of its findings: a built-in one or your own "
                                                     "(then give it a rule under `categories`)")
    score: float = Field(0.8, ge=0.0, le=1.0, description="score of a keyword or dictionary term without "
                                                          "its own weight")
    keywords: dict[str, float] | tuple[str, ...] = Field(
        (), description="terms, as a list or as {term: weight}; matched case-insensitively on normalized text "
                        "(also when disguised with spaces, full-width or traditional characters)")
    dictionary: str | None = Field(None, description="file of terms, one per line (`term` or `term<TAB>weight`, "
                                                     "# comments), relative to this policy file")
    patterns: tuple[PatternSpec, ...] = Field(())
    combine: Literal["each", "sum"] = Field(
        "each", description="each: every hit scores its own weight; sum: every hit scores the sum of the "
                            "weights of the distinct terms found (capped at 1), so several weak terms add up")

    @field_validator("keywords")
    @classmethod
    def _weights(cls, v: dict[str, float] | tuple[str, ...]) -> dict[str, float] | tuple[str, ...]:
        terms = list(v) if isinstance(v, dict) else list(v)
        if any(not t.strip() for t in terms):
            raise ValueError("empty keyword / 空关键词")
        if isinstance(v, dict) and any(not 0.0 <= w <= 1.0 for w in v.values()):
            raise ValueError("keyword weights must lie between 0 and 1")
        return v

    @model_validator(mode="after")
    def _has_source(self) -> "RecognizerSpec":
        if not self.keywords and not self.dictionary and not self.patterns:
            raise ValueError("a recognizer needs keywords, a dictionary or patterns")
        return self


class Message(_Strict):
    zh: str = Field(description="Chinese text; may use {categories}, {category_codes}, {incident}, {ticket}")
    en: str = Field(description="English text; same fields")

    @field_validator("zh", "en")
    @classmethod
    def _fields(cls, v: str) -> str:
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(v) if f is not None}
        except ValueError as exc:
            raise ValueError(f"bad template: {exc}") from None
        unknown = names - MESSAGE_FIELDS
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(MESSAGE_FIELDS)}")
        return v


class Messages(_Strict):
    """What the member of staff is told (replaces the built-in text)."""

    block: Message | None = None
    hold: Message | None = None


class When(_Strict):
    """Selectors of a scope; all given selectors must match (a list matches if any entry matches)."""

    clients: tuple[str, ...] = Field((), description="client identities (from their gateway key)")
    groups: tuple[str, ...] = Field((), description="groups defined under `groups`")
    upstreams: tuple[str, ...] = Field((), description="upstream base URLs or route names")
    models: tuple[str, ...] = Field((), description="model names; `*` at the end matches a prefix. The model "
                                                    "is chosen by the request, so a model scope may only tighten")

    @model_validator(mode="after")
    def _some(self) -> "When":
        if not (self.clients or self.groups or self.upstreams or self.models):
            raise ValueError("`when` needs at least one of clients, groups, upstreams, models")
        return self


class Scope(_Strict):
    """Rules for some clients / groups / upstreams / models, applied on top of the base policy."""

    name: str = Field(pattern=_NAME)
    when: When
    categories: dict[str, Rule] = Field(default_factory=dict)
    entities: dict[str, Rule] = Field(default_factory=dict)
    allow_list: AllowList | None = None
    restore: bool | None = None

    @model_validator(mode="after")
    def _model_scopes_only_tighten(self) -> "Scope":
        if self.when.models and self.allow_list is not None:
            raise ValueError("a scope selected by model cannot have an allow_list: the model is chosen by the "
                             "request, and no request may loosen its own policy / 按模型选择的范围不能放宽策略")
        return self


class Uploads(_Strict):
    """Images and files in requests."""

    remote_urls: Literal["block", "allow"] = Field(
        "block", description="an image or file given by http(s) URL: baomi never fetches it, so it cannot be "
                             "inspected. block (default): refuse the request with a message; allow: forward it "
                             "uninspected (the AI service fetches it)")


class PolicyFile(_Strict):
    """One policy file. Several files merge in order (see ``proxy.policy.merge``)."""

    version: Literal[1] = 1
    categories: dict[str, Rule] = Field(default_factory=dict, description="rule per category")
    entities: dict[str, Rule] = Field(default_factory=dict, description="rule per entity; overrides its "
                                                                        "category's rule")
    allow_list: AllowList = Field(default_factory=AllowList)
    recognizers: tuple[RecognizerSpec, ...] = ()
    restore: bool | None = Field(None, description="restore pseudonymised values in answers (default true)")
    groups: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="group -> client identities")
    messages: Messages = Field(default_factory=Messages)
    uploads: Uploads | None = None
    scopes: tuple[Scope, ...] = ()
