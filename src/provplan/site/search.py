"""The offline search index: owners, strategic issues, projects and agencies of the year.

Written as a script (`window.provplanIndex = …`), not fetched as JSON: browsers refuse
`fetch` of a local file, and the site must work opened from a USB stick. Thai has no spaces
between words, so the page matches a substring of normalised text (search.js); the index
keeps each text once and projects refer to their agency and plan by number, which keeps the
national index small.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from provplan.escape import script_json
from provplan.planset import ActionOutline, Outline
from provplan.site.pages import Pages, owner_path


def index(pages: Pages, document_of: Callable[[Outline], PurePosixPath]) -> dict[str, Any]:
    """`owners`: [label, href]; `issues`: [owner number, id, title]; `agencies`: names;
    `plans`: [owner number, folder of its project briefs]; `projects`: [plan number, id,
    title, agency number]."""
    registry, year = pages.registry, pages.year
    owners: list[list[str]] = []
    owner_number: dict[str, int] = {}
    for c in pages.figures.year.clusters:
        for owner in [c.cluster.id, *c.cluster.members]:
            owner_number[owner] = len(owners)
            owners.append([registry.label(owner), owner_path(registry, owner)])
    issues = [
        [owner_number[owner], issue.id, issue.title]
        for owner, development in pages.developments.items()
        for issue in development.issues
    ]
    agencies: dict[str, int] = {}
    plans: list[list[Any]] = []
    projects: list[list[Any]] = []
    for action in _action_plans(pages, year, owner_number):
        folder = document_of(action).with_suffix("")
        plans.append([owner_number[action.owner], f"documents/{folder}/"])
        for project in action.projects:
            agency = agencies.setdefault(project.agency, len(agencies))
            projects.append([len(plans) - 1, project.id, project.title, agency])
    return {
        "fiscal_year": year,
        "owners": owners,
        "issues": issues,
        "agencies": list(agencies),
        "plans": plans,
        "projects": projects,
    }


def _action_plans(pages: Pages, year: int, owners: dict[str, int]) -> list[ActionOutline]:
    return [a for a in pages.plans.action_plans if a.fiscal_year == year and a.owner in owners]


def script(found: dict[str, Any]) -> str:
    return f"window.provplanIndex = {script_json(found)};\n"
