"""The command line: parse options, call the core, pick a reporter, exit with a code.

Exit codes: 0 clean, 1 findings (errors, or warnings under --strict), 2 usage errors,
3 a bug in provplan. Heavy modules are imported inside commands so that `--help` and
`--version` stay as fast as typer itself (issue #6).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from provplan import FORMAT_VERSION, __version__

app = typer.Typer(
    help="Validate, render and add up Thai provincial and cluster development plans kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


@app.command()
def validate(
    paths: Paths = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    settings: SettingsOption = None,
) -> None:
    """Check plan files and report every problem found, at its file, line and column."""
    from provplan.report import REPORTERS
    from provplan.validate import check_paths

    result = check_paths(paths or [Path()], settings)
    REPORTERS[fmt.value](result, sys.stdout)
    raise typer.Exit(result.exit_code(strict=strict))


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
