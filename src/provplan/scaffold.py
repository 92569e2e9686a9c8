"""`provplan init`: a new plan repository for one province or cluster office.

Everything it writes works on the first push: the CI workflow and the pre-commit hooks
install provplan from one requirement (`requirements.txt`, also written into the hooks'
own environment), the workflow runs on the repository's own branch, and the Thai README says
every step an office takes. It never overwrites a file.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from provplan import __version__
from provplan.fmt import canonical_text
from provplan.i18n import msg
from provplan.output import write_atomic
from provplan.registry import Registry
from provplan.schema import dump, schemas
from provplan.years import BE_OFFSET

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


def installed_source() -> str | None:
    """Where this provplan was installed from, as a requirement CI can install again (a git
    URL at its commit, or a wheel's URL, as pip records them); None when it cannot tell."""
    try:
        recorded = distribution("provplan").read_text("direct_url.json")
        info = json.loads(recorded) if recorded else None
    except (PackageNotFoundError, ValueError):
        info = None
    url = info.get("url", "") if isinstance(info, dict) else ""
    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        return f"provplan @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
    if url.startswith(("https://", "http://")):
        return f"provplan @ {url}"
    return None


def branch_of(directory: Path) -> str:
    """The branch a new repository's CI runs on: the checkout's own, else git's default."""
    for args in (["symbolic-ref", "--short", "HEAD"], ["config", "init.defaultBranch"]):
        try:
            done = subprocess.run(
                ["git", "-C", str(directory), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            break
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    return "main"


def init_repository(
    directory: Path,
    owner: str,
    registry: Registry,
    fiscal_year: int,
    source: str | None = None,
) -> list[str]:
    """Write the files of a new plan repository for a registry owner into `directory`; never
    overwrite one (raises `InitError` and writes nothing).

    Args:
        source: the pip requirement CI and the hooks install provplan from (default: where
            this provplan came from, else this version by name).
    """
    if directory.exists() and not directory.is_dir():
        raise InitError(
            msg("{path} is a file; name a folder for the plan repository", path=directory)
        )
    requirement = source or installed_source() or f"provplan=={__version__}"
    files = scaffold(owner, registry, fiscal_year, requirement, branch_of(directory))
    existing = sorted(name for name in files if (directory / name).exists())
    if existing:
        raise InitError(msg("will not overwrite {files}", files=", ".join(existing)))
    for name, text in files.items():
        write_atomic(directory / name, text)
    return list(files)


def scaffold(
    owner: str,
    registry: Registry,
    fiscal_year: int,
    requirement: str = f"provplan=={__version__}",
    branch: str = "main",
) -> dict[str, str]:
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
        "requirements.txt": REQUIREMENTS.format(requirement=requirement),
        ".github/workflows/provplan.yml": WORKFLOW.replace("{branch}", json.dumps(branch)),
        ".pre-commit-config.yaml": PRE_COMMIT.replace("{requirement}", json.dumps(requirement)),
        ".vscode/settings.json": _editor_settings(kind),
        # the README puts the virtual environment in the repository: never commit it
        ".gitignore": "build/\n.venv/\n",
        "README.md": README.format(
            label=registry.label(owner), year=fiscal_year, requirement=requirement, branch=branch
        ),
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
language: th   # messages in Thai; `--lang en` or PROVPLAN_LANG=en for English
"""

REQUIREMENTS = """\
# provplan: where this repository's CI (.github/workflows/provplan.yml) installs it from.
# The same line is in .pre-commit-config.yaml (additional_dependencies): change both together.
# A released version:  provplan==0.1.0
# A git repository:    provplan @ git+https://github.com/ORG/provplan@v0.1.0
# A wheel:             provplan @ https://example.org/provplan-0.1.0-py3-none-any.whl
{requirement}
"""

WORKFLOW = """\
# Checks every pull request: validate with annotations, render the documents, post the diff.
name: provplan
on:
  pull_request:
  push:
    branches: [{branch}]
permissions:
  contents: read
  pull-requests: write
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
      - name: Install provplan (its source is in requirements.txt)
        run: pip install -r requirements.txt
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
# `pre-commit install` once; then every commit is checked. The hooks install provplan in
# their own environment from the requirement below (as in requirements.txt), so they work
# whether or not provplan is installed. validate reads the whole repository (an action plan
# is checked against its development plan); fmt lays out the files committed.
repos:
  - repo: local
    hooks:
      - id: provplan-validate
        name: provplan validate
        entry: provplan validate
        language: python
        additional_dependencies: [{requirement}]
        pass_filenames: false
        files: \\.ya?ml$
      - id: provplan-fmt
        name: provplan fmt
        entry: provplan fmt
        language: python
        additional_dependencies: [{requirement}]
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
| `requirements.txt` | แหล่งติดตั้ง provplan ที่ CI ใช้ (`{requirement}`) |

## เริ่มใช้งานครั้งแรก

1. ติดตั้ง Python 3.11 ขึ้นไป (https://www.python.org/downloads/
   หรือ `sudo apt install python3 python3-venv`)
2. ตรวจว่า `requirements.txt` ชี้ไปยังแหล่งที่ติดตั้ง provplan ได้จริง (ตอนนี้คือ `{requirement}`):
   ถ้าส่วนกลางเผยแพร่ provplan เป็น git URL หรือไฟล์ wheel ให้แก้บรรทัดนั้นทั้งใน `requirements.txt`
   และ `.pre-commit-config.yaml` ให้ตรงกันก่อน
3. ติดตั้ง provplan และ pre-commit ในโฟลเดอร์ของ repository นี้

   ```sh
   python3 -m venv .venv
   .venv/bin/pip install -r requirements.txt pre-commit     # Windows: .venv\\Scripts\\pip
   ```

4. ถ้าโฟลเดอร์นี้ยังไม่เป็น git repository ให้สั่ง `git init` ก่อน
   แล้วให้ตรวจทุกครั้งก่อน commit: `.venv/bin/pre-commit install`
   (hook ติดตั้ง provplan ในสภาพแวดล้อมของตัวเองจาก `.pre-commit-config.yaml` จึงใช้ได้แม้ไม่ได้เปิด .venv)
5. เปิดโฟลเดอร์นี้ใน VS Code และติดตั้งส่วนขยาย YAML (Red Hat) — จะมีคำแนะนำชื่อคีย์และขีดเส้นใต้จุดผิดขณะพิมพ์
   จาก `schemas/` ตามที่ตั้งไว้ใน `.vscode/settings.json`
6. ส่งขึ้น GitHub: ทุก push ไปที่ branch `{branch}` และทุก pull request
   จะถูกตรวจโดย `.github/workflows/provplan.yml`
   ได้เอกสารแผน (HTML) เป็น artifact และความเห็นสรุปการเปลี่ยนแปลงของโครงการและงบประมาณ

หากต้องการเปลี่ยนรุ่นหรือแหล่งติดตั้ง provplan ให้แก้บรรทัดเดียวกันทั้งใน `requirements.txt`
และ `.pre-commit-config.yaml`

## คำสั่งที่ใช้บ่อย

```sh
provplan validate                 # ตรวจทุกไฟล์ บอกบรรทัดที่ต้องแก้
provplan render . --to html       # เอกสารแผนใน build/ เปิดด้วยเบราว์เซอร์หรือพิมพ์เป็น PDF
provplan rollup . -f xlsx -o งบประมาณ.xlsx
provplan fmt                      # จัดรูปแบบไฟล์ให้เป็นมาตรฐานเดียวกัน
provplan diff {branch}                # สิ่งที่เปลี่ยนไปเทียบกับ {branch}
```
"""
