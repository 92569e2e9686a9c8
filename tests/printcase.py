"""A plan repository made to stress print layout: a vision that looks like a list, a 220-character
URL in a description, long indicator names, and many strategies whose headings could fall at
the foot of a page."""

from __future__ import annotations

import textwrap
from pathlib import Path

URL = "https://example.org/stats?file=" + "border_trade_statistics_" * 8 + "2568.xlsx"
assert len(URL) > 200
STRATEGIES = 14
WORDS = "ศึกษาความเหมาะสม ออกแบบพื้นที่ และจัดทำข้อเสนอการจัดตั้งเขตปลอดอากรบริเวณด่านศุลกากร"


def write_print_case(root: Path) -> Path:
    """Write the repository under `root`; return it."""
    root.mkdir(parents=True, exist_ok=True)
    strategies = "\n".join(
        f"      - id: S1.{n}\n        title: กลยุทธ์ทดสอบการจัดหน้าที่ {n} พัฒนาการค้าชายแดน"
        for n in range(1, STRATEGIES + 1)
    )
    (root / "plan.yaml").write_text(
        textwrap.dedent("""\
            provplan: 1
            kind: province-plan
            owner: mukdahan
            period: {start: 2566, end: 2570}
            vision: "- มุกดาหารเมืองน่าอยู่ เศรษฐกิจมั่นคง"
            positioning: "1. ศูนย์กลางการค้าชายแดน"
            strategic_issues:
              - id: SI1
                title: การค้าชายแดน
                goals:
                  - id: G1
                    statement: การค้าชายแดนเพิ่มขึ้น
                    indicators:
                      - id: I1.1
                        name: มูลค่าการค้าชายแดนผ่านด่านศุลกากรมุกดาหารและด่านศุลกากรนครพนมรวมกันต่อปี
                        unit: ล้านบาท
                        targets: {2566: 1000, 2567: 2000, 2568: 3000, 2569: 4000, 2570: 5000}
                strategies:
            """)
        + strategies
        + "\n",
        encoding="utf-8",
    )
    projects = []
    for n in range(1, STRATEGIES + 1):
        for k in range(2):
            number = 2 * n + k - 1
            description = description_of(number)
            projects.append(
                textwrap.indent(
                    textwrap.dedent(f"""\
                        - id: P{number:02d}
                          title: โครงการพัฒนาการค้าชายแดนลำดับที่ {number}
                          strategic_issue: SI1
                          strategy: S1.{n}
                          channel: {"province-request" if k == 0 else "province-ministry-support"}
                          description: "{description}"
                          outputs: [ผู้ประกอบการ 100 ราย]
                          outcomes: [มูลค่าการค้าเพิ่มขึ้นร้อยละ 5]
                          agency: สำนักงานพาณิชย์จังหวัดมุกดาหาร
                          budget: {{amount: {1000000 * number}}}
                        """),
                    "  ",
                )
            )
    (root / "action.yaml").write_text(
        "provplan: 1\nkind: action-plan\nowner: mukdahan\nfiscal_year: 2568\nprojects:\n"
        + "".join(projects),
        encoding="utf-8",
    )
    return root


def description_of(number: int) -> str:
    """Project `number`'s description: of varied lengths, the first with the long URL."""
    description = " ".join([WORDS] * (1 + (number * 7) % 5))
    return description + f" ข้อมูล {URL}" if number == 1 else description
