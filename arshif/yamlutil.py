"""YAML loading that remembers where each key stands, so errors can name file and line.

Used by the config loader, the article readers (front matter, sidecars) and data files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

KeyPath = tuple[str, ...]


# libyaml's parser is about ten times faster than the pure-Python one; front matter is parsed
# for every article, so use it whenever PyYAML was built with it.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text: YAML 1.1's timestamp guessing turns `2021-03-10`
    into a date but `2021-3-10` into a string, so we parse every date ourselves."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.copy().items()
}


def load_yaml(text: str, path: Path | str, first_line: int = 1) -> tuple[Any, dict[KeyPath, int]]:
    """Parse `text` and return (data, {key path: line number}).

    `first_line` is the file line that `text` starts on, so front matter errors point
    into the article file rather than into the extracted block.
    """
    try:
        # One parse: compose the node tree (which keeps line marks), then build values from it.
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        # "expected ']' but got <stream end>" points past the file; the opening bracket helps more.
        if err.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = err.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = err.problem or "invalid YAML"
        raise SourceError(path, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as err:
        raise SourceError(path, f"invalid YAML: {err}", first_line) from None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _collect_lines(node, (), lines, first_line)
    return data, lines


def _collect_lines(node: yaml.Node, prefix: KeyPath, out: dict[KeyPath, int], base: int) -> None:
    out.setdefault(prefix, base + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            out[*prefix, key] = base + key_node.start_mark.line
            _collect_lines(value_node, (*prefix, key), out, base)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*prefix, str(index)), out, base)
