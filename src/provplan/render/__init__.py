"""Rendering: a validated plan set → official documents in Markdown or HTML (README.md,
"Documents").

`env` is the sandboxed Jinja environment, `context` what each template gets, `linkage` the
seed's linkage table, `documents` which documents there are and where they go; `render` here
writes them all, or none: into a staging folder first, then renamed into place.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Literal

from jinja2 import TemplateError

from provplan import fonts, parallel
from provplan.i18n import msg
from provplan.output import Staging, staged, write_under
from provplan.pdf import PrintError, print_staged
from provplan.planset import Outline
from provplan.render.documents import Changed, Renderer
from provplan.render.env import Format, make_env, repository_templates
from provplan.validate import CheckResult
from provplan.word import WordError, to_word


class RenderError(Exception):
    """A document could not be made; the message says why and what to do."""


Output = Literal["md", "html", "pdf", "docx"]


def render(
    result: CheckResult,
    paths: Sequence[Path],
    out: Path,
    to: Output,
    *,
    templates: Path | None = None,
    thai_digits: bool = False,
    linkage: tuple[str, int] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Write every document of a validated run (or one linkage table) below `out`; return
    their paths relative to it. Raises `RenderError` and writes nothing when one fails.

    PDF and Word documents are made from the HTML ones (`provplan.pdf`, `provplan.word`), so
    a repository's own HTML templates shape them too.
    """
    overrides = [templates] if templates else repository_templates(result.repository, paths)
    fmt: Format = "md" if to == "md" else "html"
    env = make_env(fmt, overrides, thai_digits=thai_digits)
    env.globals["links"] = to == "html"
    targets = result.repository.settings.disbursement_targets
    renderer = Renderer(result.plans, env, fmt, targets)
    if linkage is not None and linkage not in renderer.linkages():
        cluster, year = linkage
        raise RenderError(
            msg("no plans of `{cluster}` for fiscal year {year}", cluster=cluster, year=year)
        )
    try:
        # all documents or none replace the earlier ones
        with template_errors(), staged(out) as staging:
            if linkage is not None:
                document = renderer.linkage_document(*linkage)
                staging.write(document.path, document.text)
            else:
                target = target_for(paths, [o.path for o in result.plans.outlines])
                staging.files += _render_all(staging.folder, renderer, target, jobs)
            _finish(staging, to, overrides, thai_digits, jobs)
    except (PrintError, WordError, Changed) as err:
        raise RenderError(*err.args) from None
    return [f for f in staging.files if f.parts[:1] != fonts.FOLDER.parts]


def _finish(
    staging: Staging, to: Output, overrides: list[Path], thai_digits: bool, jobs: int | None
) -> None:
    """HTML documents get the font beside them; PDF and Word replace them."""
    if to == "html":
        fonts.install(staging)
    elif to == "pdf":
        fonts.install(staging)  # the browser embeds it; the PDFs need no copy beside them
        print_staged(staging, jobs)
    elif to == "docx":
        to_word(staging, overrides, thai_digits=thai_digits, jobs=jobs)


@contextmanager
def template_errors() -> Iterator[None]:
    """A repository's template that does not parse, or fails at run time (`{{ 1/0 }}`, a
    filter on the wrong type), is the template's error, not provplan's: said, with where."""
    try:
        yield
    except TemplateError as err:
        raise RenderError(
            msg("template error: {where}{problem}", where=_where(err), problem=err.message)
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as err:
        raise RenderError(
            msg("a template failed: {error}", error=f"{type(err).__name__}: {err}")
        ) from None


def _where(err: TemplateError) -> str:
    lineno = getattr(err, "lineno", None)
    name = getattr(err, "filename", None) or getattr(err, "name", "")
    return f"{name}:{lineno}: " if lineno else ""


def target_for(roots: Sequence[Path], files: Sequence[Path]) -> Callable[[Outline], Path]:
    """Where a plan's documents go: its path relative to the folder it was found in (or its
    name, when named itself), without the suffix. Two plans never share a target (two
    folders each with a `plan.yaml`): those that would are placed by their path below the
    inputs' common folder, and, should that still collide, numbered in path order."""
    resolved = [r.resolve() for r in roots]

    def naive(path: Path) -> Path:
        for root in resolved:
            if root.is_dir() and path.is_relative_to(root):
                return path.relative_to(root).with_suffix("")
        return Path(path.stem)

    paths = sorted({p.resolve() for p in files})
    targets = {p: naive(p) for p in paths}
    counts = Counter(targets.values())
    if any(n > 1 for n in counts.values()):
        common = Path(os.path.commonpath([p.parent for p in paths]))
        for p in paths:
            if counts[targets[p]] > 1:
                targets[p] = p.relative_to(common).with_suffix("")
    taken: set[Path] = set()
    for p in paths:  # sorted: the numbering is the same at every run
        base, n = targets[p], 1
        while targets[p] in taken:
            n += 1
            targets[p] = base.with_name(f"{base.name}-{n}")
        taken.add(targets[p])

    def target(outline: Outline) -> Path:
        path = outline.path.resolve()
        return targets.get(path) or naive(path)

    return target


Shared = tuple[Renderer, Callable[[Outline], Path], Path]


def write_documents(
    folder: Path, renderer: Renderer, paths: Sequence[Path], jobs: int | None = None
) -> list[Path]:
    """Every document into a folder (a staging folder: the site's `documents/`), as `render`
    writes them; the paths written, relative to it."""
    target = target_for(paths, [o.path for o in renderer.plans.outlines])
    return _render_all(folder, renderer, target, jobs)


def _render_all(
    folder: Path, renderer: Renderer, target: Callable[[Outline], Path], jobs: int | None
) -> list[Path]:
    """Every document into the staging folder, plan files spread over all cores when there
    are many (28,000 project briefs a national year)."""
    outlines = renderer.plans.outlines
    work: list[tuple[Any, ...]] = [("plan", i) for i in range(len(outlines))]
    work += [("linkage", cluster, year) for cluster, year in renderer.linkages()]
    size = sum(_size(o.path) for o in outlines)
    shared: Shared = (renderer, target, folder)
    written: list[Path] = []
    results = parallel.pmap(_render_one, work, shared, size=size, jobs=jobs)
    with parallel.no_gc(), closing(results):  # a failure ends the workers at once
        for paths in results:
            written += paths
    return written


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _render_one(shared: Shared, item: tuple[Any, ...]) -> list[Path]:
    renderer, target, folder = shared
    if item[0] == "linkage":
        documents = [renderer.linkage_document(item[1], item[2])]
    else:
        outline = renderer.plans.outlines[item[1]]
        documents = list(renderer.of_plan(outline, target(outline)))
    return [write_under(folder, d.path, d.text) for d in documents]


__all__ = ["RenderError", "render", "target_for", "write_documents"]
