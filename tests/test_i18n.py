"""Thai and English: every message in both languages, the same findings in each, and the
language chosen as the README says (`--lang`, PROVPLAN_LANG, `language:`, the locale)."""

from __future__ import annotations

import ast
import json
import os
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan import i18n
from provplan.cli import app
from provplan.diagnostics import CODES, title
from tests import catalogue

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "cases" / "invalid"
runner = CliRunner()


def _fields(template: str) -> set[tuple[str, str | None]]:
    return {(name, conv) for _, name, _, conv in string.Formatter().parse(template) if name}


def _texts(value: object) -> list[str]:
    """A catalogue entry's text, or its forms for a plural."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (tuple, list)) else []


def test_the_thai_catalogue_is_built_into_the_package() -> None:
    assert i18n.translated("th"), "the .mo is built by hatch_build.py: pip install -e . again"


def test_every_message_and_key_has_its_thai() -> None:
    thai = catalogue.thai()
    wanted = catalogue.template()
    missing, wrong = [], []
    for message in wanted:
        if not message.id:
            continue
        found = thai.get(message.id, context=message.context)
        strings = _texts(found.string if found else None)
        if found is None or not strings or not all(strings) or found.fuzzy:
            missing.append(message.id)
            continue
        english = _texts(message.id)[-1]  # the plural form names every parameter
        if any(_fields(s) != _fields(english) for s in strings):  # invented or dropped
            wrong.append(message.id)
    assert not missing, f"untranslated (run python -m tests.catalogue): {missing}"
    assert not wrong, f"Thai and English name different parameters: {wrong}"
    assert len(wanted) > 250  # the extraction found the code's messages


def test_every_code_has_a_title_in_both_languages() -> None:
    for code in CODES:
        english = title(code)
        i18n.use("th")
        thai = title(code)
        i18n.use("en")
        assert english, code
        assert thai != english, code


def test_messages_are_literal_so_the_catalogue_can_find_them() -> None:
    """`msg(template)` with a computed template would never be translated."""
    calls = []
    for path in (ROOT / "src" / "provplan").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        imported = {  # the keywords this module takes from provplan.i18n or diagnostics
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module in ("provplan.i18n", "provplan.diagnostics")
            for alias in node.names
        } | ({"Code"} if path.name == "diagnostics.py" else set())
        for node in ast.walk(tree):
            name = getattr(node, "func", None)
            if isinstance(node, ast.Call) and isinstance(name, ast.Name) and name.id in imported:
                positions = catalogue.KEYWORDS.get(name.id, ())
                for i in positions:
                    arg = node.args[i - 1] if len(node.args) >= i else None
                    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                        calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not calls


def _validate(*args: str, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = runner.invoke(app, ["validate", str(INVALID), "-f", "json", *args], env=env)
    assert result.exit_code == 1, result.output
    return list(json.loads(result.stdout)["diagnostics"])


def test_thai_and_english_give_the_same_findings_in_other_words() -> None:
    thai = _validate("--lang", "th")
    english = _validate("--lang", "en")
    assert len(thai) == len(english) > 100
    for t, e in zip(thai, english, strict=True):
        assert t.keys() == e.keys()
        assert {k: v for k, v in t.items() if k != "message"} == {
            k: v for k, v in e.items() if k != "message"
        }
    thai_words = sum(any("\u0e00" <= c <= "\u0e7f" for c in str(t["message"])) for t in thai)
    assert thai_words / len(thai) > 0.95  # the rest are YAML parser's own words inside ours
    assert not any("ต้องมี" in str(e["message"]) for e in english)


def test_a_missing_key_is_named_in_thai_with_its_key() -> None:
    found = _validate("--lang", "th")
    messages = [str(d["message"]) for d in found if d["code"] == "PP101"]
    assert "ต้องมี หน่วยงานผู้รับผิดชอบ (`agency`) ที่ตำแหน่งนี้" in messages


def test_the_language_is_chosen_flag_then_environment_then_settings_then_locale() -> None:
    assert i18n.choose("en", "th", {"PROVPLAN_LANG": "th", "LANG": "th_TH.UTF-8"}) == "en"
    assert i18n.choose(None, "en", {"PROVPLAN_LANG": "th_TH", "LANG": "C"}) == "th"
    assert i18n.choose(None, "th", {"LANG": "en_US.UTF-8"}) == "th"
    assert i18n.choose(None, None, {"LC_ALL": "th_TH.UTF-8", "LANG": "en_US"}) == "th"
    assert i18n.choose(None, None, {"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.choose(None, None, {}) == "en"


def test_an_office_that_says_language_th_reads_thai(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "provplan.yaml").write_text("language: th\n", encoding="utf-8")
    (plans / "broken.yaml").write_text("provplan: 1\nkind: action-plan\n", encoding="utf-8")
    english = {"LANG": "en_US.UTF-8", "PROVPLAN_LANG": ""}
    shown = runner.invoke(app, ["validate", str(plans), "--no-cache"], env=english)
    assert "ต้องมี" in shown.stdout
    assert "ข้อผิดพลาด" in shown.stdout
    flag = runner.invoke(app, ["validate", str(plans), "--no-cache", "--lang", "en"], env=english)
    assert "is required here" in flag.stdout
    assert "ต้องมี" not in flag.stdout
    env = runner.invoke(app, ["validate", str(plans), "--no-cache"], env={"PROVPLAN_LANG": "en"})
    assert "is required here" in env.stdout


def test_commands_without_a_plan_set_speak_the_office_s_language_too(tmp_path: Path) -> None:
    (tmp_path / "provplan.yaml").write_text("language: th\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text("provplan: 1\nkind:   action-plan\n", encoding="utf-8")
    english = {"LANG": "en_US.UTF-8", "PROVPLAN_LANG": ""}
    shown = runner.invoke(app, ["fmt", str(tmp_path), "--check"], env=english)
    assert "จะจัดรูปแบบ 1 ไฟล์" in shown.stdout


def test_help_follows_the_office_and_the_last_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "provplan.yaml").write_text("language: th\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    english = {"LANG": "en_US.UTF-8", "PROVPLAN_LANG": ""}
    office = runner.invoke(app, ["validate", "--help"], env=english)
    assert "ตรวจไฟล์แผนและรายงานทุกปัญหาที่พบ" in office.stdout
    invalid_env = runner.invoke(app, ["validate", "--help"], env={"PROVPLAN_LANG": "fr"})
    assert "ตรวจไฟล์แผนและรายงานทุกปัญหาที่พบ" in invalid_env.stdout  # fr: not a choice
    group = runner.invoke(app, ["--help", "--lang", "th"], env=english)
    assert "ตรวจไฟล์แผนและรายงานทุกปัญหาที่พบ" in group.stdout
    last = runner.invoke(app, ["--lang", "th", "validate", "--lang", "en", "--help"])
    assert "Check plan files" in last.stdout  # the last --lang, as click takes options


def test_an_unknown_language_is_a_usage_error() -> None:
    for words in (["validate", "--lang", "fr"], ["validate", "--lang="]):
        result = runner.invoke(app, words)
        assert result.exit_code == 2, words
        assert "th or en" in result.stderr


def test_plan_text_in_a_parameter_is_never_read_as_a_template() -> None:
    i18n.use("th")
    shown = str(i18n.msg("unknown key `{key}`{hint}", key="{hint} {0} {key!k}", hint=""))
    assert shown == "ไม่รู้จักคีย์ `{hint} {0} {key!k}`"


def test_help_reads_in_the_language_asked() -> None:
    thai = runner.invoke(app, ["rollup", "--lang", "th", "--help"])
    assert thai.exit_code == 0
    assert "รวมงบประมาณกลุ่มจังหวัดอย่างแม่นยำ" in thai.stdout
    assert "ตัวอย่าง:" in thai.stdout
    assert "เขียนลงไฟล์นี้" in thai.stdout  # an option's help
    english = runner.invoke(app, ["rollup", "--lang", "en", "--help"])
    assert "Add up cluster budgets exactly" in english.stdout
    assert "Examples:" in english.stdout
    listing = runner.invoke(app, ["--help"], env={"PROVPLAN_LANG": "th"})
    assert "ตรวจไฟล์แผนและรายงานทุกปัญหาที่พบ" in listing.stdout  # validate's line
    for words in (["validate", "--help", "--lang", "th"], ["--lang", "th", "validate", "--help"]):
        shown = runner.invoke(app, words)  # `--lang` anywhere, even after `--help`
        assert "ตรวจไฟล์แผนและรายงานทุกปัญหาที่พบ" in shown.stdout, words


def test_lang_before_the_command_applies_to_its_findings() -> None:
    found = runner.invoke(app, ["--lang", "th", "validate", str(INVALID), "-f", "json"])
    messages = [d["message"] for d in json.loads(found.stdout)["diagnostics"]]
    assert "ต้องมี หน่วยงานผู้รับผิดชอบ (`agency`) ที่ตำแหน่งนี้" in messages


def test_a_forged_cache_entry_reads_nothing_of_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template is only ever the code's: one read from a tampered cache entry, which could
    walk `{p.__init__.__globals__…}` to the environment, makes the entry a miss."""
    with pytest.raises(ValueError, match="__globals__"):
        i18n.Message.from_json({"text": "{p.__init__.__globals__}", "params": {"p": "x"}})
    with pytest.raises(KeyError):  # and rendering never follows attributes or indexes
        str(i18n.Message("{p.upper}", (("p", "x"),)))
    monkeypatch.setenv("SECRET_TOKEN", "ghp_example_secret")
    plan = tmp_path / "a.yaml"
    plan.write_text("provplan: 1\nkind: action-plan\n", encoding="utf-8")
    first = runner.invoke(app, ["validate", str(plan)])
    forged = 0
    cache = Path(os.environ["PROVPLAN_CACHE_DIR"])
    for entry in cache.rglob("*.json"):
        text = entry.read_text(encoding="utf-8")
        if "is required here" in text:
            entry.write_text(
                text.replace(
                    '"{key!k} is required here"',
                    '"{key.__init__.__globals__[os].environ[SECRET_TOKEN]}"',
                ),
                encoding="utf-8",
            )
            forged += 1
    assert forged
    again = runner.invoke(app, ["validate", str(plan)])
    assert "ghp_example_secret" not in again.output
    assert again.stdout == first.stdout


def test_an_oversized_provplan_yaml_is_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office's language is read from the head of provplan.yaml; a file past the bound
    is validate's finding (PP004), never a crash of help or fmt."""
    (tmp_path / "provplan.yaml").write_text("language: th\n" + "#" * (33 << 20), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    english = {"LANG": "en_US.UTF-8", "PROVPLAN_LANG": ""}
    shown = runner.invoke(app, ["validate", "--help"], env=english)
    assert shown.exit_code == 0
    assert "ตรวจไฟล์แผน" in shown.stdout
    assert runner.invoke(app, ["fmt", "."], env=english).exit_code == 0
