"""baomi's recognizers, one per module. Import them through :func:`default_recognizers` (which prepares the
offline environment before presidio is first imported); importing this package has no side effects.
"""
from __future__ import annotations

from typing import Any

#: module:class of every built-in recognizer, in the order they run
BUILTIN = (
    "proxy.detection.recognizers.cn_classification:CnClassificationRecognizer",
    "proxy.detection.recognizers.cn_work_secret:CnWorkSecretRecognizer",
    "proxy.detection.recognizers.en_classification:EnClassificationRecognizer",
    "proxy.detection.recognizers.cn_official_structure:CnOfficialStructureRecognizer",
    "proxy.detection.recognizers.credential_provider_keys:ProviderKeyRecognizer",
    "proxy.detection.recognizers.credential_private_key:PrivateKeyRecognizer",
    "proxy.detection.recognizers.credential_jwt:JwtRecognizer",
    "proxy.detection.recognizers.credential_connection_string:ConnectionStringRecognizer",
    "proxy.detection.recognizers.credential_password:PasswordRecognizer",
    "proxy.detection.recognizers.credential_secret:LabelledSecretRecognizer",
    "proxy.detection.recognizers.pii_id_number:CnIdNumberRecognizer",
    "proxy.detection.recognizers.pii_phone:PhoneNumberRecognizer",
    "proxy.detection.recognizers.pii_bank_card:BankCardRecognizer",
    "proxy.detection.recognizers.pii_email:EmailRecognizer",
    "proxy.detection.recognizers.pii_person_name:PersonNameRecognizer",
    "proxy.detection.recognizers.pii_address:AddressRecognizer",
)


def default_recognizers() -> list[Any]:
    """Fresh instances of the built-in recognizers (presidio ``EntityRecognizer`` objects)."""
    import importlib

    from proxy.detection.offline import prepare_offline

    prepare_offline()
    out = []
    for spec in BUILTIN:
        module, _, cls = spec.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return out
