"""Strict YAML reading that remembers where every value came from.

PyYAML silently keeps the last of two duplicate keys and forgets line numbers once the data is
built; both would make errors useless for a civil servant editing a file by hand. We compose the
node tree ourselves, refuse duplicate keys, and keep a map from each value's path to its line.

Hostile files are stopped while composing, before they cost memory or recursion: nesting deeper
than `InputLimits.max_yaml_depth`, more aliases than `max_yaml_aliases`, more values (aliases
expanded) than `max_yaml_nodes` ("billion laughs"); any tag other than plain YAML types
(`!!python/object` and friends) and merge keys (`<<`) are refused by name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scoring.decoding import decode_text
from scoring.errors import ContentError, Problem
from scoring.limits import DEFAULT_LIMITS, InputLimits

Location = tuple[Any, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class LocatedDocument:
    """Plain Python data parsed from YAML, plus the line of every mapping key and item."""

    path: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Sequence[Any]) -> int | None:
        """Line of the deepest known prefix of `location` (pydantic locations may go deeper)."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            # pydantic reports dict keys as strings; YAML may have parsed them as ints.
            alt = _int_key_variant(loc)
            if alt in self.lines:
                return self.lines[alt]
            loc = loc[:-1]
        return self.lines.get((), 1)


def _int_key_variant(loc: Location) -> Location:
    last = loc[-1]
    if isinstance(last, str) and last.lstrip("-").isdigit():
        return (*loc[:-1], int(last))
    return loc


_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))


class _TooCostly(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Guard:
    """Counts depth, aliases and nodes while composing (mixed into a PyYAML composer)."""

    limits: InputLimits
    depth: int
    aliases: int

    def _start_guard(self, limits: InputLimits) -> None:
        self.limits = limits
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_yaml_aliases:
                raise _TooCostly(
                    line, f"more than {self.limits.max_yaml_aliases} aliases (*name); write the values out instead"
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        self.depth += 1
        try:
            if self.depth > self.limits.max_yaml_depth:
                raise _TooCostly(line, f"values nested more than {self.limits.max_yaml_depth} levels deep")
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


class _GuardedLoader(_Guard, yaml.SafeLoader):
    """PyYAML's safe composer, counting depth, aliases and nodes as it goes (pure Python)."""

    def __init__(self, stream: str, limits: InputLimits) -> None:
        super().__init__(stream)
        self._start_guard(limits)


_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)  # libyaml's, when PyYAML has it
_FAST_LOADER: type | None = None
if _CParser is not None:

    class _GuardedCLoader(_Guard, yaml.composer.Composer, _CParser, yaml.resolver.Resolver):
        """The same guarded composer over libyaml's C scanner and parser (events with the same
        marks), about eight times faster: the shipped content is parsed on every fresh server."""

        def __init__(self, stream: str, limits: InputLimits) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._start_guard(limits)

    _FAST_LOADER = _GuardedCLoader


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Builder:
    def __init__(self, path: str, limits: InputLimits = DEFAULT_LIMITS):
        self.path = path
        self.limits = limits
        self.nodes = 0
        self.lines: dict[Location, int] = {}
        self.constructor = yaml.SafeLoader("")  # used only to resolve scalar types

    def _refuse(self, node: yaml.Node, message: str) -> ContentError:
        return ContentError.single(self.path, node.start_mark.line + 1, message)

    def build(self, node: yaml.Node, loc: Location) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_yaml_nodes:
            raise self._refuse(
                node, f"more than {self.limits.max_yaml_nodes:,} values (counting each use of an alias); refused"
            )
        if node.tag not in ALLOWED_TAGS:
            raise self._refuse(
                node,
                f"the tag {_short_tag(node.tag)} is not allowed: the file may hold only plain values, lists and "
                "mappings (tags such as !!python/object are refused)",
            )
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _CORE + "merge":
                    raise self._refuse(key_node, "merge keys (<<) are not accepted; write the keys out")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._refuse(key_node, "a mapping key must be a plain value")
                if key_node.tag not in ALLOWED_TAGS:
                    raise self._refuse(key_node, f"the tag {_short_tag(key_node.tag)} is not allowed")
                key = self.constructor.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise ContentError.single(
                        self.path, key_node.start_mark.line + 1, "a mapping key must be a plain value"
                    )
                if key in result:
                    raise ContentError.single(
                        self.path,
                        key_node.start_mark.line + 1,
                        f"duplicate key {key!r} (first given on line {self.lines[(*loc, key)]}); "
                        "each key may appear only once",
                    )
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*loc, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*loc, index)))
            return items
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
        return value


def _compose(loader_class: type, text: str, limits: InputLimits) -> yaml.Node | None:
    loader = loader_class(text, limits)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml_text(text: str, path: str, limits: InputLimits = DEFAULT_LIMITS) -> LocatedDocument:
    """Parse YAML text; raise ContentError naming the line on any syntax problem."""
    try:
        try:
            node = _compose(_FAST_LOADER or _GuardedLoader, text, limits)
        except yaml.YAMLError:
            if _FAST_LOADER is None:
                raise
            # A broken file: the pure-Python parser says what is wrong in its established words.
            node = _compose(_GuardedLoader, text, limits)
    except _TooCostly as exc:
        raise ContentError.single(path, exc.line, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        raise ContentError.single(path, line, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise ContentError.single(path, None, f"YAML syntax error: {exc}") from None
    if node is None:
        raise ContentError.single(path, 1, "the file is empty (expected a YAML mapping)")
    builder = _Builder(path, limits)
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise ContentError.single(path, mark.line + 1 if mark else None, f"cannot read value: {exc.problem}") from None
    return LocatedDocument(path=path, data=data, lines=builder.lines)


def read_limited(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, refusing one past its size limit before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        limit = limits.max_bytes_for(path.name)
        if size > limit:
            return path.open("rb").read(limit + 1)  # decode_text names the size problem
        return path.read_bytes()
    except OSError as exc:
        raise ContentError.single(str(path), None, f"cannot read file: {exc.strerror}") from None


def read_yaml_file(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> LocatedDocument:
    return parse_yaml_bytes(read_limited(path, limits), str(path), limits)


def parse_yaml_bytes(raw: bytes, path: str, limits: InputLimits = DEFAULT_LIMITS) -> LocatedDocument:
    return parse_yaml_text(decode_text(raw, path, limits.max_yaml_bytes), path, limits)


def _describe_pydantic_error(error: Mapping[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    kind = error.get("type", "")
    if kind == "missing":
        return f"{loc}: required field is missing"
    if kind == "extra_forbidden":
        return f"{loc}: unknown field (check the spelling; see the schema in README)"
    return f"{loc}: {message}" if loc else message


def validate_document(doc: LocatedDocument, model: type[M]) -> M:
    """Validate parsed YAML against a pydantic model; map each error back to its line."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [Problem(doc.path, doc.line_of(err["loc"]), _describe_pydantic_error(err)) for err in exc.errors()]
        raise ContentError(_dedupe(problems)) from None


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    ordered = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            ordered.append(problem)
    return ordered


def load_model(path: str | Path, model: type[M]) -> tuple[M, LocatedDocument]:
    doc = read_yaml_file(path)
    return validate_document(doc, model), doc
