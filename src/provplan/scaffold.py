"""`provplan init`: a new plan repository for one province or cluster office.

Returns the files as text; the command writes them, refusing to overwrite anything.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from provplan.fmt import canonical_text
from provplan.model.base import BE_OFFSET
from provplan.model.registry import Registry
from provplan.output import write_atomic
from provplan.schema import dump, schemas

PLAN_START = 2566  # plans run in five-year blocks: 2566-2570, 2571-2575, ...


def next_fiscal_year(today: datetime.date) -> int:
    """The fiscal year offices prepare now: the one after the current (FY runs Oct-Sep)."""
    current = today.year + BE_OFFSET + (1 if today.month >= 10 else 0)
    return current + 1


def period_of(year: int) -> tuple[int, int]:
    start = PLAN_START + 5 * ((year - PLAN_START) // 5)
    return start, start + 4


class InitError(Exception):
    """The repository cannot be made as asked; the message says why."""


def init_repository(directory: Path, owner: str, registry: Registry, fiscal_year: int) -> list[str]:
    """Write the files of a new plan repository for a registry owner into `directory`; never
    overwrite one (raises `InitError` and writes nothing)."""
    files = scaffold(owner, registry, fiscal_year)
    if directory.exists() and not directory.is_dir():
        raise InitError(f"{directory} is a file; name a folder for the plan repository")
    existing = sorted(name for name in files if (directory / name).exists())
    if existing:
        raise InitError(f"will not overwrite {', '.join(existing)}")
    for name, text in files.items():
        write_atomic(directory / name, text)
    return list(files)


def scaffold(owner: str, registry: Registry, fiscal_year: int) -> dict[str, str]:
    """Every file of a new plan repository, by path."""
    is_cluster = owner in registry.cluster_by_id
    kind = "cluster-plan" if is_cluster else "province-plan"
    start, end = period_of(fiscal_year)
    files = {
        "provplan.yaml": SETTINGS,
        # in the layout `provplan fmt` keeps, so that the first `fmt --check` passes
        "plan.yaml": canonical_text(
            _development_plan(kind, owner, registry.label(owner), start, end)
        ),
        f"action-plan-{fiscal_year}.yaml": canonical_text(
            _action_plan(owner, fiscal_year, is_cluster)
        ),
        ".github/workflows/provplan.yml": WORKFLOW,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".vscode/settings.json": _editor_settings(kind),
        ".gitignore": "build/\n",
        "README.md": README.format(label=registry.label(owner), year=fiscal_year),
    }
    files.update({f"schemas/{name}": dump(schema) for name, schema in schemas().items()})
    return files


def _development_plan(kind: str, owner: str, label: str, start: int, end: int) -> str:
    targets = ", ".join(f"{year}: 0" for year in range(start, end + 1))
    return f"""\
# แผนพัฒนา{label} — แก้ข้อความในวงเล็บเหลี่ยมให้เป็นของจริง แล้วตรวจด้วย `provplan validate`
provplan: 1
kind: {kind}
owner: {owner}
period: {{start: {start}, end: {end}}}
vision: "[วิสัยทัศน์]"
strategic_issues:
  - id: SI1
    title: "[ประเด็นยุทธศาสตร์ที่ 1]"
    goals:
      - id: G1
        statement: "[เป้าประสงค์]"
        indicators:
          - id: I1
            name: "[ตัวชี้วัด]"
            unit: "[หน่วยนับ]"
            targets: {{{targets}}}
    strategies:
      - id: S1
        title: "[กลยุทธ์]"
"""


def _action_plan(owner: str, year: int, is_cluster: bool) -> str:
    channel = "cluster-request" if is_cluster else "province-request"
    return f"""\
# แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {year} — คำของบประมาณ
provplan: 1
kind: action-plan
owner: {owner}
fiscal_year: {year}
projects:
  - id: P01
    title: "[ชื่อโครงการ]"
    strategic_issue: SI1
    strategy: S1
    indicators: [I1]
    channel: {channel}
    description: "[รายละเอียดโครงการ]"
    outputs:
      - "[เป้าหมาย: สิ่งที่โครงการส่งมอบ]"
    outcomes:
      - "[ผลสัมฤทธิ์]"
    agency: "[หน่วยงานผู้รับผิดชอบ]"
    budget:
      amount: 0
"""


def _editor_settings(kind: str) -> str:
    settings = {
        "yaml.schemas": {
            f"./schemas/{kind}.schema.json": ["plan.yaml"],
            "./schemas/action-plan.schema.json": ["action-plan-*.yaml"],
            "./schemas/progress-report.schema.json": ["progress-*.yaml"],
            "./schemas/settings.schema.json": ["provplan.yaml"],
        },
        "files.encoding": "utf8",
        "editor.insertSpaces": True,
        "[yaml]": {"editor.tabSize": 2},
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


SETTINGS = """\
# provplan settings for this plan repository (all optional)
provplan: 1
diagnostics:
  ignore: []   # codes never reported
  warn: []     # error codes reported as warnings
"""

WORKFLOW = """\
# Checks every pull request: validate with annotations, render the documents, post the diff.
name: provplan
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  pull-requests: write
env:
  PROVPLAN_PACKAGE: provplan  # or the wheel or git URL your central team publishes
jobs:
  plans:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install provplan
        run: pip install "$PROVPLAN_PACKAGE"
      - name: Validate
        run: provplan validate --format github
      - name: Render documents
        if: always()
        run: provplan render . --to html --out build
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: documents
          path: build/
      - name: What changed
        if: always() && github.event_name == 'pull_request'
        run: provplan diff "origin/${{ github.base_ref }}" HEAD --format md --out diff.md
      - name: Comment on the pull request
        if: always() && github.event_name == 'pull_request'
        env:
          GH_TOKEN: ${{ github.token }}
          PR: ${{ github.event.pull_request.number }}
        run: |
          gh pr comment "$PR" --body-file diff.md --edit-last ||
            gh pr comment "$PR" --body-file diff.md
"""

PRE_COMMIT = """\
# pre-commit install  — then every commit is checked. validate reads the whole repository
# (an action plan is checked against its development plan); fmt the files committed.
repos:
  - repo: local
    hooks:
      - id: provplan-validate
        name: provplan validate
        entry: provplan validate
        language: system
        pass_filenames: false
        files: \\.ya?ml$
      - id: provplan-fmt
        name: provplan fmt
        entry: provplan fmt
        language: system
        types: [yaml]
"""

README = """\
# แผนของ{label}

แผนพัฒนาและแผนปฏิบัติราชการประจำปีของ{label} เก็บเป็นไฟล์ YAML ตรวจและจัดทำเอกสารด้วย provplan

| ไฟล์ | คืออะไร |
| --- | --- |
| `plan.yaml` | แผนพัฒนา: วิสัยทัศน์ ประเด็นยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด ค่าเป้าหมาย กลยุทธ์ |
| `action-plan-{year}.yaml` | แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {year} (คำของบประมาณ) |
| `provplan.yaml` | การตั้งค่า |

```sh
provplan validate                 # ตรวจทุกไฟล์ บอกบรรทัดที่ต้องแก้
provplan render . --to html       # เอกสารแผนใน build/ เปิดด้วยเบราว์เซอร์หรือพิมพ์เป็น PDF
provplan rollup . -f xlsx -o งบประมาณ.xlsx
provplan fmt                      # จัดรูปแบบไฟล์ให้เป็นมาตรฐานเดียวกัน
provplan diff main                # สิ่งที่เปลี่ยนไปเทียบกับ main
```

ทุก pull request จะถูกตรวจโดยอัตโนมัติ (`.github/workflows/provplan.yml`) และได้ความเห็นสรุป
การเปลี่ยนแปลงของโครงการและงบประมาณ ติดตั้ง `pre-commit install` เพื่อตรวจก่อน commit
"""
