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
from provplan.i18n import Message, join, msg, plural, text
from provplan.load import read
from provplan.model.plan import ActionPlan, ProgressReport
from provplan.output import write_atomic
from provplan.repository import open_repository
from provplan.shape import plan_document
from provplan.sheets.check import plan_root
from provplan.sheets.export import (
    ExportError,
    Found,
    Sheet,
    action_sheet,
    find_plans,
    progress_sheet,
    rows_of,
    write_workbook,
)
from provplan.sheets.findings import as_json
from provplan.sheets.importer import ImportResult, import_workbook
from provplan.sheets.merge import Changes
from provplan.years import quarter_span, year_problem


def export_command(
    plan: Path | None,
    out: Path,
    new: bool,
    owner: str | None,
    fiscal_year: int | None,
    quarter: int | None,
    settings: Path | None,
) -> int:
    if new == (plan is not None):
        raise typer.BadParameter(
            text("give either PLAN.yaml or --new --owner ID -y YEAR (and -q QUARTER for a report)")
        )
    if out.suffix.lower() != ".xlsx":  # Excel refuses a workbook named otherwise
        raise typer.BadParameter(
            text("{path}: a workbook is written as .xlsx; name the file FILE.xlsx", path=out),
            param_hint="--out",
        )
    if quarter is not None and not new:
        raise typer.BadParameter(
            text("goes with --new; a report's quarter is in its file"), param_hint="--quarter"
        )
    repository = open_repository([plan or out], settings)
    registry = repository.registry
    if plan is None:
        if owner is None or fiscal_year is None:
            raise typer.BadParameter(
                text("--new needs --owner and --fiscal-year"), param_hint="--new"
            )
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
        found = find_plans(root, owner_id, fiscal_year, registry)
        if found.others:  # which of them would the workbook be for? never guessed
            chosen = [o.path for o in (found.development, found.action) if o is not None]
            typer.echo(
                text(
                    "provplan export: more than one plan of `{owner}` for {year} under {root} "
                    "({paths}); run the command in the office's plan repository, or give its "
                    "provplan.yaml with --settings",
                    owner=owner_id,
                    year=fiscal_year,
                    root=root,
                    paths=", ".join(str(p) for p in [*chosen, *found.others]),
                ),
                err=True,
            )
            return 1
        if quarter is None:
            sheet = action_sheet(owner_id, fiscal_year, (), found, "--new")
        elif found.action is None:
            typer.echo(
                text(
                    "provplan export: no action plan of `{owner}` for {year} under {root}; a "
                    "progress report reports on one: add it first",
                    owner=owner_id,
                    year=fiscal_year,
                    root=root,
                ),
                err=True,
            )
            return 1
        else:
            as_of = quarter_span(fiscal_year, quarter)[1]  # the quarter's last day
            info = {"owner": owner_id, "fiscal_year": fiscal_year, "quarter": quarter}
            sheet = progress_sheet(info | {"as_of": as_of}, (), (), found, "--new")
    else:
        loaded = read(plan)
        shaped, problems = (
            (None, []) if loaded.data is None else plan_document(loaded, explicit=True)
        )
        model = shaped.plan if shaped is not None and not problems else None
        if not isinstance(model, ActionPlan | ProgressReport):
            for problem in loaded.diagnostics + problems:
                typer.echo(str(problem), err=True)
            if model is not None:
                typer.echo(
                    text(
                        "provplan export: {path} is a {kind}, not an action plan or a progress "
                        "report",
                        path=plan,
                        kind=model.kind,
                    ),
                    err=True,
                )
            return 1
        owner_id = registry.owner_id(model.owner)
        root = plan_root(plan, repository)
        found = find_plans(root, owner_id, model.fiscal_year, registry)
        if isinstance(model, ActionPlan):
            sheet = action_sheet(owner_id, model.fiscal_year, model.projects, found, str(plan))
        else:
            # the YAML's own values, not the model's defaults: a cell shows what is written
            data = loaded.data
            info = {
                "owner": owner_id,
                "fiscal_year": model.fiscal_year,
                "quarter": model.quarter,
                "as_of": model.as_of,
            }
            items = {
                k: data.get(k) if isinstance(data.get(k), list) else []
                for k in ("projects", "indicators")
            }
            sheet = progress_sheet(info, items["projects"], items["indicators"], found, str(plan))
    try:
        write_atomic(out, write_workbook(sheet))
    except ExportError as err:
        typer.echo(text("provplan export: {problem}", problem=err), err=True)
        return 1
    typer.echo(text("wrote {path}: {counts}", path=out, counts=_counted(sheet)))
    for note in _missing(sheet, found, root):
        typer.echo(text("note: {note}", note=note), err=True)
    return 0


def _counted(sheet: Sheet) -> Message:
    """`6 projects`, or for a report `6 projects, 1 indicator result, 2 indicator rows to fill
    in` (the rows of what the report does not have yet)."""
    found = []
    for table in sheet.layout.tables:
        items, rows = len(sheet.items.get(table.listed, ())), len(list(rows_of(table, sheet)))
        blank = rows - items
        if table.listed == "projects":
            if items:
                found.append(plural("{count} project", "{count} projects", items))
            if blank > 0:
                found.append(
                    plural(
                        "{count} project row to fill in", "{count} project rows to fill in", blank
                    )
                )
        else:  # a report's indicator results
            if items:
                found.append(plural("{count} indicator result", "{count} indicator results", items))
            if blank > 0:
                found.append(
                    plural(
                        "{count} indicator row to fill in",
                        "{count} indicator rows to fill in",
                        blank,
                    )
                )
    return join(found) if found else plural("{count} project", "{count} projects", 0)


def _missing(sheet: Sheet, found: Found, root: Path) -> list[Message]:
    """What the workbook goes without, for lack of the owner's other plans under `root`."""
    owner, year = sheet.info["owner"], sheet.info["fiscal_year"]
    notes = []
    if found.development is None:
        notes.append(
            msg(
                "no development plan of `{owner}` for {year} under {root}: the workbook has no "
                "dropdowns of strategic issues and strategies",
                owner=owner,
                year=year,
                root=root,
            )
            if sheet.layout.kind == "action-plan"
            else msg(
                "no development plan of `{owner}` for {year} under {root}: the workbook has no "
                "names and targets of the indicators",
                owner=owner,
                year=year,
                root=root,
            )
        )
    if sheet.layout.kind == "progress-report" and found.action is None:
        notes.append(
            msg(
                "no action plan of `{owner}` for {year} under {root}: the workbook has no titles "
                "and budgets of the projects",
                owner=owner,
                year=year,
                root=root,
            )
        )
    return notes


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
        raise typer.BadParameter(text("give either --into PLAN.yaml or --out NEW.yaml"))
    if out is not None and out.exists():
        raise typer.BadParameter(
            text("{path} exists; merge into it with --into", path=out), param_hint="--out"
        )
    if into is not None and not into.is_file():
        raise typer.BadParameter(text("{path}: no such file", path=into), param_hint="--into")
    if not workbook.is_file():
        raise typer.BadParameter(text("{path}: no such file", path=workbook), param_hint="WORKBOOK")
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
        typer.echo(text("note: {note}", note=note), err=True)
    if result.errors:
        return 1
    merged = result.text
    assert merged is not None
    if dry_run:
        if fmt == "text":
            _show_diff(result, merged)
        return 0
    if merged != result.original:
        write_atomic(target, merged)
    if fmt == "text":
        typer.echo(text("wrote {path}", path=target))
    return 0


def _counts(changes: Changes) -> dict[str, list[str]]:
    return {
        "changed": changes.changed,
        "added": changes.added,
        "removed": changes.removed,
        "kept_without_row": changes.kept,
    }


def _report(result: ImportResult, fmt: str) -> None:
    """The findings and what the merge did: projects' ids by what happened to them, and for a
    report its indicator results' ids and its own values changed (`as_of`)."""
    merged = result.merged
    changes = merged.changes if merged else {}
    projects = _counts(changes.get("projects", Changes()))
    others = {name: _counts(c) for name, c in changes.items() if name != "projects"}
    fields = merged.fields if merged else []
    if fmt == "json":
        document = {
            "diagnostics": [as_json(f) for f in result.findings],
            "summary": {
                "errors": result.errors,
                "warnings": len(result.findings) - result.errors,
                **projects,
                **others,
                **({"fields_changed": fields} if fields else {}),
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
        typer.echo(
            text(
                "{errors}: nothing written",
                errors=plural("{count} error", "{count} errors", result.errors),
            )
        )
        return
    parts = [_line(projects)]
    parts += [msg("{list!k}: {counts}", list=name, counts=_line(c)) for name, c in others.items()]
    parts += [msg("{key!k} changed", key=name) for name in fields]
    summary = parts[0]
    for part in parts[1:]:
        summary = msg("{done}; {more}", done=summary, more=part)
    typer.echo(text("{path}: {summary}", path=result.workbook.path, summary=summary))
    for name, counts in {"projects": projects, **others}.items():
        if counts["kept_without_row"]:
            kept = ", ".join(counts["kept_without_row"])
            typer.echo(
                text(
                    "kept (no row in the workbook; --delete-missing removes them): {ids}", ids=kept
                )
                if name == "projects"
                else text(
                    "kept {list!k} (no row in the workbook; --delete-missing removes them): {ids}",
                    list=name,
                    ids=kept,
                )
            )


def _line(counts: dict[str, list[str]]) -> Message:
    """`0 changed, 6 added, 0 removed, 0 kept without row`."""
    return join(
        [
            plural("{count} changed", "{count} changed", len(counts["changed"])),
            plural("{count} added", "{count} added", len(counts["added"])),
            plural("{count} removed", "{count} removed", len(counts["removed"])),
            plural(
                "{count} kept without row",
                "{count} kept without row",
                len(counts["kept_without_row"]),
            ),
        ]
    )


def _show_diff(result: ImportResult, merged: str) -> None:
    """What the import would change, as `provplan diff` shows it: the repository as it is
    against the same repository with the merged file, so that owners' and clusters' totals
    are those of every plan (rollup's), not of the one file."""
    from provplan.report.diff import WRITERS
    from provplan.review.diff import compare
    from provplan.review.sources import Ref, Side, folder

    repository = open_repository([result.target])
    root = plan_root(result.target, repository)
    old = folder(root)
    name = result.target.resolve().relative_to(root.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="provplan-import-") as tmp:
        (Path(tmp) / "merged.yaml").write_text(merged, encoding="utf-8")
        files = {**old.files, name: Ref("file", tmp, "merged.yaml")}
        if result.original is None:  # a new file: not there before
            old.files.pop(name, None)
        before = Side(str(result.target), old.files)
        after = Side(str(result.workbook.path), files)
        same = set(old.files) - {name}
        WRITERS["text"](compare(before, after, repository.registry, same=same), sys.stdout)
