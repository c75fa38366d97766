"""`exitledger flags` end to end (issue 5 "Rules" and "Commands", SPEC §5).

``flags [STREAM] [--rule R]… [--severity S] [--policy FILE] [--json]``: a list of
``{"rule", "stream", "severity", "message", "evidence": [{"seq", "hash"}]}``, most serious
first; exit 0 whatever it finds; bad input exits 2 with one ``error:`` line.

Most tests read the demo province (Anhui's 31 counties with planted falsifications), built
once for the module; a test that records events works on its own copy of the database.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli.demo import demo_province
from tests.e2e.conftest import assert_bad_input, CASE, CASE_OPENED, FIGURES, invoke, must

SEVERITIES = ("critical", "high", "watch")
RULES = (
    "figure-mismatch", "arithmetic", "threshold-hugging", "threshold-bunching", "sudden-drop", "denominator-drift",
    "late-revision", "unevidenced-revision", "one-way-revisions", "same-person", "deadline", "date-order",
    "missing-step", "threshold-overridden", "perfect-survey", "last-digit", "benford", "duplicate-village-records",
)
PROVINCE = demo_province(None, None)
PLANTED = {p.kind: p for p in PROVINCE.planted}
NEAR = {p.kind: p for p in PROVINCE.near_misses}
MISMATCH = PLANTED["figure-mismatch"].stream  # self-reported 1.95 %, verified 2.50 %: rejected
HUGGING = PLANTED["threshold-hugging"].stream  # 1.98 %, income growth 0.2 pp above the province
OVERRIDDEN = PLANTED["threshold-overridden"].stream  # recognition < 90 %, no special rectification
REVISED = PLANTED["late-unevidenced-revision"].stream  # the demo's one revision, improving
SPECIAL = NEAR["special-rectification-reported"].stream  # missed > 2 %, special rectification reported
SUSPECT = {p.stream for p in PROVINCE.planted}
CLEAN = "case:340828-2017"  # 岳西县: announced, nothing planted
CLEAN_COUNTY = "340321"  # 怀远县 (蚌埠市): nothing planted; a new case of it is opened in one test
assert CLEAN not in SUSPECT and f"case:{CLEAN_COUNTY}-2017" in PROVINCE.cases
assert all(f"case:{CLEAN_COUNTY}-" not in s for s in SUSPECT | {n.stream for n in PROVINCE.near_misses})
FLAG_KEYS = {"rule", "stream", "severity", "message", "evidence"}


# -- fixtures and helpers --------------------------------------------------------------------------


class Demo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db_file = root / "d.db"
        self.keys = root / "out" / "keys"

    @property
    def db(self) -> tuple[str, str]:
        return ("--db", f"sqlite:///{self.db_file}")

    def flags(self, *args: str) -> list[dict[str, Any]]:
        r = must(invoke(*self.db, "flags", *args, "--json"))
        assert r.stderr == "", r
        return r.json()

    def copy(self, root: Path) -> Demo:
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.db_file, root / "d.db")
        shutil.copytree(self.keys, root / "out" / "keys")
        return Demo(root)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    d = Demo(tmp_path_factory.mktemp("flags-demo"))
    must(invoke(*d.db, "demo", "--out", str(d.root / "out")))
    return d


@pytest.fixture(scope="module")
def all_flags(demo: Demo) -> list[dict[str, Any]]:
    return demo.flags()


@pytest.fixture(scope="module")
def events(demo: Demo) -> dict[int, dict[str, Any]]:
    """Every event of the demo by seq, from ``history`` of the actors stream and of every case in ``status``."""
    streams = ["actors"] + [s["stream"] for s in must(invoke(*demo.db, "status", "--json")).json()]
    out: dict[int, dict[str, Any]] = {}
    for stream in streams:
        for e in must(invoke(*demo.db, "history", stream, "--json")).json():
            out[e["seq"]] = {**e, "stream": stream}
    return out


def policy_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def size(demo: Demo) -> int:
    return must(invoke(*demo.db, "verify", "--json")).json()["events"]


def pairs(flags: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(f["stream"], f["rule"]) for f in flags}


# -- the shape of --json (SPEC §5) ---------------------------------------------------------------


def test_json_is_a_list_of_spec_objects_with_known_rules_and_severities(all_flags) -> None:
    assert isinstance(all_flags, list) and all_flags
    streams = set(PROVINCE.cases)
    for f in all_flags:
        assert set(f) == FLAG_KEYS, f
        assert f["rule"] in RULES, f
        assert f["severity"] in SEVERITIES, f
        assert isinstance(f["message"], str) and f["message"].strip(), f
        assert f["stream"] in streams or (f["stream"].startswith("province:") and f["stream"][9:].isdigit()), f
        assert isinstance(f["evidence"], list) and f["evidence"], f
        for e in f["evidence"]:
            assert set(e) == {"seq", "hash"}, f
            assert type(e["seq"]) is int and e["seq"] >= 1, f
            assert isinstance(e["hash"], str) and len(e["hash"]) == 64 and int(e["hash"], 16) >= 0, f
        seqs = [e["seq"] for e in f["evidence"]]
        assert seqs == sorted(set(seqs)), f  # each cited event once, in seq order


def test_every_evidence_pair_is_an_event_of_this_ledger(all_flags, events) -> None:
    for f in all_flags:
        for e in f["evidence"]:
            assert e["seq"] in events, (e, f)
            assert events[e["seq"]]["hash"] == e["hash"], (e, f)
            source = events[e["seq"]]["stream"]
            if f["stream"].startswith("case:"):  # a case's flag rests on the case, or on who registered whom
                assert source == f["stream"] or events[e["seq"]]["type"] == "ActorRegistered", (e, source, f)


def test_flags_are_sorted_most_serious_first_then_by_stream(all_flags) -> None:
    keys = [(SEVERITIES.index(f["severity"]), f["stream"]) for f in all_flags]
    assert keys == sorted(keys)
    assert {f["severity"] for f in all_flags} == set(SEVERITIES)  # the demo has each severity


def test_the_planted_falsifications_are_flagged_and_clean_counties_get_nothing_serious(all_flags) -> None:
    raised = pairs(all_flags)
    for planted in PROVINCE.planted:
        for rule in planted.rules:
            assert (planted.stream, rule) in raised, planted
    assert not [f for f in all_flags if f["severity"] != "watch" and f["stream"] not in SUSPECT]
    critical = {(f["stream"], f["rule"]) for f in all_flags if f["severity"] == "critical"}
    assert (MISMATCH, "figure-mismatch") in critical and (OVERRIDDEN, "threshold-overridden") in critical


def test_json_before_and_after_the_command_is_the_same(demo: Demo, tmp_path: Path) -> None:
    veto = policy_file(tmp_path, "veto.toml", "veto = true\n")
    for args in ([], [MISMATCH], ["--rule", "threshold-hugging"], ["--severity", "high"], ["--policy", veto],
                 ["province:2018"]):
        before = must(invoke(*demo.db, "--json", "flags", *args))
        after = must(invoke(*demo.db, "flags", *args, "--json"))
        assert before.stdout == after.stdout, args
        json.loads(before.stdout)


def test_the_table_lists_the_same_flags(demo: Demo, all_flags) -> None:
    r = must(invoke(*demo.db, "flags"))
    assert f"{len(all_flags)} red flag(s)" in r.stdout, r
    for f in all_flags:
        assert f["stream"] in r.stdout and f["rule"] in r.stdout
    assert r.stderr == ""


def test_flags_is_read_only_and_repeatable(demo: Demo, all_flags) -> None:
    before = size(demo)
    assert demo.flags() == all_flags
    assert size(demo) == before


# -- filters ---------------------------------------------------------------------------------------


def test_a_stream_gives_exactly_that_streams_flags(demo: Demo, all_flags) -> None:
    for stream in PROVINCE.cases:
        assert demo.flags(stream) == [f for f in all_flags if f["stream"] == stream], stream
    assert demo.flags(MISMATCH)  # and some stream has some


def test_a_clean_stream_prints_an_empty_list_and_an_empty_table_exit_0(demo: Demo) -> None:
    for stream in (CLEAN, SPECIAL, NEAR["objection-resolved"].stream):
        assert demo.flags(stream) == []
        r = must(invoke(*demo.db, "flags", stream))
        assert "0 red flag(s)" in r.stdout and stream not in r.stdout.split("red flag(s)", 1)[1], r


def test_a_province_stream_filters_the_province_wide_flags(demo: Demo, tmp_path: Path) -> None:
    # with a lax one-way policy the demo's one improving revision (2018) is "one way" for its case and its year
    lax = policy_file(tmp_path, "lax.toml", "one_way_min_revisions = 1\none_way_p = 0.9\n")
    everything = demo.flags("--policy", lax)
    assert ("province:2018", "one-way-revisions") in pairs(everything)
    province = demo.flags("province:2018", "--policy", lax)
    assert province == [f for f in everything if f["stream"] == "province:2018"]
    assert {f["rule"] for f in province} == {"one-way-revisions"}
    assert demo.flags("province:2019", "--policy", lax) == []
    assert demo.flags("province:2018") == []  # the default policy finds nothing province-wide in the demo
    case = demo.flags(REVISED, "--policy", lax, "--rule", "one-way-revisions")
    assert [f["stream"] for f in case] == [REVISED]


def test_rule_filters_and_repeats(demo: Demo, all_flags) -> None:
    hugging = demo.flags("--rule", "threshold-hugging")
    assert hugging == [f for f in all_flags if f["rule"] == "threshold-hugging"] and hugging
    two = demo.flags("--rule", "deadline", "--rule", "perfect-survey")
    assert two == [f for f in all_flags if f["rule"] in ("deadline", "perfect-survey")]
    assert {f["rule"] for f in two} == {"deadline", "perfect-survey"}
    assert demo.flags("--rule", "deadline", "--rule", "deadline") == demo.flags("--rule", "deadline")
    assert demo.flags("--rule", "benford") == []  # a known rule that finds nothing: exit 0, empty
    assert demo.flags(HUGGING, "--rule", "threshold-hugging") == [f for f in hugging if f["stream"] == HUGGING]


def test_severity_keeps_that_severity_and_worse(demo: Demo, all_flags) -> None:
    assert demo.flags("--severity", "critical") == [f for f in all_flags if f["severity"] == "critical"]
    high = demo.flags("--severity", "high")
    assert high == [f for f in all_flags if f["severity"] in ("critical", "high")]
    assert {f["severity"] for f in high} == {"critical", "high"}
    assert demo.flags("--severity", "watch") == all_flags
    assert demo.flags("--severity", "high", "--rule", "threshold-hugging") == []


# -- policies ------------------------------------------------------------------------------------------


def test_a_toml_policy_with_a_3_percent_limit_changes_what_is_near_the_limit(demo: Demo, all_flags,
                                                                             tmp_path: Path) -> None:
    flags = demo.flags("--policy", policy_file(tmp_path, "west.toml", 'incidence_limit = "3"\n'))
    # threshold-hugging: 1.95 % and 1.98 % are no longer within 0.3 pp under the limit …
    hugging = [f for f in flags if f["rule"] == "threshold-hugging"]
    assert not [f for f in hugging if "incidence" in f["message"]]
    assert MISMATCH not in {f["stream"] for f in hugging}
    before = [f for f in all_flags if f["rule"] == "threshold-hugging" and f["stream"] == HUGGING]
    assert len(before) == 3 and all("under the 2% limit" in f["message"] for f in before)
    # … the planted county keeps only its income growth 0.2 pp above the province, on its self-report
    (left,) = [f for f in hugging if f["stream"] == HUGGING]
    assert "income growth" in left["message"] and left["evidence"] == before[0]["evidence"]
    # figure-mismatch: 1.95 % against 2.50 % both pass a 3 % limit, so incidence is no longer a crossed
    # threshold; the case stays critical only for its poor villages (0 remaining against 3)
    (default,) = [f for f in all_flags if f["rule"] == "figure-mismatch"]
    (west,) = [f for f in flags if f["rule"] == "figure-mismatch"]
    assert "incidence 1.95% is within the 2% limit, the verified 2.50% is not" in default["message"]
    assert "within the 3% limit" not in west["message"] and "within the 2% limit" not in west["message"]
    assert west["severity"] == "critical" and "no poor village remains, the verified figure has 3" in west["message"]
    assert west["evidence"] == default["evidence"]
    # everything the limit does not touch is as before
    untouched = [f for f in all_flags if f["rule"] not in ("threshold-hugging", "figure-mismatch")]
    assert [f for f in flags if f["rule"] not in ("threshold-hugging", "figure-mismatch")] == untouched


def test_a_json_policy_means_the_same_as_the_toml_one(demo: Demo, tmp_path: Path) -> None:
    toml = demo.flags("--policy", policy_file(tmp_path, "west.toml", 'incidence_limit = "3"\n'))
    assert demo.flags("--policy", policy_file(tmp_path, "west.json", '{"incidence_limit": "3"}')) == toml
    assert demo.flags("--policy", policy_file(tmp_path, "number.json", '{"incidence_limit": 3}')) == toml
    assert demo.flags("--policy", policy_file(tmp_path, "number.toml", "incidence_limit = 3\n")) == toml
    assert demo.flags("--policy", policy_file(tmp_path, "UPPER.JSON", '{"incidence_limit": 3.0}')) == toml


def test_a_policy_of_the_defaults_changes_nothing(demo: Demo, all_flags, tmp_path: Path) -> None:
    assert demo.flags("--policy", policy_file(tmp_path, "empty.toml", "")) == all_flags
    assert demo.flags("--policy", policy_file(tmp_path, "empty.json", "{}")) == all_flags
    same = policy_file(tmp_path, "same.toml", 'incidence_limit = "2"\nveto = false\nhugging_incidence_pp = 0.3\n')
    assert demo.flags("--policy", same) == all_flags


def test_veto_mode_flags_the_exit_despite_the_special_rectification(demo: Demo, all_flags, events,
                                                                    tmp_path: Path) -> None:
    assert (SPECIAL, "threshold-overridden") not in pairs(all_flags)
    flags = demo.flags("--policy", policy_file(tmp_path, "veto.toml", "veto = true\n"))
    (veto,) = [f for f in flags if f["stream"] == SPECIAL]
    assert veto["rule"] == "threshold-overridden" and veto["severity"] == "critical"
    assert "veto mode" in veto["message"] and "missed-assessment rate" in veto["message"]
    cited = {events[e["seq"]]["type"] for e in veto["evidence"]}
    assert {"ThirdPartyEvaluationCompleted", "SpecialRectificationReported", "ExitApproved"} <= cited
    # the planted override is flagged either way; nothing else changes
    assert [f for f in flags if f["stream"] != SPECIAL] == all_flags
    assert demo.flags(SPECIAL, "--policy", policy_file(tmp_path, "veto.json", '{"veto": true}')) == [veto]


# -- current after a new event -------------------------------------------------------------------


def test_flags_are_current_after_a_revision_recorded_through_the_cli(demo: Demo, tmp_path: Path) -> None:
    d = demo.copy(tmp_path / "copy")
    stream = f"case:{CLEAN_COUNTY}-2020"
    key = lambda actor: ("--key", str(d.keys / f"{actor}.pem"))  # noqa: E731

    def record(type_: str, actor: str, payload: dict[str, Any]) -> dict[str, Any]:
        return must(invoke(*d.db, "record", type_, "--stream", stream, "--actor", actor, *key(actor),
                           "--data", json.dumps(payload, ensure_ascii=False), "--json")).json()

    opened = must(invoke(*d.db, "status", f"case:{CLEAN_COUNTY}-2017", "--json")).json()[0]
    record("CaseOpened", "ah-office", {
        "county_code": CLEAN_COUNTY, "county_name": opened["county_name"], "city_code": opened["city_code"],
        "city_name": opened["city_name"], "tier": opened["tier"], "year": 2020, "opened_on": "2020-08-03"})
    figures = {"source": "county_self_report", "reported_on": "2020-11-20", "as_of": "2020-10-31",
               "rural_population": 298180, "poor_population": 3603, "poverty_incidence": "1.21",
               "poor_villages_total": 25, "poor_villages_remaining": 0, "income_growth": "9.0",
               "provincial_income_growth": "7.8", "public_service_indicators_met": 19}
    first = record("FiguresReported", f"{CLEAN_COUNTY}-lg", figures)
    record("ExitApplicationApproved", f"{CLEAN_COUNTY}-pg", {"approved_on": "2020-12-01", "document": "怀发〔2020〕1号"})
    application = record("ExitApplicationSubmitted", f"{CLEAN_COUNTY}-lg", {
        "submitted_on": "2020-12-03", "document": "怀扶组〔2020〕2号", "attestation": "对申报数据的真实性负责"})
    assert d.flags(stream) == []  # clean so far (and the read models are now caught up to here)
    others = [f for f in d.flags() if f["stream"] != stream]

    revision = record("FiguresReported", f"{CLEAN_COUNTY}-lg",
                      {**figures, "reported_on": "2020-12-05", "income_growth": "10.5"})
    flags = d.flags(stream)  # no rebuild, no other command in between
    assert {f["rule"]: f["severity"] for f in flags} == {"late-revision": "high", "unevidenced-revision": "high"}
    for f in flags:
        cited = {(e["seq"], e["hash"]) for e in f["evidence"]}
        assert (revision["seq"], revision["hash"]) in cited and (first["seq"], first["hash"]) in cited, f
        assert f["stream"] == stream
    (late,) = [f for f in flags if f["rule"] == "late-revision"]
    assert (application["seq"], application["hash"]) in {(e["seq"], e["hash"]) for e in late["evidence"]}
    assert [f for f in d.flags() if f["stream"] != stream] == others
    assert d.flags("--rule", "unevidenced-revision", stream) == [f for f in flags if f["rule"] == "unevidenced-revision"]


# -- the ledger's incidence limit is the default ------------------------------------------------


def test_the_incidence_threshold_defaults_to_the_ledgers_incidence_limit(tmp_path: Path) -> None:
    db = ("--db", f"sqlite:///{tmp_path}/west.db")
    keys = {a: tmp_path / f"{a}.pem" for a in ("ledger-authority", "ah-office", "340828-lg")}
    vkeys = {a: must(invoke("keygen", "--out", str(p), "--no-passphrase")).stdout.strip() for a, p in keys.items()}
    must(invoke(*db, "init", "--province-code", "340000", "--province-name", "安徽省", "--key",
                str(keys["ledger-authority"]), "--incidence-limit", "3"))
    for actor, name, role, code in (("ah-office", "安徽省扶贫开发领导小组办公室", "provincial_office", "340000"),
                                    ("340828-lg", "岳西县扶贫开发领导小组", "county_leading_group", "340828")):
        must(invoke(*db, "actor", "register", "--actor", actor, "--name", name, "--role", role, "--jurisdiction", code,
                    "--public-key", vkeys[actor], "--key", str(keys["ledger-authority"])))
    for type_, actor, payload in (
        ("CaseOpened", "ah-office", CASE_OPENED),
        ("FiguresReported", "340828-lg", {**FIGURES, "poor_population": 9773, "poverty_incidence": "2.90"}),
    ):
        must(invoke(*db, "record", type_, "--stream", CASE, "--actor", actor, "--key", str(keys[actor]),
                    "--data", json.dumps(payload, ensure_ascii=False)))
    flags = must(invoke(*db, "flags", "--json")).json()
    assert [(f["stream"], f["rule"], f["severity"]) for f in flags] == [(CASE, "threshold-hugging", "watch")]
    assert "incidence 2.90%" in flags[0]["message"] and "3% limit" in flags[0]["message"]
    # a policy that leaves the limit out keeps the ledger's; one that sets it wins
    veto = policy_file(tmp_path, "veto.toml", "veto = true\n")
    assert must(invoke(*db, "flags", "--policy", veto, "--json")).json() == flags
    east = policy_file(tmp_path, "east.json", '{"incidence_limit": 2}')
    assert must(invoke(*db, "flags", "--policy", east, "--json")).json() == []


# -- nothing to find -------------------------------------------------------------------------------


def test_an_initialised_ledger_without_cases_has_no_flags(tmp_path: Path) -> None:
    db = ("--db", f"sqlite:///{tmp_path}/empty.db")
    must(invoke("keygen", "--out", str(tmp_path / "a.pem"), "--no-passphrase"))
    must(invoke(*db, "init", "--province-code", "340000", "--province-name", "安徽省", "--key", str(tmp_path / "a.pem")))
    assert must(invoke(*db, "flags", "--json")).json() == []
    assert must(invoke(*db, "--json", "flags", "--severity", "watch", "--rule", "benford")).json() == []
    assert must(invoke(*db, "flags", "province:2018", "--json")).json() == []
    r = must(invoke(*db, "flags"))
    assert "0 red flag(s)" in r.stdout and r.stderr == ""
    assert_bad_input(invoke(*db, "flags", CLEAN), CLEAN)


def test_a_database_file_that_does_not_exist_is_bad_input(tmp_path: Path) -> None:
    r = invoke("--db", f"sqlite:///{tmp_path}/none.db", "flags", "--json")
    assert_bad_input(r, "none.db")
    assert not (tmp_path / "none.db").exists()


# -- bad input -------------------------------------------------------------------------------------

BAD_POLICIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # (id, file name, content, what the one error line names)
    ("unknown-key", "typo.toml", "incidence_limt = 3\n", ("incidence_limt", "unknown policy key")),
    ("unknown-key-json", "typo.json", '{"veto": true, "colour": "red"}', ("colour", "unknown policy key")),
    ("nested-table", "nested.toml", "[flags]\nincidence_limit = 3\n", ("flags", "unknown policy key")),
    ("malformed-toml", "broken.toml", "incidence_limit = \n", ("broken.toml", "not valid TOML")),
    ("malformed-json", "broken.json", '{"incidence_limit": 3,}', ("broken.json", "not valid JSON")),
    ("not-a-table", "list.json", "[1, 2]", ("list.json", "table of keys")),
    ("wrong-kind-bool", "veto.json", '{"veto": "yes"}', ("veto", "true or false")),
    ("wrong-kind-decimal", "abc.toml", 'incidence_limit = "abc"\n', ("incidence_limit", "decimal")),
    ("wrong-kind-int", "int.toml", "bunching_min_cases = 8.5\n", ("bunching_min_cases", "whole number")),
    ("zero-limit", "zero.toml", "incidence_limit = 0\n", ("incidence_limit", "above 0")),
    ("negative", "neg.toml", "drift_pct = -1\n", ("drift_pct", "negative")),
    ("p-value-above-1", "p.toml", "one_way_p = 1.5\n", ("one_way_p", "between 0 and 1")),
    ("other-suffix", "policy.yaml", "incidence_limit: 3\n", ("policy.yaml", ".toml or .json")),
]


@pytest.mark.parametrize(("name", "content", "needles"), [b[1:] for b in BAD_POLICIES], ids=[b[0] for b in BAD_POLICIES])
def test_a_bad_policy_file_is_bad_input(demo: Demo, tmp_path: Path, name: str, content: str,
                                        needles: tuple[str, ...]) -> None:
    r = invoke(*demo.db, "flags", "--policy", policy_file(tmp_path, name, content), "--json")
    assert_bad_input(r, "--policy", *needles)


def test_a_missing_policy_file_is_bad_input(demo: Demo, tmp_path: Path) -> None:
    r = invoke(*demo.db, "flags", "--policy", str(tmp_path / "no-such.toml"))
    assert_bad_input(r, "--policy", "no-such.toml")


def test_a_directory_as_policy_is_a_usage_error(demo: Demo, tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    r = invoke(*demo.db, "flags", "--policy", str(tmp_path / "dir.toml"))
    assert r.code == 2 and "Traceback" not in r.stderr and r.stdout == "", r


@pytest.mark.parametrize(("args", "needles"), [
    (["--rule", "no-such-rule"], ("--rule", "no-such-rule", "unknown rule")),
    (["--rule", "deadline", "--rule", "Deadline"], ("Deadline", "unknown rule")),
    (["--severity", "severe"], ("--severity", "severe", "critical, high", "watch")),
    (["--severity", "HIGH"], ("--severity", "HIGH")),
    (["case:999999-2018"], ("case:999999-2018", "no such case")),
    (["case:340828-2018"], ("case:340828-2018", "no such case")),  # a county of the demo, another year
    (["actors"], ("actors", "no such case")),
    (["no-such-stream"], ("no-such-stream",)),
], ids=["unknown-rule", "rule-wrong-case", "unknown-severity", "severity-upper-case", "unknown-case",
        "case-of-another-year", "not-a-case-stream", "unknown-stream"])
def test_bad_arguments_are_bad_input(demo: Demo, args: list[str], needles: tuple[str, ...]) -> None:
    before = size(demo)
    assert_bad_input(invoke(*demo.db, "flags", *args, "--json"), *needles)
    assert_bad_input(invoke(*demo.db, "flags", *args), *needles)
    assert size(demo) == before


@pytest.mark.parametrize("stream", ["province:abc", "province:", "province:19999"])
def test_a_province_stream_that_is_not_a_year_is_bad_input(demo: Demo, stream: str) -> None:
    assert_bad_input(invoke(*demo.db, "flags", stream, "--json"), stream)


def test_a_province_year_without_cases_has_no_flags(demo: Demo) -> None:
    assert must(invoke(*demo.db, "flags", "province:1999", "--json")).json() == []


def test_messages_write_numbers_as_a_person_reads_them(all_flags) -> None:
    (dup,) = [f for f in all_flags if f["rule"] == "duplicate-village-records"]
    assert "per-capita income 11000 yuan" in dup["message"], dup["message"]
    assert not [f["message"] for f in all_flags if "E+" in f["message"]]
