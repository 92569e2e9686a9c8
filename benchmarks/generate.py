"""Generate a synthetic national plan repository in format v1 that validates clean.

All 18 clusters and 76 provinces of the registry, a development plan 2566-2570 each, an
action plan per owner for each fiscal year asked, with realistic Thai text and budgets, and a
progress report per action plan for each quarter asked (default: the six-month round).

    python benchmarks/generate.py OUT [--years 2568 2569] [--projects 300] [--quarters 2 4]
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from pathlib import Path

from provplan.repository import builtin_registry

PERIOD = (2566, 2570)
ISSUES = [
    "การพัฒนาเศรษฐกิจการค้า การลงทุน และการค้าชายแดน",
    "การพัฒนาการท่องเที่ยวเชิงวัฒนธรรมและวิถีชีวิต",
    "การพัฒนาการเกษตรปลอดภัยและเกษตรแปรรูปมูลค่าสูง",
    "การพัฒนาคุณภาพชีวิตและสังคมที่เข้มแข็ง",
]
TOPICS = [
    "ผลิตภัณฑ์ชุมชน",
    "แหล่งท่องเที่ยว",
    "เกษตรอินทรีย์",
    "โลจิสติกส์",
    "ผู้ประกอบการรายย่อย",
    "สมุนไพร",
    "การค้าออนไลน์",
    "ด่านชายแดน",
    "ผ้าทอพื้นเมือง",
    "ข้าวหอมมะลิ",
    "ประมงน้ำจืด",
]
VERBS = ["พัฒนา", "ส่งเสริม", "ยกระดับ", "เพิ่มศักยภาพ", "ปรับปรุง", "สนับสนุน"]
AGENCIES = [
    "สำนักงานจังหวัด",
    "สำนักงานพาณิชย์จังหวัด",
    "สำนักงานเกษตรจังหวัด",
    "สำนักงานการท่องเที่ยวและกีฬาจังหวัด",
    "สำนักงานพัฒนาชุมชนจังหวัด",
    "สำนักงานอุตสาหกรรมจังหวัด",
    "สำนักงานโยธาธิการและผังเมืองจังหวัด",
]
SENTENCE = (
    "เพื่อเพิ่มขีดความสามารถในการแข่งขันของพื้นที่ สร้างรายได้ให้แก่ประชาชน "
    "และเชื่อมโยงเครือข่ายความร่วมมือระหว่างภาครัฐ ภาคเอกชน และภาคประชาชนอย่างยั่งยืน"
)
PROVINCE_CHANNELS = (
    ["province-request"] * 5
    + ["province-ministry-support"] * 2
    + ["ministry", "local-government", "other-state", "private"]
)
CLUSTER_CHANNELS = (
    ["cluster-request"] * 5
    + ["cluster-ministry-support"] * 2
    + ["cluster-in-province", "ministry", "local-government", "private"]
)


def development_plan(kind: str, owner: str, name: str) -> str:
    out = [
        f"provplan: 1\nkind: {kind}\nowner: {owner}\n"
        f"title: แผนพัฒนา{name} (พ.ศ. {PERIOD[0]}-{PERIOD[1]})\n"
        f"period: {{start: {PERIOD[0]}, end: {PERIOD[1]}}}\n"
        f"vision: {name}เมืองน่าอยู่ เศรษฐกิจมั่นคง {SENTENCE}\nstrategic_issues:\n"
    ]
    for i, title in enumerate(ISSUES, 1):
        out.append(f"  - id: SI{i}\n    title: {title}\n    goals:\n")
        for g in range(1, 4):
            out.append(
                f"      - id: G{i}.{g}\n        statement: เป้าประสงค์ที่ {g} ของ{title}\n"
                "        indicators:\n"
            )
            for k in range(1, 4):
                targets = ", ".join(
                    f"{y}: {100 + 10 * (y - PERIOD[0]) + k}"
                    for y in range(PERIOD[0], PERIOD[1] + 1)
                )
                out.append(
                    f"          - id: I{i}.{g}.{k}\n            name: ตัวชี้วัดที่ {k} ด้าน{TOPICS[k]}\n"
                    f"            unit: ร้อยละ\n            baseline: {{year: 2565, value: 95}}\n"
                    f"            targets: {{{targets}}}\n"
                )
        out.append("    strategies:\n")
        for s in range(1, 5):
            out.append(
                f"      - id: S{i}.{s}\n        title: {VERBS[s]}{TOPICS[s + i]}\n"
                f"        description: {SENTENCE}\n"
            )
    return "".join(out)


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(5, 5000)) * 10000 + (
        Decimal(rng.randrange(0, 100)) / 100 if rng.random() < 0.1 else 0
    )


def project(
    rng: random.Random,
    n: int,
    owner: str,
    channels: list[str],
    members: list[str],
    amounts: list[Decimal] | None = None,
) -> str:
    issue = rng.randrange(1, 5)
    channel = rng.choice(channels)
    topic = rng.choice(TOPICS)
    amount = _amount(rng)
    if amounts is not None:
        amounts.append(amount)
    parts = [amount // 4, amount // 4]
    parts.append(amount - sum(parts))
    area = f"    area: [{rng.choice(members)}]\n" if channel == "cluster-in-province" else ""
    agency = rng.choice(AGENCIES)
    activities = "".join(
        f"      - title: กิจกรรมที่ {a + 1} {rng.choice(VERBS)}{topic}\n        budget: {part}\n"
        f"        agency: {agency}\n"
        for a, part in enumerate(parts)
    )
    return (
        f"  - id: P{n:04d}\n    title: โครงการ{rng.choice(VERBS)}{topic}ของ{owner} ปีที่ {n}\n"
        f"    strategic_issue: SI{issue}\n    strategy: S{issue}.{rng.randrange(1, 5)}\n"
        f"    indicators: [I{issue}.1.1, I{issue}.2.2]\n    channel: {channel}\n{area}"
        f"    description: >-\n      {rng.choice(VERBS)}{topic}{SENTENCE}\n      {SENTENCE}\n"
        f"    rationale: {topic}ยังขาดการพัฒนาอย่างต่อเนื่อง {SENTENCE}\n"
        f"    objectives:\n      - เพื่อ{rng.choice(VERBS)}{topic}\n      - {SENTENCE}\n"
        f"    outputs:\n      - ผู้เข้าร่วมโครงการ {rng.randrange(50, 900)} คน\n"
        f"    outcomes:\n      - รายได้จาก{topic}เพิ่มขึ้นร้อยละ {rng.randrange(3, 20)}\n"
        f"    agency: {agency}\n"
        f"    budget:\n      amount: {amount}\n"
        f"      breakdown: {{operating: {parts[0] + parts[1]}, investment: {parts[2]}}}\n"
        f"    activities:\n{activities}"
    )


def action_plan(
    rng: random.Random,
    owner: str,
    year: int,
    count: int,
    channels: list[str],
    members: list[str],
    amounts: list[Decimal] | None = None,
) -> str:
    head = f"provplan: 1\nkind: action-plan\nowner: {owner}\nfiscal_year: {year}\nprojects:\n"
    return head + "".join(
        project(rng, n, owner, channels, members, amounts) for n in range(1, count + 1)
    )


AS_OF = {1: (12, 31), 2: (3, 31), 3: (6, 30), 4: (9, 30)}
PROBLEMS = [
    ("การจัดซื้อจัดจ้างล่าช้า ต้องประกาศประกวดราคาใหม่", "ปรับราคากลางและประกาศใหม่ภายใน 30 วัน"),
    ("ผู้รับจ้างขาดแคลนแรงงาน", "เร่งรัดผู้รับจ้างและติดตามงานทุกสัปดาห์"),
    ("ฝนตกชุก งานก่อสร้างหยุดชะงัก", "ขยายสัญญาตามเหตุสุดวิสัยและกันเงินเบิกเหลื่อมปี"),
]


def progress_report(
    rng: random.Random, owner: str, year: int, quarter: int, amounts: list[Decimal]
) -> str:
    """A report where each project has disbursed a share of its budget that grows by quarter."""
    month, day = AS_OF[quarter]
    ce = year - 543 - (1 if quarter == 1 else 0)
    out = [
        f"provplan: 1\nkind: progress-report\nowner: {owner}\nfiscal_year: {year}\n"
        f"quarter: {quarter}\nas_of: {ce}-{month:02d}-{day:02d}\nprojects:\n"
    ]
    for n, amount in enumerate(amounts, 1):
        share = min(Decimal(1), Decimal(quarter * rng.randrange(10, 30)) / 100)
        disbursed = (amount * share).quantize(Decimal("0.01"))
        committed = ((amount - disbursed) * Decimal(rng.randrange(0, 60)) / 100).quantize(
            Decimal("0.01")
        )
        if share == 1:
            status, progress, committed = "completed", 100, Decimal(0)
        else:
            status, progress = rng.choice(["procurement", "in-progress"]), int(share * 100)
        out.append(
            f"  - id: P{n:04d}\n    status: {status}\n    committed: {committed}\n"
            f"    disbursed: {disbursed}\n    progress: {progress}\n"
        )
        if rng.random() < 0.2:
            problem, remedy = rng.choice(PROBLEMS)
            out.append(f"    problems:\n      - {problem}\n    remedies:\n      - {remedy}\n")
    out.append("indicators:\n")
    for i in range(1, 5):
        target = 100 + 10 * (year - PERIOD[0]) + 1
        out.append(f"  - id: I{i}.1.1\n    actual: {target + rng.randrange(-15, 10)}\n")
    return "".join(out)


def generate(
    out: Path, years: list[int], projects: int, seed: int = 1, quarters: tuple[int, ...] = (2,)
) -> int:
    """Write the repository; return the number of files."""
    rng = random.Random(seed)
    registry = builtin_registry()
    files = 0
    owners = [("cluster", c.id, c.name_th, CLUSTER_CHANNELS, c.members) for c in registry.clusters]
    owners += [
        ("province", m, registry.province_by_id[m].name_th, PROVINCE_CHANNELS, [m])
        for c in registry.clusters
        for m in c.members
    ]
    out.mkdir(parents=True, exist_ok=True)
    targets = ", ".join(f"{y}: {{1: 30, 2: 54, 3: 77, 4: 100}}" for y in years)
    (out / "provplan.yaml").write_text(
        f"provplan: 1\ndisbursement_targets: {{{targets}}}\n", "utf-8"
    )
    for level, owner, name, channels, members in owners:
        folder = out / f"{level}s" / owner
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.yaml").write_text(development_plan(f"{level}-plan", owner, name), "utf-8")
        files += 1
        for year in years:
            amounts: list[Decimal] = []
            text = action_plan(rng, owner, year, projects, channels, members, amounts)
            (folder / f"action-plan-{year}.yaml").write_text(text, "utf-8")
            files += 1
            for quarter in quarters:
                report = progress_report(rng, owner, year, quarter, amounts)
                (folder / f"progress-{year}-q{quarter}.yaml").write_text(report, "utf-8")
                files += 1
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--years", type=int, nargs="+", default=[2568])
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quarters", type=int, nargs="*", default=[2])
    args = parser.parse_args()
    files = generate(args.out, args.years, args.projects, args.seed, tuple(args.quarters))
    print(f"wrote {files} files to {args.out}")


if __name__ == "__main__":
    main()
