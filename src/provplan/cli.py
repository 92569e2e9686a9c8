"""The command line: parse options, call the core, pick a reporter, exit with a code.

Exit codes: 0 clean, 1 findings (errors, or warnings under --strict), 2 usage errors,
3 a bug in provplan. Heavy modules are imported inside commands so that `--help` and
`--version` stay as fast as typer itself (issue #6).
"""

from __future__ import annotations

import enum
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from provplan import FORMAT_VERSION, __version__

if TYPE_CHECKING:
    from provplan.model.registry import Registry
    from provplan.validate import CheckResult

app = typer.Typer(
    help="Validate, render and add up Thai provincial and cluster development plans kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help and errors: rich costs more than typer itself to import (issue #6)
    rich_markup_mode=None,
)


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provplan {__version__} (plan format v{FORMAT_VERSION})")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """provplan: plan files checked, rendered and added up."""


Paths = Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: .)")]
SettingsOption = Annotated[
    Path | None,
    typer.Option("--settings", help="provplan.yaml to use instead of the one found above PATHS."),
]


NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Read every file afresh; neither use nor fill the cache.")
]
Jobs = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores).")
]


@app.command()
def validate(
    paths: Paths = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
) -> None:
    """Check plan files and report every problem found, at its file, line and column."""
    from provplan.report import REPORTERS

    result = _check(paths, settings, no_cache, jobs, show_progress=fmt is ReportFormat.text)
    REPORTERS[fmt.value](result, sys.stdout)
    raise typer.Exit(result.exit_code(strict=strict))


def _check(
    paths: list[Path] | None,
    settings: Path | None,
    no_cache: bool,
    jobs: int | None,
    *,
    show_progress: bool = True,
) -> CheckResult:
    """Run the validation, with a progress bar on a terminal (never in CI or for JSON)."""
    from provplan.cache import default_dir
    from provplan.validate import check_paths

    cache_dir = None if no_cache else default_dir()
    interactive = sys.stdout.isatty() and sys.stderr.isatty() and not os.environ.get("CI")
    if not (show_progress and interactive):
        return check_paths(paths or [Path()], settings, jobs=jobs, cache_dir=cache_dir)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:  # stdout stays the report
        task = bar.add_task("checking plan files", total=None)
        return check_paths(
            paths or [Path()],
            settings,
            jobs=jobs,
            cache_dir=cache_dir,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


class RenderFormat(enum.StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"


@app.command()
def render(
    paths: Paths = None,
    to: Annotated[
        RenderFormat, typer.Option("--to", "-t", help="Document format.")
    ] = RenderFormat.html,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("build"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of template overrides.")
    ] = None,
    thai_digits: Annotated[
        bool, typer.Option("--thai-digits", help="Thai numerals (๐-๙).")
    ] = False,
    linkage: Annotated[
        str | None, typer.Option("--linkage", help="Only the linkage table of this cluster.")
    ] = None,
    fiscal_year: Annotated[
        int | None, typer.Option("--fiscal-year", "-y", help="With --linkage: the BE year.")
    ] = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
) -> None:
    """Write the official documents: plans, action plans, project briefs (จ.1-1), five-year
    summaries (จ.1) and cluster linkage tables."""
    from jinja2 import TemplateError

    from provplan import fonts
    from provplan import render as core
    from provplan.output import staged
    from provplan.pdf import PrintError, print_staged
    from provplan.word import WordError, to_word

    if linkage is not None and fiscal_year is None:
        raise typer.BadParameter("--linkage needs --fiscal-year", param_hint="--fiscal-year")
    given = paths or [Path()]
    result = _checked(given, settings, no_cache, jobs)
    registry = result.plans.registry
    if linkage is not None:
        _check_selection(registry, [fiscal_year or 0], [linkage], None)
    overrides = [templates] if templates else core.repository_templates(result.repository, given)
    fmt: core.Format = "md" if to is RenderFormat.md else "html"  # PDF, Word: from HTML
    env = core.make_env(fmt, overrides, thai_digits=thai_digits)
    env.globals["links"] = to is RenderFormat.html
    renderer = core.Renderer(result, env, fmt)
    selected = (linkage, fiscal_year) if linkage is not None and fiscal_year is not None else None
    if selected is not None and selected not in renderer.linkages():
        typer.echo(f"provplan: no plans of `{linkage}` for fiscal year {fiscal_year}", err=True)
        raise typer.Exit(1)
    try:
        with staged(out) as staging:  # all documents or none replace the earlier ones
            if selected is not None:
                document = renderer.linkage_document(*selected)
                staging.write(document.path, document.text)
            else:
                core.render_into(staging, renderer, core.target_for(given), jobs)
            if fmt == "html":
                fonts.install(staging)
            if to is RenderFormat.pdf:
                print_staged(staging, jobs)
            elif to is RenderFormat.docx:
                to_word(staging, overrides, thai_digits=thai_digits, jobs=jobs)
    except (PrintError, WordError) as err:
        typer.echo(f"provplan: {err}", err=True)
        raise typer.Exit(1) from None
    except TemplateError as err:
        where = f"{err.filename}:{err.lineno}: " if getattr(err, "lineno", None) else ""  # type: ignore[attr-defined]
        typer.echo(f"provplan: template error: {where}{err.message}", err=True)
        raise typer.Exit(1) from None
    count = sum(1 for f in staging.files if f.parts[:1] != fonts.FOLDER.parts)
    typer.echo(f"wrote {count} document{'s' if count != 1 else ''} to {out}")


class RollupFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"
    xlsx = "xlsx"


class By(enum.StrEnum):
    channel = "channel"
    issue = "issue"
    strategy = "strategy"
    budget_class = "class"
    agency = "agency"


def _checked(
    paths: list[Path] | None, settings: Path | None, no_cache: bool, jobs: int | None
) -> CheckResult:
    """Validate the inputs first; on any error print the diagnostics and exit 1."""
    from provplan.report import REPORTERS

    result = _check(paths, settings, no_cache, jobs)
    if result.errors:
        REPORTERS["text"](result, sys.stderr)
        raise typer.Exit(1)
    return result


def _check_selection(
    registry: Registry, years: list[int], clusters: list[str], region: str | None
) -> None:
    """Usage errors (exit 2) for years, clusters and regions that cannot be right."""
    from provplan.documents import suggest

    for year in years:
        if not 2400 <= year <= 2800:
            raise typer.BadParameter(
                f"{year} is not a Buddhist-era year; did you mean {year + 543}?",
                param_hint="--fiscal-year",
            )
    for name in clusters:
        if name not in registry.cluster_by_id:
            raise typer.BadParameter(
                f"unknown cluster `{name}`{suggest(name, registry.cluster_by_id)}",
                param_hint="--cluster",
            )
    if region is not None and region not in registry.region_by_id:
        raise typer.BadParameter(
            f"unknown region `{region}`{suggest(region, registry.region_by_id)}",
            param_hint="--region",
        )


@app.command()
def rollup(
    paths: Paths = None,
    fiscal_year: Annotated[
        list[int] | None,
        typer.Option("--fiscal-year", "-y", help="BE fiscal year (repeatable; default: all)."),
    ] = None,
    cluster: Annotated[
        list[str] | None, typer.Option("--cluster", "-c", help="Cluster id (repeatable).")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="Region id.")] = None,
    by: Annotated[By | None, typer.Option("--by", help="Break totals down further.")] = None,
    fmt: Annotated[RollupFormat, typer.Option("--format", "-f")] = RollupFormat.table,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
) -> None:
    """Add up cluster budgets exactly: cluster level, each member province, the total."""
    from provplan import rollup as core
    from provplan.output import write_atomic
    from provplan.report import rollup as report

    if fmt is RollupFormat.xlsx and out is None:
        raise typer.BadParameter("xlsx is binary: give --out FILE.xlsx", param_hint="--format")
    result = _checked(paths, settings, no_cache, jobs)
    plans, registry = result.plans, result.plans.registry
    _check_selection(registry, fiscal_year or [], cluster or [], region)
    years = sorted(set(fiscal_year)) if fiscal_year else core.fiscal_years(plans)
    clusters = core.clusters_for(plans, years, cluster or [], region)
    if not years or not clusters:
        typer.echo("provplan: no action plans of any cluster for the years asked", err=True)
        raise typer.Exit(1)
    rollups = core.rollup(plans, years, clusters, by.value if by else None)
    if fmt is RollupFormat.xlsx:
        assert out is not None
        write_atomic(out, report.write_xlsx(rollups, registry))
        return
    buffer = io.StringIO()
    report.TEXT_WRITERS[fmt.value](rollups, buffer if out else sys.stdout, registry)
    if out:
        write_atomic(out, buffer.getvalue())


class DiffFormat(enum.StrEnum):
    md = "md"
    text = "text"
    json = "json"


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="Git revision (main, HEAD~1) or folder.")],
    head: Annotated[
        str | None, typer.Argument(help="Git revision or folder (default: the working tree).")
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
) -> None:
    """What changed in plans and budgets between two revisions or folders, for a reviewer."""
    from provplan import sources
    from provplan.diff import compare
    from provplan.output import write_atomic
    from provplan.report.diff import WRITERS
    from provplan.repository import open_repository

    same = None
    try:
        if Path(base).is_dir():
            if head is None or not Path(head).is_dir():
                raise sources.SourceError("comparing folders needs two folders: BASE HEAD")
            root = Path(head)
            old, new = sources.folder(Path(base)), sources.folder(Path(head))
        else:
            root = sources.git_root(Path.cwd())
            old = sources.revision(root, base)
            if head:
                new = sources.revision(root, head)
            else:
                new, changed = sources.worktree(root, base)
                same = (old.files.keys() & new.files.keys()) - changed
    except sources.SourceError as err:
        typer.echo(f"provplan diff: {err}", err=True)
        raise typer.Exit(2) from None
    registry = open_repository([root]).registry
    result = compare(old, new, registry, same=same)
    buffer = io.StringIO()
    WRITERS[fmt.value](result, buffer if out else sys.stdout, registry)
    if out:
        write_atomic(out, buffer.getvalue())


@app.command("fmt")
def format_files(
    paths: Paths = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")
    ] = False,
) -> None:
    """Put plan files in the canonical layout, keeping comments and Thai text."""
    from provplan.layout import format_file
    from provplan.output import write_atomic
    from provplan.repository import discover

    candidates, problems = discover(paths or [Path()])
    changed = unchanged = 0
    for candidate in candidates:
        result = format_file(candidate.path)
        problems += result.diagnostics
        if result.text is None:
            continue
        if not result.changed:
            unchanged += 1
        elif check:
            changed += 1
            typer.echo(f"would reformat {candidate.path}")
        else:
            changed += 1
            write_atomic(candidate.path, result.text)
            typer.echo(f"reformatted {candidate.path}")
    for problem in problems:
        typer.echo(str(problem), err=True)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(f"{changed} files {verb}, {unchanged} unchanged")
    raise typer.Exit(1 if problems or (check and changed) else 0)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder of the new plan repository.")] = Path(),
    owner: Annotated[
        str, typer.Option("--owner", help="Province or cluster id (Thai name and TH-xx work).")
    ] = ...,  # type: ignore[assignment]
    fiscal_year: Annotated[
        int | None,
        typer.Option("--fiscal-year", "-y", help="First action plan (default: next FY)."),
    ] = None,
) -> None:
    """Start a plan repository for a province or cluster: plans that validate, CI, pre-commit,
    editor settings."""
    import datetime

    from provplan.documents import suggest
    from provplan.output import write_atomic
    from provplan.repository import open_repository
    from provplan.scaffold import next_fiscal_year, scaffold

    registry = open_repository([directory]).registry
    owner_id = registry.owner_id(owner)
    if owner_id not in registry.province_by_id and owner_id not in registry.cluster_by_id:
        hint = suggest(owner, registry.owner_names())
        raise typer.BadParameter(f"unknown owner `{owner}`{hint}", param_hint="--owner")
    year = fiscal_year or next_fiscal_year(datetime.date.today())
    _check_selection(registry, [year], [], None)
    files = scaffold(owner_id, registry, year)
    existing = sorted(name for name in files if (directory / name).exists())
    if existing:
        typer.echo(f"provplan init: will not overwrite {', '.join(existing)}", err=True)
        raise typer.Exit(1)
    for name, text in files.items():
        write_atomic(directory / name, text)
    typer.echo(f"created a plan repository for {registry.label(owner_id)} in {directory}:")
    for name in files:
        typer.echo(f"  {name}")
    typer.echo(f"next: edit plan.yaml and action-plan-{year}.yaml, then run provplan validate")


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write the schemas into.")
    ] = None,
) -> None:
    """Write the JSON Schema of each document kind (for editors), or print them."""
    from provplan.output import write_atomic
    from provplan.schema import dump, schemas

    for name, document in schemas().items():
        if out is None:
            typer.echo(f"# {name}\n{dump(document)}", nl=False)
        else:
            write_atomic(out / name, dump(document))
            typer.echo(f"wrote {out / name}")


def main() -> None:
    """Entry point: run the app; a bug prints one line and exits 3 instead of a traceback."""
    try:
        app()
    except Exception as err:  # the one place that maps an unexpected error to an exit code
        typer.echo(
            f"provplan: internal error: {type(err).__name__}: {err}\n"
            "please report it with the command and files that caused it",
            err=True,
        )
        sys.exit(3)
