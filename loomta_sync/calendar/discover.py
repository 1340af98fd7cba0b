"""Finding the calendar files of a project.

Every `*.yaml` and `*.yml` file under the calendar directory is a calendar file, and the list is
sorted by path. Symlinked directories are not followed, and a warning names each. A symlinked
file is read only when it resolves inside the project. Anything that is not a regular file, and any
file name with invalid UTF-8 or hidden characters, is reported without being opened.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from loomta_sync.calendar.media import file_kind
from loomta_sync.calendar.text import find_hidden_characters, make_visible
from loomta_sync.config import Project
from loomta_sync.errors import Problem

CALENDAR_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class CalendarFile:
    # The path as os.scandir returned it. A Path is built only on request, because building
    # and formatting one for every file is a measurable part of loading thousands of files.
    os_path: str
    display_path: str  # relative to the project root, with '/'
    calendar_path: str  # relative to the calendar directory, with '/'

    @property
    def path(self) -> Path:
        return Path(self.os_path)


def find_calendar_files(
    project: Project, problems: list[Problem], warnings: list[Problem]
) -> list[CalendarFile]:
    """Return the calendar files sorted by path, reporting those that cannot be read safely."""
    root = os.path.normpath(project.calendar_dir)
    found_problems: list[Problem] = []
    found_warnings: list[Problem] = []
    finder = _Finder(os.fspath(project.root), found_problems, found_warnings)
    if not os.path.isdir(root):
        problems.append(
            Problem(
                finder.display(root),
                None,
                None,
                "calendar directory not found",
                "create it, or set paths.calendar in loomta.yaml",
            )
        )
        return []

    files: list[CalendarFile] = []
    directories = [root]
    while directories:
        directory = directories.pop()
        # Directory entries carry their type, so regular files need no extra stat call.
        with os.scandir(directory) as scan:
            for entry in scan:
                if entry.is_dir(follow_symlinks=False):
                    directories.append(entry.path)
                elif entry.name.lower().endswith(CALENDAR_SUFFIXES) or entry.is_symlink():
                    file = finder.check(entry, root)
                    if file is not None:
                        files.append(file)

    files.sort(key=lambda file: file.calendar_path)
    problems.extend(sorted(found_problems, key=lambda problem: problem.path))
    warnings.extend(sorted(found_warnings, key=lambda warning: warning.path))
    return files


class _Finder:
    def __init__(self, project_root: str, problems: list[Problem], warnings: list[Problem]) -> None:
        self._root = project_root
        self._real_root = os.path.realpath(project_root)
        self._problems = problems
        self._warnings = warnings

    def display(self, path: str) -> str:
        if path.startswith(self._root + os.sep):
            path = path[len(self._root) + 1 :]
        return path.replace(os.sep, "/")

    def check(self, entry: os.DirEntry[str], calendar_root: str) -> CalendarFile | None:
        """Return the file an entry names, or None after reporting why it is not read."""
        display_path = self.display(entry.path)
        is_calendar_file = entry.name.lower().endswith(CALENDAR_SUFFIXES)
        if entry.is_symlink() and entry.is_dir():
            self._warnings.append(
                Problem(
                    display_path,
                    None,
                    None,
                    "symlinked directory not read",
                    "move its files into the calendar directory",
                )
            )
            return None
        if not is_calendar_file:
            return None

        message = self._name_problem(entry, display_path) or self._file_problem(entry, display_path)
        if message is not None:
            problem_path, text, hint = message
            self._problems.append(Problem(problem_path, None, None, text, hint))
            return None

        calendar_path = entry.path[len(calendar_root) + 1 :].replace(os.sep, "/")
        return CalendarFile(entry.path, display_path, calendar_path)

    def _name_problem(
        self, entry: os.DirEntry[str], display_path: str
    ) -> tuple[str, str, str] | None:
        try:
            if not display_path.isascii():
                display_path.encode("utf-8")
        except UnicodeEncodeError:
            readable = os.fsencode(entry.path).decode("utf-8", "backslashreplace")
            return self.display(readable), "file name is not valid UTF-8", "rename the file"
        if find_hidden_characters(display_path):
            return (
                make_visible(display_path),
                "file name contains control or invisible characters",
                "rename the file",
            )
        return None

    def _file_problem(
        self, entry: os.DirEntry[str], display_path: str
    ) -> tuple[str, str, str] | None:
        if entry.is_symlink():
            real_path = os.path.realpath(entry.path)
            if not real_path.startswith(self._real_root + os.sep):
                return (
                    display_path,
                    "calendar file is a symlink that resolves outside the project",
                    "copy the file into the project",
                )
        try:
            if entry.is_file():
                return None
            mode = entry.stat().st_mode
        except FileNotFoundError:
            return display_path, "calendar file is a broken symlink", "fix or remove it"
        except OSError as exc:
            return (
                display_path,
                f"cannot read calendar file: {exc.strerror}",
                "check its permissions",
            )
        if stat.S_ISREG(mode):
            return None
        return display_path, f"calendar file is {file_kind(mode)}", "replace it with a YAML file"
