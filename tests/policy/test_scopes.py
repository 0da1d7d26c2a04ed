"""Scopes: which rules are in force for a (client, upstream, model), and what they decide.

Most tests build :class:`~proxy.flow.Finding` objects directly and call the pure ``evaluate``; a few at the
end run the detection engine (the session fixture) through ``decide_text``.
"""
from __future__ import annotations

import pytest

from proxy.flow import Finding
from proxy.policy.compiled import Context
from proxy.policy.evaluate import decide_text, evaluate
from proxy.policy.loader import load_policy

from ._support import line_of, marked_line, write

ONPREM = "http://10.0.0.5:8000/v1"


def pd(score: float = 0.8, entity: str = "PHONE_NUMBER", start: int = 0, end: int = 11) -> Finding:
    return Finding(entity, start, end, score, "test", "personal_data")


def npc(score: float, start: int = 0, end: int = 20) -> Finding:
    return Finding("CN_NONPUBLIC_CONTENT", start, end, score, "NonpublicContentScorer", "nonpublic_content")


@pytest.fixture
def layered(tmp_path):
    """Scopes of every level, written in the REVERSE of their precedence order."""
    path = write(tmp_path, "policy.yaml", f"""
        version: 1
        categories:
          personal_data: {{action: redact, threshold: 0.5}}
          nonpublic_content: {{action: block, threshold: 0.7}}
        groups:
          legal: [alice, bob]
          audit: [bob, dave]
        scopes:
          - name: by_model
            when: {{models: ["o1*"]}}
            categories:
              personal_data: {{action: block, threshold: 0.9}}
          - name: by_client
            when: {{clients: [alice]}}
            categories:
              personal_data: {{action: allow}}
          - name: by_group
            when: {{groups: [legal]}}
            categories:
              personal_data: {{action: hold, threshold: 0.5}}
          - name: by_upstream
            when: {{upstreams: ["{ONPREM}"]}}
            categories:
              personal_data: {{action: block, threshold: 0.5}}
        """)
    return load_policy(path), path


@pytest.mark.parametrize("ctx, scopes, action", [
    (Context(), (), "redact"),
    (Context(client="carol", upstream=ONPREM), ("by_upstream",), "block"),
    (Context(client="carol", upstream=ONPREM + "/"), ("by_upstream",), "block"),    # trailing slash
    (Context(client="carol", upstream="http://10.0.0.5:8000"), (), "redact"),      # another URL
    (Context(client="bob"), ("by_group",), "hold"),
    (Context(client="bob", upstream=ONPREM), ("by_upstream", "by_group"), "hold"),   # group beats upstream
    (Context(client="alice", upstream=ONPREM), ("by_upstream", "by_group", "by_client"), "allow"),  # client wins
    (Context(client="alice", model="gpt-4o"), ("by_group", "by_client"), "allow"),
    # the model scope applies last and only adds: a 0.8 finding is below its 0.9 threshold ...
    (Context(client="alice", upstream=ONPREM, model="o1-mini"),
     ("by_upstream", "by_group", "by_client", "by_model"), "allow"),
    (Context(client="carol", model="o1"), ("by_model",), "redact"),
])
def test_precedence(layered, ctx, scopes, action):
    policy, _ = layered
    eff = policy.resolve(ctx)
    assert eff.scopes == scopes
    assert evaluate([pd(0.8)], eff).action == action


def test_model_scope_tightens_over_a_client_allow(layered):
    policy, path = layered
    eff = policy.resolve(Context(client="alice", model="o1-preview"))
    d = evaluate([pd(0.95)], eff)   # ... and a 0.95 finding reaches it
    assert d.action == "block"
    assert d.decided_by == "scopes.by_model.categories.personal_data"
    assert d.decided_where == f"{path}:{line_of(path, 'personal_data: {action: block, threshold: 0.9}')}"


def test_decided_by_names_the_scope_rule_and_its_line(layered):
    policy, path = layered
    d = evaluate([pd(0.8)], policy.resolve(Context(client="bob")))
    assert (d.action, d.decided_by) == ("hold", "scopes.by_group.categories.personal_data")
    assert d.decided_where == f"{path}:{line_of(path, 'personal_data: {action: hold')}"
    base = evaluate([pd(0.8)], policy.resolve(Context(client="carol")))
    assert (base.decided_by, base.decided_where) == (
        "categories.personal_data", f"{path}:{line_of(path, 'personal_data: {action: redact')}")


def test_client_scope_overrides_group_scope_whatever_the_file_order(tmp_path):
    for order in (("g", "c"), ("c", "g")):
        scopes = {
            "g": "  - name: legal_hold\n    when: {groups: [legal]}\n"
                 "    categories: {personal_data: {action: hold}}\n",
            "c": "  - name: alice_block\n    when: {clients: [alice]}\n"
                 "    categories: {personal_data: {action: block}}\n",
        }
        path = write(tmp_path, f"{''.join(order)}.yaml",
                     "version: 1\ncategories: {personal_data: {action: redact}}\ngroups: {legal: [alice, bob]}\n"
                     "scopes:\n" + "".join(scopes[k] for k in order))
        policy = load_policy(path)
        assert evaluate([pd()], policy.resolve(Context(client="alice"))).action == "block", order
        assert evaluate([pd()], policy.resolve(Context(client="bob"))).action == "hold", order


def test_same_level_applies_in_file_order(tmp_path):
    """bob is in two groups: the scope written later wins, also across files."""
    first = write(tmp_path, "a.yaml", """
        version: 1
        categories: {personal_data: {action: redact}}
        groups: {legal: [bob], audit: [bob]}
        scopes:
          - name: audit_block
            when: {groups: [audit]}
            categories: {personal_data: {action: block}}
          - name: legal_hold
            when: {groups: [legal]}
            categories: {personal_data: {action: hold}}
        """)
    second = write(tmp_path, "b.yaml", """
        version: 1
        scopes:
          - name: audit_allow
            when: {groups: [audit]}
            categories: {personal_data: {action: allow}}
        """)
    one = load_policy(first).resolve(Context(client="bob"))
    assert one.scopes == ("audit_block", "legal_hold")
    assert evaluate([pd()], one).action == "hold"
    both = load_policy([first, second]).resolve(Context(client="bob"))
    assert both.scopes == ("audit_block", "legal_hold", "audit_allow")
    assert evaluate([pd()], both).action == "allow"


def test_a_scope_applies_only_when_all_its_selectors_match(tmp_path):
    path = write(tmp_path, "p.yaml", f"""
        version: 1
        categories: {{personal_data: {{action: redact}}}}
        groups: {{legal: [alice, bob]}}
        scopes:
          - name: alice_onprem
            when: {{clients: [alice, erin], upstreams: ["{ONPREM}"]}}
            categories: {{personal_data: {{action: allow}}}}
          - name: legal_on_gpt
            when: {{groups: [legal], models: [gpt-4o]}}
            categories: {{personal_data: {{action: hold}}}}
        """)
    policy = load_policy(path)

    def act(**ctx):
        return evaluate([pd()], policy.resolve(Context(**ctx))).action

    assert act(client="alice", upstream=ONPREM) == "allow"
    assert act(client="erin", upstream=ONPREM) == "allow"          # a list matches if any entry matches
    assert act(client="alice", upstream="https://api.example.com/v1") == "redact"
    assert act(client="bob", upstream=ONPREM) == "redact"
    assert act(client="bob", model="gpt-4o") == "hold"
    assert act(client="bob", model="gpt-4o-mini") == "redact"       # no `*`: the exact name only
    assert act(client="carol", model="gpt-4o") == "redact"
    assert act(client="bob") == "redact"


@pytest.mark.parametrize("model, applies", [
    ("o1", True), ("o1-mini", True), ("o1-preview-2024-09-12", True), ("O1-Mini", True),
    ("o3-mini", False), ("gpt-4o", False), ("xo1", False), (None, False), ("", False),
])
def test_model_prefix(tmp_path, model, applies):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact}}
        scopes:
          - name: strict
            when: {models: ["o1*"]}
            categories: {personal_data: {action: block, threshold: 0.5}}
        """)
    eff = load_policy(path).resolve(Context(model=model))
    assert (eff.scopes == ("strict",)) is applies
    assert evaluate([pd()], eff).action == ("block" if applies else "redact")


# ── a model-selected scope can only tighten ──────────────────────────────────────────────────────────

def _model_policy(tmp_path, scope_rules: str):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories:
          nonpublic_content: {action: block, threshold: 0.7}   #base
          personal_data: {action: redact, threshold: 0.5}
        scopes:
          - name: loose
            when: {models: ["o1*"]}
        """ + scope_rules)
    return load_policy(path), path


@pytest.mark.parametrize("rules", [
    "    categories: {nonpublic_content: {action: allow}}\n",
    "    categories: {nonpublic_content: {action: allow, threshold: 0.0}}\n",
    "    categories: {nonpublic_content: {action: redact, threshold: 0.3}}\n",
    "    entities: {CN_NONPUBLIC_CONTENT: {action: allow}}\n",
    "    entities: {CN_NONPUBLIC_CONTENT: {action: redact, threshold: 0.3}}\n",
    "    categories: {nonpublic_content: {action: block, threshold: 0.95}}\n",
], ids=["cat-allow", "cat-allow-0", "cat-redact-0.3", "ent-allow", "ent-redact-0.3", "cat-higher-threshold"])
def test_model_scope_cannot_loosen(tmp_path, rules):
    policy, path = _model_policy(tmp_path, rules)
    eff = policy.resolve(Context(model="o1-mini"))
    assert eff.scopes == ("loose",)
    d = evaluate([npc(0.8)], eff)
    assert d.action == "block"
    assert (d.decided_by, d.decided_where) == ("categories.nonpublic_content", f"{path}:{line_of(path, '#base')}")


@pytest.mark.parametrize("rules, rule_id", [
    ("    categories: {nonpublic_content: {action: redact, threshold: 0.3}}\n",
     "scopes.loose.categories.nonpublic_content"),
    ("    entities: {CN_NONPUBLIC_CONTENT: {action: redact, threshold: 0.3}}\n",
     "scopes.loose.entities.CN_NONPUBLIC_CONTENT"),
])
def test_model_scope_adds_its_stricter_rule_below_the_base_threshold(tmp_path, rules, rule_id):
    policy, _ = _model_policy(tmp_path, rules)
    eff = policy.resolve(Context(model="o1"))
    d = evaluate([npc(0.5)], eff)
    assert (d.action, d.decided_by) == ("redact", rule_id)
    assert evaluate([npc(0.2)], eff).action == "allow"
    assert evaluate([npc(0.5)], policy.resolve(Context(model="gpt-4o"))).action == "allow"


def test_model_and_client_scope_is_still_a_model_scope(tmp_path):
    """Naming a client as well does not let the request's model choice loosen anything."""
    path = write(tmp_path, "p2.yaml", """
        version: 1
        categories: {nonpublic_content: {action: block, threshold: 0.7}}
        scopes:
          - name: alice_on_o1
            when: {clients: [alice], models: ["o1*"]}
            categories: {nonpublic_content: {action: allow}}
        """)
    eff = load_policy(path).resolve(Context(client="alice", model="o1"))
    assert eff.scopes == ("alice_on_o1",)
    assert evaluate([npc(0.8)], eff).action == "block"


def test_model_entity_rule_cannot_escape_a_scope_that_replaced_the_category_rule(tmp_path):
    """The entity rule of a model scope sits next to the category rule in force for this client, not the
    base one."""
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact, threshold: 0.5}}
        scopes:
          - name: alice_hold
            when: {clients: [alice]}
            categories: {personal_data: {action: hold, threshold: 0.5}}
          - name: o1_names
            when: {models: ["o1*"]}
            entities: {PERSON_NAME: {action: allow}}
        """)
    eff = load_policy(path).resolve(Context(client="alice", model="o1"))
    d = evaluate([pd(0.8, "PERSON_NAME")], eff)
    assert (d.action, d.decided_by) == ("hold", "scopes.alice_hold.categories.personal_data")


def test_model_category_rule_reaches_entities_with_their_own_rule(tmp_path):
    """A model scope tightening a category also tightens the entities of that category that have their own
    rule (otherwise the entity rule would shadow the tightening)."""
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact, threshold: 0.5}}
        entities: {PERSON_NAME: {action: redact, threshold: 0.5}}
        scopes:
          - name: o1_strict
            when: {models: ["o1*"]}
            categories: {personal_data: {action: block, threshold: 0.5}}   #<
        """)
    eff = load_policy(path).resolve(Context(model="o1"))
    for entity in ("PHONE_NUMBER", "PERSON_NAME"):
        d = evaluate([pd(0.8, entity)], eff)
        assert (d.action, d.decided_by) == ("block", "scopes.o1_strict.categories.personal_data"), entity


def test_two_model_scopes_combine_regardless_of_order(tmp_path):
    """An entity rule of one model scope must not shadow the category tightening of another."""
    ent = ("  - name: o1_names\n    when: {models: [\"o1*\"]}\n"
           "    entities: {PERSON_NAME: {action: redact, threshold: 0.3}}\n")
    cat = ("  - name: o1_block\n    when: {models: [\"o1*\"]}\n"
           "    categories: {personal_data: {action: block, threshold: 0.5}}\n")
    for name, order in (("ec.yaml", ent + cat), ("ce.yaml", cat + ent)):
        path = write(tmp_path, name, "version: 1\ncategories: {personal_data: {action: redact, threshold: 0.5}}\n"
                                     "scopes:\n" + order)
        eff = load_policy(path).resolve(Context(model="o1"))
        assert evaluate([pd(0.8, "PERSON_NAME")], eff).action == "block", name
        assert evaluate([pd(0.4, "PERSON_NAME")], eff).action == "redact", name
        assert evaluate([pd(0.4, "PHONE_NUMBER")], eff).action == "allow", name


def test_entity_rule_overrides_its_category(tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact, threshold: 0.5}}
        entities:
          EMAIL_ADDRESS: {action: allow}
          CN_ID_NUMBER: {action: block, threshold: 0.6}   #<
        """)
    policy = load_policy(path)
    assert evaluate([pd(0.9, "EMAIL_ADDRESS")], policy).action == "allow"
    d = evaluate([pd(0.9, "CN_ID_NUMBER")], policy)
    assert (d.action, d.decided_by, d.decided_where) == ("block", "entities.CN_ID_NUMBER", f"{path}:{marked_line(path)}")
    assert evaluate([pd(0.55, "CN_ID_NUMBER")], policy).action == "allow"   # its own threshold, not 0.5


# ── evaluate ─────────────────────────────────────────────────────────────────────────────────────────

@pytest.fixture
def base(tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories:
          personal_data: {action: redact, threshold: 0.5}
          credential: {action: block, threshold: 0.5}
          internal_marking: {action: hold, threshold: 0.6}
        """)
    return load_policy(path), path


def test_strictest_action_wins_and_names_its_rule(base):
    policy, path = base
    phone = pd(0.85)
    key = Finding("API_KEY", 30, 70, 0.9, "ProviderKeyRecognizer", "credential")
    mark = Finding("CN_INTERNAL_MARKING", 80, 84, 0.7, "CnWorkSecretRecognizer", "internal_marking")
    d = evaluate([phone, key, mark], policy)
    assert d.action == "block"
    assert (d.decided_by, d.decided_where) == ("categories.credential", f"{path}:{line_of(path, 'credential:')}")
    assert d.categories == ["credential", "internal_marking", "personal_data"]
    assert set(d.rule_ids) == {"categories.personal_data", "categories.credential", "categories.internal_marking"}
    assert d.redact == [phone]


def test_findings_below_threshold_and_unruled_categories_are_allowed(base):
    policy, _ = base
    d = evaluate([pd(0.49), Finding("X", 0, 3, 1.0, "r", "some_other_category"),
                  Finding("CN_INTERNAL_MARKING", 0, 4, 0.59, "r", "internal_marking")], policy)
    assert (d.action, d.decided_by, d.rule_ids, d.redact) == ("allow", None, [], [])


def test_redact_decision_lists_what_to_redact(base):
    policy, path = base
    a, b = pd(0.9, "PHONE_NUMBER", 0, 11), pd(0.6, "PERSON_NAME", 20, 23)
    low = pd(0.4, "ADDRESS", 30, 40)
    d = evaluate([a, low, b], policy)
    assert d.action == "redact" and d.redact == [a, b] and d.findings == [a, b]
    assert d.decided_where == f"{path}:{line_of(path, 'personal_data:')}"


def test_evaluate_is_pure(base):
    policy, _ = base
    findings = [pd(0.9), Finding("API_KEY", 30, 70, 0.9, "r", "credential")]
    copy = list(findings)
    first = evaluate(findings, policy)
    second = evaluate(findings, policy)
    assert findings == copy
    assert (first.action, first.decided_by, first.rule_ids) == (second.action, second.decided_by, second.rule_ids)


def test_effective_is_cached_per_context(layered):
    policy, _ = layered
    ctx = Context(client="bob", upstream=ONPREM, model="o1")
    eff = policy.resolve(ctx)
    assert policy.resolve(Context(client="bob", upstream=ONPREM, model="o1")) is eff
    assert policy.resolve(Context(client="bob", upstream=ONPREM, model="o3")) is not eff
    assert policy.resolve(None) is policy.resolve(Context())
    # the cache never changes an answer
    assert policy.resolve(Context(client="alice")).scopes == ("by_group", "by_client")
    assert policy.resolve(ctx).scopes == ("by_upstream", "by_group", "by_model")


def test_scope_restore_setting(tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact}}
        restore: true
        scopes:
          - name: no_restore_for_bob
            when: {clients: [bob]}
            restore: false
        """)
    policy = load_policy(path)
    assert policy.resolve(Context(client="alice")).restore is True
    assert policy.resolve(Context(client="bob")).restore is False


# ── end to end with the engine ───────────────────────────────────────────────────────────────────────

TEXT = "收件人：刘建华，手机 13912345678"


def test_engine_scopes_end_to_end(engine, layered):
    policy, _ = layered
    assert decide_text(engine, policy, TEXT).action == "redact"
    assert decide_text(engine, policy, TEXT, Context(client="bob")).action == "hold"
    assert decide_text(engine, policy, TEXT, Context(client="carol", upstream=ONPREM)).action == "block"
    assert decide_text(engine, policy, TEXT, Context(client="alice")).action == "allow"


def test_engine_scope_allow_list_applies_only_to_its_scope(engine, tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact, threshold: 0.5}}
        scopes:
          - name: helpdesk
            when: {clients: [helpdesk]}
            allow_list: {phrases: ["13912345678"]}
        """)
    policy = load_policy(path)
    other = decide_text(engine, policy, TEXT, Context(client="bob"))
    assert other.action == "redact"
    assert {TEXT[f.start:f.end] for f in other.redact} == {"刘建华", "13912345678"}
    mine = decide_text(engine, policy, TEXT, Context(client="helpdesk"))
    assert mine.action == "redact"
    assert {TEXT[f.start:f.end] for f in mine.redact} == {"刘建华"}


def test_engine_model_scope_tightens_own_recognizer(engine, tmp_path):
    path = write(tmp_path, "p.yaml", r"""
        version: 1
        categories: {nonpublic_content: {action: block, threshold: 0.7}}
        recognizers:
          - name: tickets
            entity: OA_TICKET
            category: nonpublic_content
            patterns: [{pattern: 'OA-\d{4}-\d{6}', score: 0.5}]
        scopes:
          - name: reasoning
            when: {models: ["o1*"]}
            categories: {nonpublic_content: {action: block, threshold: 0.5}}
        """)
    policy = load_policy(path)
    text = "请查一下工单 OA-2024-123456 的进度"
    assert decide_text(engine, policy, text, Context(model="gpt-4o")).action == "allow"
    d = decide_text(engine, policy, text, Context(model="o1-mini"))
    assert (d.action, d.decided_by) == ("block", "scopes.reasoning.categories.nonpublic_content")
    assert [text[f.start:f.end] for f in d.findings] == ["OA-2024-123456"]
