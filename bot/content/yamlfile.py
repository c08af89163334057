"""Read YAML while keeping each value's line number, so errors can point at it.

PyYAML's node graph knows where every scalar and mapping starts; the usual
``safe_load`` throws that away. We compose the nodes ourselves and record the
line of every path we build, e.g. ``("answers", "what_is", "text") -> 12``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Path = tuple[Any, ...]
_STR = "tag:yaml.org,2002:str"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so 'no' and 'on' stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# libyaml's C parser, when PyYAML was built with it, composes about ten times
# faster; same nodes, same line marks, same YAML 1.2 booleans.
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        """The C composer calls ``resolve`` for every node; PyYAML's general one costs as much as
        the parsing of a small topic file. Without path resolvers (none are registered), a node's
        tag depends only on its kind and, for a plain scalar, its text: look that up directly."""

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if self.yaml_path_resolvers:  # pragma: no cover - none are registered
                return super().resolve(kind, value, implicit)
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    #: Per first letter of a plain scalar ("" for an empty one), the implicit resolvers to try, in
    #: PyYAML's order: those of that letter, then those for any letter.
    _WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))
    _IMPLICIT = {first: tuple(resolvers) + _WILDCARD
                 for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}
    _COMPOSER: type = _FastLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _COMPOSER = _Loader


class YamlError(ValueError):
    """A file that is not valid YAML; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML text; return the data and a map of path -> 1-based line."""
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        if "{" in text.splitlines()[line - 1 if line - 1 < len(text.splitlines()) else -1]:
            problem += " (a value that starts with '{' must be put in quotes, e.g. \"{topic} symptoms\")"
        raise YamlError(problem, line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other parser errors
        raise YamlError(str(exc), 1) from None
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    constructor = _Loader("")
    try:
        return _build(node, (), lines, constructor), lines
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlError(exc.problem or "invalid value", mark.line + 1 if mark else 1) from None


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], c: yaml.SafeLoader) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what the constructor would return, without its bookkeeping (most values are text)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR else c.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise YamlError("a key must be a plain word", key_node.start_mark.line + 1)
            if key in out:
                raise YamlError(f"'{key}' appears twice in the same block", key_node.start_mark.line + 1)
            inner = path + (key,)
            out[key] = _build(value_node, inner, lines, c)
            lines[inner] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), lines, c) for i, child in enumerate(node.value)]
    return c.construct_object(node, deep=True)
