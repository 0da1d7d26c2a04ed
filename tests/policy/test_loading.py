"""Loading policy files: every error names its file and the LINE of the offending value; merge order.

Each broken snippet marks the line its error must name with ``#<``; the test writes the files to a temporary
directory, loads them the way the server does and requires exactly one problem ``file:LINE: ...``.
"""
from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass, field

import pytest

from proxy.policy.compiled import Context
from proxy.policy.loader import load_policy, policy_paths

from ._support import DEFAULT, ORG, POLICIES, line_of, marked_line, problems, write


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]         # name -> YAML (or dictionary) text, loaded in this order if .yaml
    says: str                     # a piece of the message
    marked: str = "policy.yaml"   # the file whose marked line the error names
    also: dict[str, str] = field(default_factory=dict)  # file -> marker of a second place the message names


RULES = """
version: 1
categories:
  project: {action: block}
"""


def rules(text: str) -> str:
    """A file with a rule for the category ``project``, then ``text``."""
    return RULES + textwrap.dedent(text)

CASES = [
    Case("yaml_syntax", {"policy.yaml": """
        version: 1
        categories:
          secret_marking: {action: block}
          credential: action: block   #<
        """}, "not valid YAML"),
    Case("yaml_syntax_tab", {"policy.yaml": "version: 1\ncategories:\n\tcredential: {action: block}   #<\n"},
         "not valid YAML"),
    Case("unknown_top_level_key", {"policy.yaml": """
        version: 1
        categories:
          credential: {action: block}
        rulez:                        #<
          credential: {action: allow}
        """}, "unknown key"),
    Case("unknown_key_in_rule", {"policy.yaml": """
        version: 1
        categories:
          secret_marking:
            action: block
            treshold: 0.9             #<
        """}, "categories.secret_marking.treshold: unknown key"),
    Case("unknown_key_in_scope_when", {"policy.yaml": """
        version: 1
        scopes:
          - name: s
            when:
              client: [alice]         #<
            categories: {personal_data: {action: allow}}
        """}, "unknown key"),
    Case("bad_action", {"policy.yaml": """
        version: 1
        categories:
          secret_marking:
            threshold: 0.5
            action: deny              #<
        """}, "'allow', 'redact', 'hold' or 'block'"),
    Case("threshold_above_1", {"policy.yaml": """
        version: 1
        categories:
          credential: {action: block}
          secret_marking:
            action: block
            threshold: 1.5            #<
        """}, "less than or equal to 1"),
    Case("threshold_not_a_number", {"policy.yaml": """
        version: 1
        categories:
          secret_marking:
            action: block
            threshold: high           #<
        """}, "categories.secret_marking.threshold"),
    Case("bad_version", {"policy.yaml": """
        # a comment first
        version: 2                    #<
        """}, "version"),
    Case("missing_action", {"policy.yaml": """
        version: 1
        categories:
          secret_marking: {threshold: 0.5}   #<
        """}, "action: required"),
    Case("duplicate_key", {"policy.yaml": """
        version: 1
        categories:
          personal_data: {action: block, threshold: 0.5}
          credential: {action: block}
          personal_data: {action: allow}   #<
        """}, "duplicate key 'personal_data'"),
    Case("duplicate_key_nested", {"policy.yaml": """
        version: 1
        categories:
          credential:
            action: block
            threshold: 0.5
            action: allow             #<
        """}, "duplicate key 'action'"),
    Case("unknown_category", {"policy.yaml": """
        version: 1
        categories:
          credential: {action: block}
          secret_markng: {action: block}   #<
        """}, "categories.secret_markng: unknown category"),
    Case("unknown_category_in_scope", {"policy.yaml": """
        version: 1
        scopes:
          - name: s
            when: {clients: [alice]}
            categories:
              credential: {action: block}
              personal_dta: {action: allow}   #<
        """}, "scopes.s.categories.personal_dta: unknown category"),
    Case("unknown_entity", {"policy.yaml": """
        version: 1
        entities:
          PHONE_NUMBER: {action: block}
          PHONE_NUMBR: {action: block}   #<
        """}, "entities.PHONE_NUMBR: unknown entity"),
    Case("recognizer_without_source", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            keywords: [foo]
          - name: b                   #<
            entity: PROJECT_CODE
            category: project
        """)}, "needs keywords, a dictionary or patterns"),
    Case("recognizer_regex_does_not_compile", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            patterns:
              - {pattern: 'OA-\\d+'}
              - {pattern: '(unclosed'}   #<
        """)}, "does not compile"),
    Case("recognizer_regex_matches_empty", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            patterns:
              - pattern: 'OA-\\d+'
              - pattern: '(OA)?\\d*'   #<
                score: 0.9
        """)}, "matches the empty string"),
    Case("allow_regex_does_not_compile", {"policy.yaml": """
        version: 1
        allow_list:
          regexes:
            - '400-?\\d{3}'
            - '[unclosed'             #<
        """}, "does not compile"),
    Case("allow_regex_matches_empty", {"policy.yaml": """
        version: 1
        allow_list:
          regexes:
            - '400-?\\d{3}'
            - 'x*'                    #<
        """}, "matches the empty string"),
    Case("empty_phrase", {"policy.yaml": """
        version: 1
        allow_list:
          phrases:
            - 保密办热线
            - '  '                    #<
        """}, "empty phrase"),
    Case("number_as_phrase", {"policy.yaml": """
        version: 1
        allow_list:
          phrases:
            - 保密办热线
            - 12345                   #<
        """}, "valid string"),
    Case("empty_keyword", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            keywords: [天穹计划, '']   #<
        """)}, "empty keyword"),
    Case("keyword_weight_above_1", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            keywords: {天穹计划: 1.5}   #<
        """)}, "between 0 and 1"),
    Case("recognizer_category_without_rule", {"policy.yaml": """
        version: 1
        categories:
          credential: {action: block}
        recognizers:
          - name: codes               #<
            entity: PROJECT_CODE
            category: project
            keywords: [天穹计划]
        """}, "no rule for its category 'project'"),
    Case("scope_undefined_group", {"policy.yaml": """
        version: 1
        groups:
          legal: [alice]
        scopes:
          - name: s
            when:
              groups:
                - legal
                - legl                #<
            categories: {personal_data: {action: allow}}
        """}, "group 'legl' is not defined"),
    Case("duplicate_recognizer_across_files", {
        "a.yaml": rules("""
            recognizers:
              - name: codes           #first
                entity: PROJECT_CODE
                category: project
                keywords: [天穹计划]
            """),
        "policy.yaml": """
            version: 1
            recognizers:
              - name: other
                entity: PROJECT_CODE
                category: project
                keywords: [青鸟工程]
              - name: codes           #<
                entity: PROJECT_CODE
                category: project
                keywords: [天穹计划]
            """}, "name 'codes' already used", also={"a.yaml": "#first"}),
    Case("duplicate_scope_name", {"policy.yaml": """
        version: 1
        scopes:
          - name: s                   #first
            when: {clients: [alice]}
          - name: s                   #<
            when: {clients: [bob]}
        """}, "name 's' already used", also={"policy.yaml": "#first"}),
    Case("model_scope_with_allow_list", {"policy.yaml": """
        version: 1
        scopes:
          - name: fine
            when: {clients: [alice]}
            allow_list: {phrases: [x]}
          - name: loosen              #<
            when: {models: ["gpt-4o*"]}
            allow_list: {phrases: [天穹计划]}
        """}, "selected by model cannot have an allow_list"),
    Case("scope_without_selector", {"policy.yaml": """
        version: 1
        scopes:
          - name: s
            when: {}                  #<
        """}, "needs at least one of"),
    Case("message_unknown_field", {"policy.yaml": """
        version: 1
        messages:
          block:
            zh: "已拦截 {incident}"
            en: "Blocked, see {secret}"   #<
        """}, "unknown field(s) ['secret']"),
    Case("message_bad_template", {"policy.yaml": """
        version: 1
        messages:
          hold:
            zh: "审核编号 {ticket"     #<
            en: "ticket {ticket}"
        """}, "bad template"),
    Case("missing_dictionary", {"policy.yaml": rules("""
        recognizers:
          - name: a
            entity: PROJECT_CODE
            category: project
            score: 0.9
            dictionary: nope.txt      #<
        """)}, "dictionary 'nope.txt' cannot be read"),
    Case("dictionary_bad_weight", {
        "codes.txt": "# code names\n天穹计划\t0.9\n青鸟工程\theavy\n",
        "policy.yaml": rules("""
            recognizers:
              - name: a
                entity: PROJECT_CODE
                category: project
                dictionary: codes.txt   #<
            """)}, "codes.txt:3: weight 'heavy' is not a number"),
    Case("yaml_merge_key", {"policy.yaml": """
        version: 1
        strict: &strict {action: block, threshold: 0.5}
        categories:
          secret_marking:
            <<: *strict               #<
            threshold: 0.3
        """}, "merge keys (<<) are not supported"),
    Case("not_a_mapping", {"policy.yaml": "- version: 1   #<\n"}, "must be a mapping"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_error_names_file_and_line(tmp_path, case: Case):
    paths = [write(tmp_path, name, text) for name, text in case.files.items()]
    target = tmp_path / case.marked
    line = marked_line(target)
    found = problems([p for p in paths if p.suffix == ".yaml"])
    assert len(found) == 1, found
    [problem] = found
    assert problem.startswith(f"{target}:{line}: "), problem
    assert case.says in problem, problem
    for other, marker in case.also.items():
        path = tmp_path / other
        assert f"{path}:{marked_line(path, marker)}" in problem.removeprefix(f"{target}:{line}: "), problem


def test_all_problems_are_reported_at_once(tmp_path):
    a = write(tmp_path, "a.yaml", """
        version: 1
        categories:
          secret_marking: {action: deny}     #<
          credential: {action: block, threshold: 7}
        """)
    b = write(tmp_path, "b.yaml", "version: 1\nentities:\n  PHONE_NUMBR: {action: block}\n")
    c = write(tmp_path, "c.yaml", "version: 1\nbogus: 1\n")
    found = problems([a, b, c])
    # both value errors of a.yaml, and c.yaml's; b.yaml's cross-check needs a clean parse of every file first
    assert any(p.startswith(f"{a}:3: categories.secret_marking.action") for p in found), found
    assert any(p.startswith(f"{a}:4: categories.credential.threshold") for p in found), found
    assert any(p.startswith(f"{c}:2: bogus") for p in found), found


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    [problem] = problems(missing)
    assert problem.startswith(f"{missing}: ") and "not found" in problem


def test_unreadable_encoding(tmp_path):
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("version: 1\n# 国家秘密\n".encode("gbk"))
    [problem] = problems(bad)
    assert problem.startswith(f"{bad}: ") and "cannot read" in problem


def test_empty_spec():
    assert "no policy file" in problems("")[0]
    assert "no policy file" in problems([])[0]


# ── the shipped files ────────────────────────────────────────────────────────────────────────────────

SHIPPED = sorted(POLICIES.rglob("*.yaml"))


def test_shipped_files_exist():
    assert DEFAULT in SHIPPED and len(SHIPPED) >= 2, SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(POLICIES)))
def test_shipped_file_loads(path):
    """default.yaml alone; every other file layered over it (as its header says)."""
    files = [DEFAULT] if path == DEFAULT else [DEFAULT, path]
    policy = load_policy(files)
    assert policy.sources == tuple(str(p) for p in files)
    assert policy.categories, "a shipped policy without rules would allow everything"


def test_default_policy_rules():
    """What the README promises for the default policy: markings, documents, credentials block; personal data
    is redacted."""
    policy = load_policy(DEFAULT)
    assert {k: r.action for k, r in policy.categories.items()} == {
        "secret_marking": "block", "internal_marking": "block", "official_document": "block",
        "nonpublic_content": "block", "credential": "block", "personal_data": "redact"}
    assert policy.restore is True and not policy.scopes and not policy.recognizers
    assert policy.categories["secret_marking"].where == f"{DEFAULT}:{line_of(DEFAULT, '  secret_marking:')}"


def test_org_example_over_default():
    policy = load_policy([DEFAULT, ORG])
    assert [r.name for r in policy.recognizers] == ["project_codenames", "staff_list", "internal_ticket_ids"]
    assert [s.name for s in policy.scopes] == ["on_premise_model", "legal_team_review", "reasoning_models_strict"]
    assert policy.categories["project"].action == "block"
    assert policy.entities["EMAIL_ADDRESS"].action == "allow"
    assert policy.categories["personal_data"].where.startswith(f"{DEFAULT}:")  # org.yaml does not replace it
    assert policy.messages["block"].en.startswith("Blocked")


# ── several files ────────────────────────────────────────────────────────────────────────────────────

def _rule_file(tmp_path, name, action):
    return write(tmp_path, name, f"""
        version: 1
        categories:
          personal_data: {{action: {action}, threshold: 0.5}}   #<
        """)


def test_directory_merges_in_name_order(tmp_path):
    conf = tmp_path / "conf.d"
    conf.mkdir()
    # created in the "wrong" order: name order decides, not creation order
    late = _rule_file(conf, "50-org.yaml", "hold")
    early = _rule_file(conf, "00-base.yaml", "redact")
    yml = write(conf, "60-local.yml", "version: 1\nrestore: false\n")
    write(conf, "README.txt", "not a policy: ignored")
    write(conf, "90-disabled.yaml.off", "this: is not loaded")
    policy = load_policy(conf)
    assert policy.sources == (str(early), str(late), str(yml))
    rule = policy.categories["personal_data"]
    assert rule.action == "hold" and rule.where == f"{late}:{marked_line(late)}"
    assert policy.restore is False


def test_later_file_replaces_only_the_rules_it_names(tmp_path):
    base = write(tmp_path, "base.yaml", """
        version: 1
        categories:
          personal_data: {action: redact}
          credential: {action: block, threshold: 0.5}
        allow_list: {phrases: [热线一]}
        """)
    over = write(tmp_path, "over.yaml", """
        version: 1
        categories:
          credential: {action: hold, threshold: 0.9}
        allow_list: {phrases: [热线二]}
        """)
    policy = load_policy([base, over])
    assert policy.categories["personal_data"].action == "redact"
    assert (policy.categories["credential"].action, policy.categories["credential"].threshold) == ("hold", 0.9)
    assert policy.categories["credential"].where.startswith(f"{over}:")
    assert policy.restore is True  # nobody said otherwise
    # allow-list entries are collected from all files
    assert policy.allow.terms.size == 2


def test_pathsep_list_order(tmp_path):
    a = _rule_file(tmp_path, "a.yaml", "block")
    b = _rule_file(tmp_path, "b.yaml", "allow")
    assert load_policy(f"{a}{os.pathsep}{b}").categories["personal_data"].action == "allow"
    assert load_policy(f"{b}{os.pathsep}{a}").categories["personal_data"].action == "block"
    # a trailing separator or an empty entry is ignored, not an error
    assert load_policy(f"{b}{os.pathsep}{a}{os.pathsep}").sources == (str(b), str(a))


def test_pathsep_list_mixes_files_and_directories(tmp_path):
    conf = tmp_path / "conf.d"
    conf.mkdir()
    d1 = _rule_file(conf, "10.yaml", "hold")
    last = _rule_file(tmp_path, "last.yaml", "block")
    assert policy_paths(f"{DEFAULT}{os.pathsep}{conf}{os.pathsep}{last}") == [DEFAULT, d1, last]
    policy = load_policy(f"{DEFAULT}{os.pathsep}{conf}{os.pathsep}{last}")
    assert policy.categories["personal_data"].action == "block"
    assert policy.categories["secret_marking"].action == "block"  # from default.yaml


def test_empty_directory_is_an_error(tmp_path):
    empty = tmp_path / "conf.d"
    empty.mkdir()
    write(empty, "notes.txt", "no yaml here")
    [problem] = problems(empty)
    assert problem.startswith(f"{empty}: ") and "no *.yaml" in problem


def test_errors_in_a_directory_name_the_file(tmp_path):
    conf = tmp_path / "conf.d"
    conf.mkdir()
    _rule_file(conf, "00-ok.yaml", "redact")
    bad = write(conf, "10-bad.yaml", "version: 1\ncategories:\n  credential: {action: blok}   #<\n")
    [problem] = problems(conf)
    assert problem.startswith(f"{bad}:{marked_line(bad)}: ")


def test_empty_file_is_an_empty_policy(tmp_path):
    empty = write(tmp_path, "empty.yaml", "# nothing yet\n")
    policy = load_policy([DEFAULT, empty])
    assert policy.categories["secret_marking"].action == "block"


def test_base_resolve_has_no_scopes():
    eff = load_policy(DEFAULT).resolve(Context(client="alice", upstream="http://x/v1", model="o1"))
    assert eff.scopes == () and eff.restore is True

