"""Fixtures for the YAML loader tests: both PyYAML parsers and a writer of YAML files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from loomta_sync.calendar import yaml_loader

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hostile"


# The parser the loader picks when PyYAML has libyaml, as the module chose it on import.
LIBYAML_PARSER: Any = yaml_loader._Parser


@pytest.fixture(params=["libyaml", "pure-python"])
def parser_name(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test once with libyaml's parser and once with PyYAML's fallback parser."""
    parser: Any = LIBYAML_PARSER if request.param == "libyaml" else yaml.SafeLoader
    monkeypatch.setattr(yaml_loader, "_Parser", parser)
    yield request.param


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[bytes | str], Path]:
    """Return a function that writes bytes or UTF-8 text to a new .yaml file in tmp_path."""
    count = 0

    def write(content: bytes | str) -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"file-{count}.yaml"
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write
