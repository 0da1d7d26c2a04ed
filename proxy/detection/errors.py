"""Errors of the detection engine.

Anything that goes wrong while inspecting text (a regex that runs out of time, an inspection budget that
is exhausted, a recognizer that raises) surfaces as :class:`InspectionError`. The gateway turns it into a
fail-closed block. Messages name the recognizer/pattern and the kind of failure, never the inspected text.
"""
from __future__ import annotations


class InspectionError(RuntimeError):
    """Inspection could not complete; the caller must fail closed."""


class RegexTimeout(InspectionError):
    """A regular expression ran out of time (attacker-controlled input, or a budget that was used up)."""
