"""The command line: parse options, call the core, pick a reporter, exit with a code.

Exit codes: 0 clean, 1 findings (errors, or warnings under --strict), 2 usage errors,
3 a bug in provplan. Heavy modules are imported inside commands so that `--help` and
`--version` stay as fast as typer itself (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import enum
import io
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, NoReturn, TextIO, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from provplan import FORMAT_VERSION, __version__, i18n
from provplan.i18n import plural, text

if TYPE_CHECKING:
    from provplan.registry import Registry
    from provplan.validate import CheckResult

EXAMPLES = "Examples:"


def translate_help(command: TyperCommand | TyperGroup, ctx: Any) -> None:
    """A command's help in the language of the run: its text, its examples' heading and each
    parameter's help are msgids of the catalogue (tests/catalogue.py collects them from the
    built command), put into words when the help is shown, after `--lang` was read."""
    import inspect

    if command.help:
        command.help = i18n.translate(inspect.cleandoc(command.help))
    if command.epilog:
        command.epilog = command.epilog.replace(EXAMPLES, text("Examples:"), 1)
    for param in command.get_params(ctx):
        if getattr(param, "help", None):  # options and typer's arguments have help
            param.help = i18n.translate(param.help)  # type: ignore[attr-defined]


class _Command(TyperCommand):
    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """`WORKBOOK`, not typer's `{WORKBOOK}`, for a required argument."""
        return [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p
                for p in super().collect_usage_pieces(ctx)]  # fmt: skip

    def format_help(self, ctx: Any, formatter: Any) -> None:  # typer's own click types
        _help_language(ctx.meta.get(_LANG_IN_ARGS))
        translate_help(self, ctx)
        super().format_help(ctx, formatter)


class _Group(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_LANG_IN_ARGS] = _flag_in(args)  # the command's --lang, before it is read
        return list(super().parse_args(ctx, args))

    def format_help(self, ctx: Any, formatter: Any) -> None:  # typer's own click types
        import inspect

        _help_language(ctx.meta.get(_LANG_IN_ARGS) or ctx.params.get("lang"))
        translate_help(self, ctx)
        for command in self.commands.values():
            if command.help:
                command.help = i18n.translate(inspect.cleandoc(command.help))
        super().format_help(ctx, formatter)


app = typer.Typer(
    cls=_Group,
    help="Validate, render and add up Thai provincial and cluster development plans kept as YAML.",
    no_args_is_help=True,
    # --install-completion / --show-completion for bash, zsh, fish and PowerShell
    add_completion=True,
    pretty_exceptions_enable=False,
    # plain click help and errors: rich costs more than typer itself to import
    rich_markup_mode=None,
)


def _command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`app.command` whose help is shown in the language of the run."""
    return app.command(*args, cls=_Command, **kwargs)


def _examples(*commands: str) -> str:
    """A command's examples, kept on their own lines by click (the \\b marker)."""
    return f"\b\n{EXAMPLES}\n" + "\n".join(f"  {c}" for c in commands)


def _registry_here() -> Registry:
    """The registry of the repository in the current folder (with its provplan.yaml)."""
    from provplan.repository import open_repository

    return open_repository([Path()]).registry


def _complete_owner(incomplete: str) -> list[str]:
    """Owner ids, clusters and provinces, for shell completion."""
    registry = _registry_here()
    ids = [*registry.cluster_by_id, *registry.province_by_id]
    return [i for i in ids if i.startswith(incomplete)]


def _complete_cluster(incomplete: str) -> list[str]:
    return [c for c in _registry_here().cluster_by_id if c.startswith(incomplete)]


def _complete_region(incomplete: str) -> list[str]:
    return [r for r in _registry_here().region_by_id if r.startswith(incomplete)]


_FISCAL_YEAR = re.compile(rb"^fiscal_year:[ \t]*(\d{4})\b", re.MULTILINE)


def _complete_year(incomplete: str) -> list[str]:
    """The fiscal years of the plans under the current folder, and the next one: read from
    each file's first lines, not validated (completion must answer at once)."""
    import datetime

    from provplan.files import discover, read_bounded
    from provplan.scaffold import next_fiscal_year

    years = {next_fiscal_year(datetime.date.today())}
    for candidate in discover([Path()])[0]:
        try:
            head = read_bounded(candidate.path, 4096, head=True)
        except OSError:
            continue
        years.update(int(y) for y in _FISCAL_YEAR.findall(head))
    return [str(y) for y in sorted(years) if str(y).startswith(incomplete)]


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provplan {__version__} (plan format v{FORMAT_VERSION})")
        raise typer.Exit()


def _at_least_one(value: int | None, name: str) -> int | None:
    """A count checked in words (click's own range shows `[x>=1]` in the help)."""
    if value is not None and value < 1:
        raise typer.BadParameter(text("give 1 or more"), param_hint=name)
    return value


def _year_option(help: str) -> Any:
    """`--fiscal-year/-y YEAR`, completed from the plans in the folder."""
    return typer.Option(
        "--fiscal-year", "-y", metavar="YEAR", help=help, autocompletion=_complete_year
    )


def _quarter_option(help: str) -> Any:
    """`--quarter/-q QUARTER`, 1 to 4, said in words when it is not."""
    return typer.Option("--quarter", "-q", metavar="QUARTER", callback=_quarter, help=help)


def _quarter(value: int | None) -> int | None:
    if value is not None and value not in (1, 2, 3, 4):
        raise typer.BadParameter(
            text("quarter must be 1 (Oct-Dec), 2 (Jan-Mar), 3 (Apr-Jun) or 4 (Jul-Sep)"),
            param_hint="--quarter",
        )
    return value


_chosen: dict[str, str] = {}  # the language `--lang` chose in this run, if any
_LANG_IN_ARGS = "provplan.lang"


def _language(value: str | None) -> str | None:
    """`--lang`, checked and used at once, so every later message is in the language asked."""
    if value is None:
        return None
    found = i18n.parse_language(value)
    if found is None:
        raise typer.BadParameter(text("choose th or en"), param_hint="--lang")
    _chosen["lang"] = found
    i18n.use(found)
    return found


def _flag_in(args: list[str]) -> str | None:
    """The last `--lang` of the command line (as click takes the last of an option), found
    before the command reads it: `provplan validate --help --lang th` shows Thai help."""
    found = None
    for i, word in enumerate(args):
        if word == "--":
            break
        if word.startswith("--lang="):
            found = word.partition("=")[2]
        elif word == "--lang" and i + 1 < len(args):
            found = args[i + 1]
    return found


_LANGUAGE_KEY = re.compile(r"^language:[ \t]*[\"']?([A-Za-z_.-]+)", re.MULTILINE)


def _office_language(paths: list[Path], settings: Path | None = None) -> str | None:
    """`language:` of the provplan.yaml that applies, read from its text: cheap enough for
    help and for commands that open no repository (the file is validated where it is used)."""
    from provplan.files import read_bounded
    from provplan.repository import settings_path

    found = settings_path(paths, settings)
    try:
        # its head only: a settings file past the bound is validate's finding (PP004)
        text = read_bounded(found, 1 << 20, head=True).decode("utf-8", "replace") if found else ""
    except OSError:
        return None
    written = _LANGUAGE_KEY.search(text)
    return i18n.parse_language(written.group(1)) if written else None


def _env_language() -> str | None:
    return i18n.parse_language(os.environ.get("PROVPLAN_LANG", ""))


def _help_language(flag: str | None) -> None:
    """Help is shown before a command runs: `--lang`, PROVPLAN_LANG, the office's `language:`
    (provplan.yaml above the current folder), the locale."""
    office = (
        None if i18n.parse_language(flag or "") or _env_language() else _office_language([Path()])
    )
    i18n.use(i18n.choose(flag, office))


def _speak_in(paths: list[Path], settings: Path | None = None) -> None:
    """The office's language for a command that reads no plan set through `_check`."""
    if "lang" not in _chosen and not _env_language():
        _speak_for(_office_language(paths, settings))


def _speak_for(language: str | None) -> None:
    """The office's `language:` from provplan.yaml, unless `--lang` or PROVPLAN_LANG chose."""
    if language and "lang" not in _chosen and not _env_language():
        i18n.use(language)


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="th|en",
        expose_value=False,  # read by the group, wherever it is on the line (`_flag_in`)
        help="Language of messages: th or en (default: PROVPLAN_LANG, then `language:` in "
        "provplan.yaml, then the locale).",
    ),
]


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="th|en",
            is_eager=True,
            callback=_language,
            help="Language of messages: th or en, before or after the command.",
        ),
    ] = None,
) -> None:
    """provplan: plan files checked, rendered and added up."""
    # Every run starts afresh (the tests run many in one process): `--lang` before or after
    # the command, else PROVPLAN_LANG or the locale; provplan.yaml's `language:` comes later.
    _chosen.clear()
    in_args = ctx.meta.get(_LANG_IN_ARGS)  # the last on the line; `--lang=` is no choice
    given = in_args if in_args is not None else lang
    flag = _language(given)
    i18n.use(i18n.choose(flag, None))


Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan files or folders (default: the current folder).",
        metavar="[PATH]...",
        show_default=False,
    ),
]
SettingsOption = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        metavar="FILE",
        help="provplan.yaml to use instead of the one found above the paths.",
    ),
]


NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Read every file afresh; neither use nor fill the cache.")
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        callback=lambda n: _at_least_one(n, "--jobs"),
        help="Worker processes (default: the cores).",
    ),
]
Clusters = Annotated[
    list[str] | None,
    typer.Option(
        "--cluster",
        "-c",
        metavar="CLUSTER",
        help="Cluster id, e.g. northeast-upper-2 (repeatable).",
        autocompletion=_complete_cluster,
    ),
]
Region = Annotated[
    str | None,
    typer.Option(
        "--region",
        metavar="REGION",
        help="Region id: north, northeast, central, east, south, southern-border.",
        autocompletion=_complete_region,
    ),
]
Templates = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR", help="Folder of template overrides."),
]
OutFile = Annotated[
    Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write to this file.")
]


@_command(
    epilog=_examples(
        "provplan validate",
        "provplan validate examples/ --format json",
        "provplan validate --format github --strict",
    )
)
def validate(
    paths: Paths = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
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
    from provplan.validate import check_paths
    from provplan.validate.cache import default_dir

    cache_dir = None if no_cache else default_dir()
    interactive = sys.stdout.isatty() and sys.stderr.isatty() and not os.environ.get("CI")
    if not (show_progress and interactive):
        result = check_paths(paths or [Path()], settings, jobs=jobs, cache_dir=cache_dir)
        _speak_for(result.repository.language)
        return result
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:  # stdout stays the report
        task = bar.add_task(text("checking plan files"), total=None)
        result = check_paths(
            paths or [Path()],
            settings,
            jobs=jobs,
            cache_dir=cache_dir,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _speak_for(result.repository.language)
    return result


class RenderFormat(enum.StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"


@_command(
    epilog=_examples(
        "provplan render examples/ --to html --out build/",
        "provplan render examples/ --to md",
        "provplan render examples/ --linkage northeast-upper-2 -y 2568",
    )
)
def render(
    paths: Paths = None,
    to: Annotated[
        RenderFormat, typer.Option("--to", "-t", help="Document format.")
    ] = RenderFormat.html,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")] = Path(
        "build"
    ),
    templates: Templates = None,
    thai_digits: Annotated[
        bool, typer.Option("--thai-digits", help="Thai numerals (๐-๙).")
    ] = False,
    linkage: Annotated[
        str | None,
        typer.Option(
            "--linkage",
            metavar="CLUSTER",
            help="Only the linkage table of this cluster.",
            autocompletion=_complete_cluster,
        ),
    ] = None,
    fiscal_year: Annotated[
        int | None,
        _year_option("With --linkage: the BE fiscal year."),
    ] = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
) -> None:
    """Write the official documents: plans, action plans, project briefs (จ.1-1), five-year
    summaries (จ.1) and cluster linkage tables."""
    from provplan.render import RenderError
    from provplan.render import render as render_documents

    if linkage is not None and fiscal_year is None:
        raise typer.BadParameter(text("--linkage needs --fiscal-year"), param_hint="--fiscal-year")
    given = paths or [Path()]
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(
            text("{path} is a file; name a folder", path=_shown(out)), param_hint="--out"
        )
    result = _checked(given, settings, no_cache, jobs, money=True)
    if linkage is not None:
        _check_selection(result.plans.registry, [fiscal_year or 0], [linkage], None)
    selected = (linkage, fiscal_year) if linkage is not None and fiscal_year is not None else None
    try:
        written = render_documents(
            result,
            given,
            out,
            to.value,
            templates=templates,
            thai_digits=thai_digits,
            linkage=selected,
            jobs=jobs,
        )
    except RenderError as err:
        _fail(str(err))
    documents = plural("{count} document", "{count} documents", len(written))
    typer.echo(text("wrote {documents} to {path}", documents=documents, path=_shown(out)))


@_command(
    epilog=_examples(
        "provplan site examples/ --out site/",
        "provplan site . --out site/ -y 2568",
    )
)
def site(
    paths: Paths = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")] = Path(
        "site"
    ),
    fiscal_year: Annotated[
        int | None,
        _year_option("BE fiscal year (default: the latest)."),
    ] = None,
    templates: Templates = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
) -> None:
    """Write the plans of a fiscal year as a static website with charts and search, to open
    offline (index.html); the documents go in its documents/ folder."""
    from provplan.site import SiteError, build_site
    from provplan.site.progress import from_reports

    if out.exists() and not out.is_dir():
        raise typer.BadParameter(
            text("{path} is a file; name a folder", path=_shown(out)), param_hint="--out"
        )
    given = paths or [Path()]
    result = _checked(given, settings, no_cache, jobs, money=True)
    years = result.plans.fiscal_years()
    if fiscal_year is not None:
        _check_selection(result.plans.registry, [fiscal_year], [], None)
    year = fiscal_year if fiscal_year is not None else (years[-1] if years else None)
    if year is None or year not in years:
        _fail(
            text("no action plans for fiscal year {year}", year=year)
            if year
            else text("no action plans given")
        )
    try:
        targets = result.repository.settings.target_rate
        built = build_site(
            result, given, out, year, templates=templates, jobs=jobs, progress=from_reports(targets)
        )
    except SiteError as err:
        _fail(str(err))
    except OSError as err:  # a full disk, a folder without write permission
        _fail(text("cannot write the site to {path}: {reason}", path=out, reason=err.strerror))
    typer.echo(
        text(
            "wrote {files} to {path} ({unchanged} unchanged): {pages}, {documents}, {size} MB; "
            "open {index}",
            files=plural("{count} file", "{count} files", built.written),
            path=_shown(out),
            unchanged=built.unchanged,
            pages=plural("{count} page", "{count} pages", built.pages),
            documents=plural("{count} document", "{count} documents", built.documents),
            size=f"{built.size / 1e6:.1f}",
            index=_shown(out / "index.html"),
        )
    )


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
    paths: list[Path] | None,
    settings: Path | None,
    no_cache: bool,
    jobs: int | None,
    *,
    money: bool = False,
) -> CheckResult:
    """Validate the inputs first; on any error print the diagnostics and exit 1. With
    `money`, a document that failed its schema stops the run even when its errors were
    downgraded to warnings: its money cannot be counted."""
    from provplan.report import REPORTERS

    result = _check(paths, settings, no_cache, jobs)
    if result.errors:
        REPORTERS["text"](result, sys.stderr)
        raise typer.Exit(1)
    incomplete = result.plans.incomplete if money else []
    if incomplete:
        REPORTERS["text"](result, sys.stderr)
        names = ", ".join(str(o.path) for o in incomplete)
        _fail(
            text(
                "{paths}: does not read as a whole plan (errors set to warnings in "
                "provplan.yaml); its budget cannot be counted until they are fixed",
                paths=names,
            )
        )
    return result


def _fail(message: str, code: int = 1) -> NoReturn:
    """A user's problem: one line on stderr, no traceback."""
    from provplan.escape import terminal

    typer.echo(f"provplan: {terminal(message)}", err=True)
    raise typer.Exit(code)


def _shown(path: Path) -> str:
    from provplan.escape import terminal

    return terminal(str(path))


def _check_selection(
    registry: Registry, years: list[int], clusters: list[str], region: str | None
) -> None:
    """Usage errors (exit 2) for years, clusters and regions that cannot be right."""
    from provplan.diagnostics import suggest
    from provplan.years import year_problem

    for year in years:
        problem = year_problem(year)
        if problem:
            raise typer.BadParameter(str(problem), param_hint="--fiscal-year")
    for name in clusters:
        if name not in registry.cluster_by_id:
            hint = suggest(name, registry.cluster_by_id)
            raise typer.BadParameter(
                text("unknown cluster `{name}`{hint}", name=name, hint=hint),
                param_hint="--cluster",
            )
    if region is not None and region not in registry.region_by_id:
        hint = suggest(region, registry.region_by_id)
        raise typer.BadParameter(
            text("unknown region `{name}`{hint}", name=region, hint=hint), param_hint="--region"
        )


@_command(
    epilog=_examples(
        "provplan rollup examples/ -y 2568",
        "provplan rollup examples/ -f xlsx -o rollup.xlsx",
        "provplan rollup . --region northeast --by channel",
    )
)
def rollup(
    paths: Paths = None,
    fiscal_year: Annotated[
        list[int] | None,
        _year_option("BE fiscal year, e.g. 2568 (repeatable; default: every year)."),
    ] = None,
    cluster: Clusters = None,
    region: Region = None,
    by: Annotated[By | None, typer.Option("--by", help="Break totals down further.")] = None,
    fmt: Annotated[
        RollupFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RollupFormat.table,
    out: OutFile = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
) -> None:
    """Add up cluster budgets exactly: cluster level, each member province, the total."""
    from provplan import rollup as core
    from provplan.report import rollup as report

    _check_report_out(fmt, out)
    result = _checked(paths, settings, no_cache, jobs, money=True)
    plans, registry = result.plans, result.plans.registry
    _check_selection(registry, fiscal_year or [], cluster or [], region)
    years = sorted(set(fiscal_year)) if fiscal_year else plans.fiscal_years()
    clusters = core.clusters_for(plans, years, cluster or [], region)
    if not years or not clusters:
        _fail(text("no action plans of any cluster for the years asked"))
    rolled = core.rollup(plans, years, clusters, by.value if by else None)
    _write_report(fmt, out, rolled, report.write_xlsx, report.WRITERS)


@_command(
    "progress",
    epilog=_examples(
        "provplan progress examples/",
        "provplan progress examples/ -y 2568 -q 2 -f json",
        "provplan progress . --region northeast -f xlsx -o progress.xlsx",
    ),
)
def progress_report(
    paths: Paths = None,
    fiscal_year: Annotated[
        int | None,
        _year_option("BE fiscal year (default: the latest reported)."),
    ] = None,
    quarter: Annotated[
        int | None,
        _quarter_option("Quarter 1-4 of the fiscal year (default: the latest reported)."),
    ] = None,
    cluster: Clusters = None,
    region: Region = None,
    fmt: Annotated[
        RollupFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RollupFormat.table,
    out: OutFile = None,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
) -> None:
    """Progress against the plan: allocated, committed and disbursed against the quarter's
    disbursement target, projects by status, indicators met, who did not report."""
    from provplan import progress as core
    from provplan.report import progress as report

    _check_report_out(fmt, out)
    result = _checked(paths, settings, no_cache, jobs, money=True)
    _check_selection(
        result.plans.registry, [fiscal_year] if fiscal_year else [], cluster or [], region
    )
    try:
        found = core.report(
            result.plans,
            fiscal_year,
            quarter,
            cluster or [],
            region,
            result.repository.settings.target_rate,
            every_quarter=fmt is RollupFormat.xlsx,
        )
    except core.ProgressError as err:
        _fail(str(err))
    _write_report(fmt, out, found, report.write_xlsx, report.WRITERS)


class DiffFormat(enum.StrEnum):
    md = "md"
    text = "text"
    json = "json"


@_command(
    epilog=_examples(
        "provplan diff main",
        "provplan diff origin/main HEAD -f md -o diff.md",
        "provplan diff old-plans/ new-plans/",
    )
)
def diff(
    base: Annotated[
        str, typer.Argument(metavar="BASE", help="Git revision (main, HEAD~1) or folder.")
    ],
    head: Annotated[
        str | None,
        typer.Argument(
            metavar="[HEAD]", help="Git revision or folder (default: the working tree)."
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    out: OutFile = None,
    no_cache: NoCache = False,
    lang: Lang = None,
) -> None:
    """What changed in plans and budgets between two revisions or folders, for a reviewer."""
    from provplan.report.diff import WRITERS
    from provplan.review import SourceError
    from provplan.review import diff as compare
    from provplan.validate.cache import default_dir

    _check_out_file(out)
    try:
        _speak_in([Path()])
        result = compare(base, head, cache_dir=None if no_cache else default_dir())
    except SourceError as err:
        _fail(text("diff: {problem}", problem=err), 2)
    _emit(lambda stream: WRITERS[fmt.value](result, stream), out)


R = TypeVar("R")  # a rollup or progress result


def _check_report_out(fmt: RollupFormat, out: Path | None) -> None:
    """Before the run: a workbook needs a file to go to, and `--out` must not be a folder."""
    if fmt is RollupFormat.xlsx and out is None:
        raise typer.BadParameter(
            text("xlsx is binary: give --out FILE.xlsx"), param_hint="--format"
        )
    _check_out_file(out)


def _write_report(
    fmt: RollupFormat,
    out: Path | None,
    result: R,
    write_xlsx: Callable[[R, BinaryIO], None],
    writers: Mapping[str, Callable[[R, TextIO], None]],
) -> None:
    """A rollup's or progress' report: a workbook written atomically once whole, or text."""
    if fmt is RollupFormat.xlsx:
        from provplan.output import write_atomic

        assert out is not None  # _check_report_out made sure
        binary = io.BytesIO()
        write_xlsx(result, binary)
        write_atomic(out, binary.getvalue())
    else:
        _emit(lambda stream: writers[fmt.value](result, stream), out)


def _check_out_file(out: Path | None) -> None:
    if out is not None and out.is_dir():
        raise typer.BadParameter(
            text("{path} is a folder; name a file", path=_shown(out)), param_hint="--out"
        )


def _emit(write: Callable[[TextIO], None], out: Path | None) -> None:
    """A text report to stdout, or to `out` written atomically once it is whole."""
    if out is None:
        write(sys.stdout)
        return
    from provplan.output import write_atomic

    buffer = io.StringIO()
    write(buffer)
    write_atomic(out, buffer.getvalue())


def _registry(paths: list[Path]) -> Registry:
    from provplan.repository import open_repository

    return open_repository(paths).registry


@_command("fmt", epilog=_examples("provplan fmt", "provplan fmt --check"))
def format_files(
    paths: Paths = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")
    ] = False,
    lang: Lang = None,
) -> None:
    """Put plan files in the canonical layout, keeping comments and Thai text."""
    from provplan.escape import terminal
    from provplan.fmt import format_paths

    _speak_in(paths or [Path()])
    result = format_paths(paths or [Path()], check=check)
    for path in result.changed:
        shown = terminal(str(path))
        typer.echo(
            text("would reformat {path}", path=shown)
            if check
            else text("reformatted {path}", path=shown)
        )
    for problem in result.problems:
        typer.echo(terminal(str(problem)), err=True)
    files, unchanged = len(result.changed), result.unchanged
    if check:
        summary = plural(
            "{count} file would be reformatted, {unchanged} unchanged",
            "{count} files would be reformatted, {unchanged} unchanged",
            files,
            unchanged=unchanged,
        )
    else:
        summary = plural(
            "{count} file reformatted, {unchanged} unchanged",
            "{count} files reformatted, {unchanged} unchanged",
            files,
            unchanged=unchanged,
        )
    typer.echo(str(summary))
    raise typer.Exit(result.exit_code(check=check))


@_command(
    epilog=_examples(
        "provplan init plans-mukdahan --owner mukdahan",
        "provplan init . --owner northeast-upper-2 -y 2569",
    )
)
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="[DIR]", help="Folder of the new plan repository.")
    ] = Path(),
    owner: Annotated[
        str,
        typer.Option(
            "--owner",
            metavar="OWNER",
            help="Province or cluster id (a Thai name or TH-xx works too).",
            autocompletion=_complete_owner,
        ),
    ] = ...,  # type: ignore[assignment]
    fiscal_year: Annotated[
        int | None,
        _year_option("BE year of the first action plan (default: the next fiscal year)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="REQUIREMENT",
            help="Where CI and the hooks install provplan from: provplan==VERSION, "
            "'provplan @ git+URL@TAG' or a wheel URL (default: where this provplan came from).",
        ),
    ] = None,
    lang: Lang = None,
) -> None:
    """Start a plan repository for a province or cluster: plans that validate, CI, pre-commit,
    editor settings."""
    import datetime

    from provplan.diagnostics import suggest
    from provplan.scaffold import InitError, init_repository, installed_source, next_fiscal_year

    registry = _registry([directory])
    owner_id = registry.owner_id(owner)
    if owner_id not in registry.province_by_id and owner_id not in registry.cluster_by_id:
        hint = suggest(owner, registry.owner_names())
        raise typer.BadParameter(
            text("unknown owner `{name}`{hint}", name=owner, hint=hint), param_hint="--owner"
        )
    year = fiscal_year or next_fiscal_year(datetime.date.today())
    _check_selection(registry, [year], [], None)
    try:
        files = init_repository(directory, owner_id, registry, year, source)
    except InitError as err:
        _fail(text("init: {problem}", problem=err))
    typer.echo(
        text(
            "created a plan repository for {owner} in {path}:",
            owner=registry.label(owner_id),
            path=_shown(directory),
        )
    )
    for name in files:
        typer.echo(f"  {name}")
    typer.echo(
        text(
            "next: edit plan.yaml and action-plan-{year}.yaml, then run provplan validate",
            year=year,
        )
    )
    if source is None and installed_source() is None:
        typer.echo(
            text(
                "note: this provplan was not installed from a URL that CI can reach; before the "
                "first push, put the git URL or wheel your central team publishes in "
                "requirements.txt and .pre-commit-config.yaml (or run init with --source)"
            ),
            err=True,
        )


@_command(epilog=_examples("provplan schema --out schemas", "provplan schema > schemas.json"))
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="Folder to write the schemas into (default: print)."
        ),
    ] = None,
    lang: Lang = None,
) -> None:
    """Write the JSON Schema of each document kind (for editors), or print them as one JSON
    object keyed by file name."""
    from provplan.output import write_atomic
    from provplan.schema import dump, schemas

    found = schemas()
    if out is None:
        typer.echo(dump(found), nl=False)
        return
    for name, document in found.items():
        write_atomic(out / name, dump(document))
        typer.echo(text("wrote {path}", path=_shown(out / name)))


@_command(
    "export",
    epilog=_examples(
        "provplan export provinces/mukdahan/action-plan-2568.yaml -o mukdahan.xlsx",
        "provplan export provinces/mukdahan/progress-2568-q2.yaml -o mukdahan-q2.xlsx",
        "provplan export --new --owner mukdahan -y 2569 -o new.xlsx",
        "provplan export --new --owner mukdahan -y 2568 -q 3 -o mukdahan-q3.xlsx",
    ),
)
def export_workbook(
    plan: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PLAN]", help="The action plan or progress report (YAML) to export."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="FILE", help="The workbook to write (.xlsx).")
    ] = ...,  # type: ignore[assignment]
    new: Annotated[
        bool,
        typer.Option(
            "--new",
            help="A workbook for a new document (with --owner, -y): an empty action plan, or "
            "with -q a quarter's progress report with a row per project of the action plan.",
        ),
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="OWNER",
            help="With --new: the owner.",
            autocompletion=_complete_owner,
        ),
    ] = None,
    fiscal_year: Annotated[
        int | None,
        _year_option("With --new: the BE fiscal year."),
    ] = None,
    quarter: Annotated[
        int | None,
        _quarter_option(
            "With --new: a progress report of this quarter (1-4) instead of an action plan."
        ),
    ] = None,
    settings: SettingsOption = None,
    lang: Lang = None,
) -> None:
    """Write an action plan or a progress report as a workbook for officers to fill in (import
    reads it back)."""
    from provplan.report.sheets import export_command

    _speak_in([plan or Path()], settings)

    raise typer.Exit(export_command(plan, out, new, owner, fiscal_year, quarter, settings))


class ImportFormat(enum.StrEnum):
    text = "text"
    json = "json"


@_command(
    "import",
    epilog=_examples(
        "provplan import mukdahan.xlsx --into provinces/mukdahan/action-plan-2568.yaml --dry-run",
        "provplan import new.xlsx -o provinces/mukdahan/action-plan-2569.yaml",
        "provplan import mukdahan-q3.xlsx -o provinces/mukdahan/progress-2568-q3.yaml",
    ),
)
def import_workbook(
    workbook: Annotated[
        Path, typer.Argument(metavar="WORKBOOK", help="The filled workbook (.xlsx).")
    ],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into", metavar="PLAN", help="The action plan or progress report to merge into."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="A new file to write (of the workbook's kind)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; show what would change.")
    ] = False,
    delete_missing: Annotated[
        bool,
        typer.Option(
            "--delete-missing", help="Remove the projects (indicator results) that have no row."
        ),
    ] = False,
    fmt: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ImportFormat.text,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    lang: Lang = None,
) -> None:
    """Merge a filled workbook into an action plan or a progress report, checked as validate
    checks it; nothing is written on any error."""
    from provplan.report.sheets import import_command

    _speak_in([into or out or workbook], settings)

    code = import_command(
        workbook, into, out, dry_run, delete_missing, fmt.value, settings, no_cache
    )
    raise typer.Exit(code)


class TablesFormat(enum.StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


@_command(
    epilog=_examples(
        "provplan tables examples/ -o tables/", "provplan tables . -o tables/ -f parquet"
    )
)
def tables(
    paths: Paths = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Folder to write (with -f xlsx: DIR/tables.xlsx)."
        ),
    ] = ...,  # type: ignore[assignment]
    fmt: Annotated[
        TablesFormat, typer.Option("--format", "-f", help="Table format.")
    ] = TablesFormat.csv,
    settings: SettingsOption = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    lang: Lang = None,
) -> None:
    """Every plan as tidy tables for analysts: plans, issues, goals, indicators, targets,
    projects, budget lines, activities."""
    from provplan.tables.write import write_tables

    result = _checked(paths, settings, no_cache, jobs)
    try:
        written = write_tables(result, out, fmt.value, jobs=jobs)
    except ImportError as err:
        typer.echo(text("provplan tables: {problem}", problem=err), err=True)
        raise typer.Exit(2) from None
    typer.echo(text("wrote {files} to {path}", files=", ".join(written), path=_shown(out)))


def main() -> None:
    """Entry point: run the app. A problem of the machine (a file that cannot be written, a
    folder that vanished) is one line and exit 1; a closed stdout ends quietly; an interrupt
    exits 130/143 after cleaning up (`output.staged`); only a bug prints "internal error" and
    exits 3, never a traceback."""
    from provplan.interrupt import Interrupted, signals_as_exceptions

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the stream closed (`>&-`)
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    i18n.use(i18n.choose(None, None))  # PROVPLAN_LANG or the locale; `--lang` may change it
    try:
        with signals_as_exceptions():
            app()
    except BrokenPipeError:
        _quiet_stdout()  # `provplan rollup | head`: the reader left, like any other tool
        sys.exit(1)
    except Interrupted as stop:
        sys.exit(stop.exit_code)
    except OSError as err:
        typer.echo(f"provplan: {_os_message(err)}", err=True)
        sys.exit(1)
    except Exception as err:  # the one place that maps an unexpected error to an exit code
        typer.echo(
            text(
                "provplan: internal error: {error}\n"
                "please report it with the command and files that caused it",
                error=f"{type(err).__name__}: {err}",
            ),
            err=True,
        )
        sys.exit(3)


def _os_message(err: OSError) -> str:
    """`cannot write build/x.html: Permission denied`, one line whatever the file name."""
    from provplan.escape import terminal

    what = err.strerror or type(err).__name__
    name = err.filename2 if err.filename2 is not None else err.filename  # a rename's target
    return terminal(f"{name}: {what}" if name is not None else what)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
