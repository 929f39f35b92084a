"""docs/advisories.md is the offline stand-in for a vulnerability database: every floor in pyproject.toml and
every installed version must be at or above the first fixed version of each advisory listed for its package."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def fixed_versions(markdown: str) -> dict[str, Version]:
    """package -> the highest 'first fixed' version in the table (rows with 'none' have no fix to require)."""
    needed: dict[str, Version] = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"GHSA-[0-9a-z-]+.*", cells[1]) or cells[2] == "none":
            continue
        version = Version(cells[2])
        needed[cells[0]] = max(version, needed.get(cells[0], version))
    return needed


def floors(pyproject: str) -> dict[str, Version]:
    """package -> the >= floor declared anywhere in pyproject (dependencies and every extra)."""
    project = tomllib.loads(pyproject)["project"]
    found: dict[str, Version] = {}
    for spec in [*project.get("dependencies", []),
                 *(d for extra in project.get("optional-dependencies", {}).values() for d in extra)]:
        requirement = Requirement(spec)
        lows = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
        name = requirement.name.lower().replace("_", "-")
        found[name] = max([*lows, found.get(name, Version("0"))])
    return found


def too_low(needed: dict[str, Version], declared: dict[str, Version], installed: dict[str, Version]) -> list[str]:
    problems = []
    for package, version in sorted(needed.items()):
        if package in declared and declared[package] < version:
            problems.append(f"pyproject floor {package}>={declared[package]} is below the fixed {version}")
        if package in installed and installed[package] < version:
            problems.append(f"installed {package} {installed[package]} is below the fixed {version}")
    return problems


def installed_versions(packages) -> dict[str, Version]:
    found = {}
    for package in packages:
        try:
            found[package] = Version(importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def test_floors_and_installed_versions_are_at_or_above_every_fixed_version():
    needed = fixed_versions((ROOT / "docs" / "advisories.md").read_text())
    assert {"starlette", "python-multipart", "h11", "langchain-core"} <= set(needed)
    problems = too_low(needed, floors((ROOT / "pyproject.toml").read_text()), installed_versions(needed))
    assert not problems, "\n".join(problems)


def test_every_web_facing_package_in_the_table_has_a_floor():
    needed = fixed_versions((ROOT / "docs" / "advisories.md").read_text())
    declared = floors((ROOT / "pyproject.toml").read_text())
    installed = installed_versions(needed)
    missing = [p for p in ("starlette", "python-multipart", "h11", "langchain-core") if p not in declared]
    missing += [p for p in needed if p in installed and p not in declared]
    assert not missing, f"no floor in pyproject.toml for {missing}"


def test_the_check_catches_a_floor_and_an_installed_version_below_the_table():
    table = ("| package | advisory | first fixed |\n|---|---|---|\n| h11 | GHSA-vqfr-h8mv-ghfj | 0.16.0 |\n"
             "| h11 | GHSA-aaaa-bbbb-cccc | 0.15.0 |\n| chromadb | GHSA-f4j7-r4q5-qw2c | none |\n")
    pyproject = '[project]\nname = "x"\ndependencies = ["h11>=0.14"]\n'
    needed = fixed_versions(table)
    assert needed == {"h11": Version("0.16.0")}
    assert len(too_low(needed, floors(pyproject), {"h11": Version("0.14.0")})) == 2
    assert too_low(needed, {"h11": Version("0.16.0")}, {"h11": Version("0.16.0")}) == []
