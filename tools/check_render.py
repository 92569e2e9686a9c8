"""Look at the rendered HTML in a real browser: print it to A4 with headless Chromium and check
that Thai text is set in a Thai font (not boxes), then keep screenshots to look at.

    python tools/check_render.py [OUT]     # needs Debian's chromium, poppler-utils, fonts-thai-tlwg

Exit 0 when every page printed on A4 with a Thai-capable font embedded; 1 otherwise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "clusters/northeast-upper-2/plan.html",
    "clusters/northeast-upper-2/action-plan-2568.html",
    "clusters/northeast-upper-2/action-plan-2568/C01.html",
    "clusters/northeast-upper-2/plan-summary.html",
    "linkage-northeast-upper-2-2568.html",
    "provinces/mukdahan/action-plan-2568.html",
    "clusters/northeast-upper-2/progress-2568-q4.html",
    "clusters/northeast-upper-2/progress-2568-q4-cluster.html",
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--hide-scrollbars",
]
A4_POINTS = (595, 842)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _plain(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.split("+")[-1].lower())


def thai_families() -> set[str]:
    """Font families installed here that cover Thai, as fontconfig says."""
    return {
        _plain(f)
        for line in run("fc-list", ":lang=th", "family").splitlines()
        for f in line.split(",")
    }


def check_page(chromium: str, html: Path, out: Path, profile: Path) -> list[str]:
    name = html.relative_to(out / "site").with_suffix("").as_posix().replace("/", "_")
    pdf, png = out / f"{name}.pdf", out / f"{name}.png"
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    run(chromium, *flags, f"--print-to-pdf={pdf}", html.as_uri())
    run(chromium, *flags, "--window-size=1240,1754", f"--screenshot={png}", html.as_uri())
    problems = []
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", str(pdf)))
    if not size or sorted((round(float(size[1])), round(float(size[2])))) != list(A4_POINTS):
        problems.append(f"{html.name}: not printed on A4 ({size and size.group(0)})")
    fonts = {_plain(line.split()[0]) for line in run("pdffonts", str(pdf)).splitlines()[2:]}
    known = thai_families() | {"sarabun"}  # the Sarabun provplan ships beside the HTML
    thai = {f for f in fonts if any(f.startswith(t) or t.startswith(f) for t in known)}
    if not thai:
        problems.append(f"{html.name}: no Thai font embedded (fonts: {sorted(fonts)})")
    if "วิสัยทัศน์" not in run("pdftotext", str(pdf), "-") and "plan.html" in html.name:
        problems.append(f"{html.name}: Thai text did not survive into the PDF")
    status = "ok" if not problems else "FAILED"
    print(f"{html.name}: {status}, Thai fonts {sorted(thai)}, screenshot {png}")
    return problems


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = [t for t in ("pdffonts", "pdfinfo", "pdftotext", "fc-list") if not shutil.which(t)]
    if not chromium or missing:
        print("needs: apt-get install chromium poppler-utils fonts-thai-tlwg fontconfig")
        return 1
    out = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="provplan-look-"))
    )
    out.mkdir(parents=True, exist_ok=True)
    site = out / "site"
    run(
        sys.executable,
        "-m",
        "provplan",
        "render",
        str(ROOT / "examples"),
        "--to",
        "html",
        "--out",
        str(site),
        "--no-cache",
    )
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as profile:
        for page in PAGES:
            problems += check_page(chromium, site / page, out, Path(profile))
    for problem in problems:
        print("problem:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
