"""Policy file schema (pydantic; unknown keys are errors, so a typo can never loosen enforcement)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ActionName = Literal["allow", "redact", "block", "hold"]
CATEGORIES = ("secret_marking", "internal_marking", "official_document", "nonpublic_content",
              "credential", "personal_data")
CategoryName = Literal["secret_marking", "internal_marking", "official_document", "nonpublic_content",
                       "credential", "personal_data"]


class CategoryRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    action: ActionName
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="lowest score that triggers the action")


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal[1] = 1
    categories: dict[CategoryName, CategoryRule] = Field(default_factory=dict)
