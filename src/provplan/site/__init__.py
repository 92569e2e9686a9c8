"""`provplan site`: a validated plan set as a static website of one fiscal year (docs in the
README, "Website").

`figures` takes every baht from the rollup, `pages` makes the pages, `charts` their Vega-Lite
specs, `search` the offline index, `progress` the place where progress reports plug in. The
documents themselves are rendered by the render core into `documents/`. Everything is written
through one staging folder, so a failed build leaves the earlier site intact; a file whose
bytes did not change is not replaced (its time stays, a sync to a share copies nothing).
"""

from __future__ import annotations

import filecmp
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from jinja2 import Environment

from provplan import fonts, parallel
from provplan.output import Staging, staged, write_under
from provplan.planset import Outline
from provplan.render import RenderError, target_for, template_errors, write_documents
from provplan.render.documents import Changed, Renderer
from provplan.render.env import make_env, repository_templates
from provplan.site import search
from provplan.site.figures import figures
from provplan.site.pages import Pages
from provplan.site.progress import Progress, ProgressSource, no_progress
from provplan.validate import CheckResult

STATIC = ("site.css", "site.js", "search.js")
VENDOR = ("vega.min.js", "vega-lite.min.js", "LICENSE-vega", "LICENSE-vega-lite")


class SiteError(Exception):
    """The site could not be built; the message says why and what to do."""


@dataclass(frozen=True)
class Built:
    written: int  # files replaced or new
    unchanged: int  # files whose bytes were already there
    pages: int  # the site's own pages (documents not counted)
    documents: int
    size: int  # bytes of the whole site


def build_site(
    result: CheckResult,
    paths: Sequence[Path],
    out: Path,
    fiscal_year: int,
    *,
    templates: Path | None = None,
    progress: ProgressSource = no_progress,
    jobs: int | None = None,
) -> Built:
    """Write the site of a validated run for one fiscal year below `out`. Raises `SiteError`
    and leaves `out` as it was when anything fails."""
    overrides = [templates] if templates else repository_templates(result.repository, paths)
    env = make_env("html", overrides)
    targets = result.repository.settings.disbursement_targets
    renderer = Renderer(result.plans, env, "html", targets)
    target = target_for(paths, [o.path for o in result.plans.outlines])

    documents_of = {
        id(o): PurePosixPath(target(o).as_posix() + ".html") for o in result.plans.outlines
    }

    def document_of(outline: Outline) -> PurePosixPath:
        return documents_of[id(outline)]

    # a year's progress adds up every report: once per year, not once per page (3,500 pages);
    # every reported year is worked out before the workers fork, so they inherit it (indicator
    # pages show each year of their plan's period)
    known: dict[int, Progress | None] = {}

    def progress_of(year: int) -> Progress | None:
        if year not in known:
            known[year] = progress(result.plans, year)
        return known[year]

    for year in {fiscal_year, *(r.fiscal_year for r in result.plans.progress_reports)}:
        progress_of(year)
    pages = Pages(renderer, figures(result.plans, fiscal_year), document_of, progress_of)
    try:
        with staged(out) as staging:
            with template_errors():
                documents = write_documents(staging.folder / "documents", renderer, paths, jobs)
            staging.files += [Path("documents") / d for d in documents]
            fonts.install(staging, Path("documents"))  # the documents name them by fonts/
            made = _write_pages(staging.folder, out, pages, env, size_of(result), jobs)
            staging.files += [path for path, changed in made if changed]
            count, same = len(made), sum(not changed for _, changed in made)
            staging.write(
                Path("assets/search-index.js"), search.script(search.index(pages, document_of))
            )
            _copy_static(staging)
            unchanged = same + _drop_unchanged(staging, out)
            written = len(staging.files)
    except (Changed, RenderError, SiteError) as err:
        raise SiteError(*err.args) from None
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return Built(written, unchanged, count, len(documents), size)


Shared = tuple[Pages, Environment, Path, Path]


def _write_pages(
    folder: Path, out: Path, pages: Pages, env: Environment, size: int, jobs: int | None
) -> list[tuple[Path, bool]]:
    """Every page into the staging folder, on all cores for a national set (3,500 pages);
    a page already in `out` with the same bytes is not written (False)."""
    shared: Shared = (pages, env, folder, out)
    with parallel.no_gc():
        return list(parallel.pmap(_write_page, pages.keys(), shared, size=size, jobs=jobs))


def _write_page(shared: Shared, key: tuple[str, ...]) -> tuple[Path, bool]:
    pages, env, folder, out = shared
    page = pages.make(key)
    root = "../" * (len(page.path.parts) - 1)
    with template_errors():  # the templates may be the repository's own
        text = env.get_template(page.template).render(root=root, **page.context)
    path = Path(page.path)
    if _same(out / path, text.encode("utf-8")):
        return path, False
    return write_under(folder, path, text), True


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def size_of(result: CheckResult) -> int:
    """Bytes of plan files: what decides whether workers are worth starting."""
    return sum(o.path.stat().st_size for o in result.plans.outlines if o.path.is_file())


def _copy_static(staging: Staging) -> None:
    static = resources.files("provplan.site") / "static"
    for name in STATIC:
        staging.write(Path("assets", name), (static / name).read_text("utf-8"))
    for name in VENDOR:
        staging.write(Path("assets/vendor", name), (static / "vendor" / name).read_text("utf-8"))


def _drop_unchanged(staging: Staging, out: Path) -> int:
    """Keep in the staging list only the files that are new or differ from what `out` holds."""
    changed = [
        f
        for f in staging.files
        if not (out / f).is_file() or not filecmp.cmp(staging.folder / f, out / f, shallow=False)
    ]
    unchanged = len(staging.files) - len(changed)
    staging.files[:] = changed
    return unchanged


__all__ = ["Built", "SiteError", "build_site"]
