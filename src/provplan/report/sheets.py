"""The `export` and `import` commands behind `provplan.cli`: options checked there, the work
and the reports here (so the command line module stays a list of commands)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import typer

from provplan import FORMAT_VERSION, __version__
from provplan.diagnostics import suggest
from provplan.i18n import text
from provplan.load import read
from provplan.model.plan import ActionPlan
from provplan.output import write_atomic
from provplan.repository import open_repository
from provplan.shape import plan_document
from provplan.sheets.check import plan_root
from provplan.sheets.export import ExportError, Sheet, development_issues, write_workbook
from provplan.sheets.findings import as_json
from provplan.sheets.importer import ImportResult, import_workbook
from provplan.years import year_problem


def export_command(
    plan: Path | None,
    out: Path,
    new: bool,
    owner: str | None,
    fiscal_year: int | None,
    settings: Path | None,
) -> int:
    if new == (plan is not None):
        raise typer.BadParameter("give either PLAN.yaml or --new --owner ID -y YEAR")
    repository = open_repository([plan or out], settings)
    registry = repository.registry
    if plan is None:
        if owner is None or fiscal_year is None:
            raise typer.BadParameter("--new needs --owner and --fiscal-year", param_hint="--new")
        owner_id = registry.owner_id(owner)
        if owner_id not in registry.province_by_id and owner_id not in registry.cluster_by_id:
            hint = suggest(owner, registry.owner_names())
            raise typer.BadParameter(
                text("unknown owner `{name}`{hint}", name=owner, hint=hint), param_hint="--owner"
            )
        wrong_year = year_problem(fiscal_year)
        if wrong_year:
            raise typer.BadParameter(str(wrong_year), param_hint="--fiscal-year")
        root = plan_root(Path("action-plan.yaml"), open_repository([Path()], settings))
        sheet = Sheet(owner_id, fiscal_year, source="--new")
    else:
        loaded = read(plan)
        shaped, problems = (
            (None, []) if loaded.data is None else plan_document(loaded, explicit=True)
        )
        model = shaped.plan if shaped is not None and not problems else None
        if not isinstance(model, ActionPlan):
            for problem in loaded.diagnostics + problems:
                typer.echo(str(problem), err=True)
            if model is not None:
                note = (
                    "; `provplan progress -f xlsx` writes a report's figures as a workbook"
                    if model.kind == "progress-report"
                    else ""
                )
                typer.echo(
                    f"provplan export: {plan} is a {model.kind}, not an action plan{note}",
                    err=True,
                )
            return 1
        owner_id = registry.owner_id(model.owner)
        root = plan_root(plan, repository)
        sheet = Sheet(
            owner_id, model.fiscal_year, model.projects, title=model.title, source=str(plan)
        )
    issues = development_issues(root, sheet.owner, sheet.fiscal_year, registry)
    sheet = Sheet(sheet.owner, sheet.fiscal_year, sheet.projects, issues, sheet.title, sheet.source)
    try:
        write_atomic(out, write_workbook(sheet))
    except ExportError as err:
        typer.echo(f"provplan export: {err}", err=True)
        return 1
    count = len(sheet.projects)
    typer.echo(f"wrote {out}: {count} project{'s' if count != 1 else ''}")
    if not issues:
        typer.echo(
            f"note: no development plan of `{sheet.owner}` for {sheet.fiscal_year} under {root}: "
            "the workbook has no dropdowns of strategic issues and strategies",
            err=True,
        )
    return 0


def import_command(
    workbook: Path,
    into: Path | None,
    out: Path | None,
    dry_run: bool,
    delete_missing: bool,
    fmt: str,
    settings: Path | None,
    no_cache: bool,
) -> int:
    from provplan.validate.cache import default_dir

    if (into is None) == (out is None):
        raise typer.BadParameter("give either --into PLAN.yaml or --out NEW.yaml")
    if out is not None and out.exists():
        raise typer.BadParameter(f"{out} exists; merge into it with --into", param_hint="--out")
    if into is not None and not into.is_file():
        raise typer.BadParameter(f"{into}: no such file", param_hint="--into")
    if not workbook.is_file():
        raise typer.BadParameter(f"{workbook}: no such file", param_hint="WORKBOOK")
    target = into or out
    assert target is not None
    result = import_workbook(
        workbook,
        target,
        new=out is not None,
        delete_missing=delete_missing,
        settings=settings,
        cache_dir=None if no_cache else default_dir(),
    )
    _report(result, fmt)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if result.errors:
        return 1
    text = result.text
    assert text is not None
    if dry_run:
        if fmt == "text":
            _show_diff(result, text)
        return 0
    if text != result.original:
        write_atomic(target, text)
    if fmt == "text":
        typer.echo(f"wrote {target}")
    return 0


def _report(result: ImportResult, fmt: str) -> None:
    merged = result.merged
    counts = {
        "changed": merged.changed if merged else [],
        "added": merged.added if merged else [],
        "removed": merged.removed if merged else [],
        "kept_without_row": merged.kept if merged else [],
    }
    if fmt == "json":
        document = {
            "diagnostics": [as_json(f) for f in result.findings],
            "summary": {
                "errors": result.errors,
                "warnings": len(result.findings) - result.errors,
                **counts,
                "provplan_version": __version__,
                "format_version": FORMAT_VERSION,
            },
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for finding in result.findings:
        typer.echo(str(finding))
    if result.errors:
        typer.echo(f"{result.errors} error{'s' if result.errors != 1 else ''}: nothing written")
        return
    line = ", ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in counts.items())
    typer.echo(f"{result.workbook.path}: {line}")
    if counts["kept_without_row"]:
        kept = ", ".join(counts["kept_without_row"])
        typer.echo(f"kept (no row in the workbook; --delete-missing removes them): {kept}")


def _show_diff(result: ImportResult, text: str) -> None:
    """What the import would change, as `provplan diff` shows two folders."""
    from provplan.report.diff import WRITERS
    from provplan.review.diff import compare
    from provplan.review.sources import folder

    name = result.target.name
    registry = open_repository([result.target]).registry
    with tempfile.TemporaryDirectory(prefix="provplan-import-") as tmp:
        before, after = Path(tmp, "before"), Path(tmp, "after")
        before.mkdir()
        after.mkdir()
        if result.original is not None:
            (before / name).write_text(result.original, encoding="utf-8")
        (after / name).write_text(text, encoding="utf-8")
        old, new = folder(before), folder(after)
        old = type(old)(str(result.target), old.files)
        new = type(new)(str(result.workbook.path), new.files)
        WRITERS["text"](compare(old, new, registry), sys.stdout)
