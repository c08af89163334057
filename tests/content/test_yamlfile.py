"""The fast YAML composer resolves every node's tag as PyYAML's own resolver does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content import yamlfile

ROOT = Path(__file__).resolve().parents[2]
TRICKY = (
    "a: yes\nb: no\nc: on\nd: true\ne: 1.5\nf: 2020-01-02\ng: ~\nh: ''\ni: 0x1F\nj: .inf\nk: <<\n"
    "l: =\nm: '12'\nn: [1, null, Null, -3, +4, 1_000, .5, 1e3]\no: \"true\"\np:\n- !!str 3\n- !!int '4'\n- \n"
)


def _tags(text: str, loader: type) -> list[tuple[str, str, object, int]]:
    out: list[tuple[str, str, object, int]] = []

    def walk(node: yaml.Node) -> None:
        out.append((type(node).__name__, node.tag, node.value if isinstance(node, yaml.ScalarNode) else None,
                    node.start_mark.line))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                walk(child)

    walk(yaml.compose(text, Loader=loader))
    return out


@pytest.mark.skipif(yamlfile._COMPOSER is yamlfile._Loader, reason="PyYAML without libyaml")
def test_fast_composer_tags_every_node_as_pyyaml_does() -> None:
    class Plain(yaml.CSafeLoader):  # libyaml's composer with PyYAML's own resolver
        pass

    Plain.yaml_implicit_resolvers = yamlfile._Loader.yaml_implicit_resolvers
    texts = [TRICKY] + [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("intents/*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("data/**/*.yaml"))]
    for text in texts:
        assert _tags(text, yamlfile._COMPOSER) == _tags(text, Plain)
    assert yamlfile.load_with_lines("b: no\nd: true\n")[0] == {"b": "no", "d": True}  # YAML 1.2 booleans still


def test_shipped_files_parse_without_libyaml_too() -> None:
    # libyaml accepts some text the pure-Python parser rejects ("[a, b?]" in a flow list), and a
    # machine without libyaml uses the pure-Python one: shipped content must suit both.
    for path in sorted(ROOT.glob("intents/*.yaml")) + sorted(ROOT.glob("data/**/*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yamlfile._Loader)
