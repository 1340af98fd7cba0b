"""One pass from a YAML event stream to Python values and node marks, with an explicit stack.

No recursion, so nesting depth is bounded only by `limits.max_depth`, and no PyYAML constructor,
so no object other than dict, list, str, int, float, bool and None is ever built. An alias
places a deep copy of its anchor's value, so the result is a tree that a caller may change
without side effects. The copy is paid for from the node budget before it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from loomta_sync.calendar.yaml_scalars import (
    MAP_TAG,
    SCALAR_TAGS,
    SEQ_TAG,
    ScalarError,
    resolve_plain,
    resolve_tagged,
    short_tag,
)
from loomta_sync.calendar.yaml_types import (
    YAML11_TYPE_NAMES,
    AmbiguousScalar,
    Mark,
    YamlDocument,
    YamlPath,
)
from loomta_sync.config import InputLimits
from loomta_sync.errors import Problem, ValidationFailed

_ALLOWED_TAGS = "!!str, !!int, !!float, !!bool, !!null, !!map and !!seq"

# Marks repeat from file to file (most keys sit in the first columns of the first lines), so
# those within the first 1024 lines and 128 columns are built once and shared.
_MARK_CACHE: dict[int, Mark] = {}
_MARK_CACHE_LINES = 1024
_MARK_CACHE_COLUMNS = 128

# Plain scalars repeat too (keys, platform aliases, setting values), so the values of short
# ones are kept: str, int, float, bool, None or AmbiguousScalar, all immutable and safe to share.
# Text that raises ScalarError is never kept. The size bound caps the memory at about 1 MB.
_PLAIN_VALUES: dict[str, Any] = {}
_PLAIN_CACHE_SIZE = 4096
_PLAIN_CACHE_MAX_CHARS = 64
_NOT_CACHED = object()


class MarksNotRecorded(Exception):
    """A problem needs a mark that a builder with `all_marks=False` did not record."""


class _OpenCollection:
    """A mapping or sequence whose end event has not been read yet."""

    __slots__ = (
        "anchor",
        "container",
        "is_mapping",
        "key",
        "key_path",
        "path",
        "records",
        "start_count",
    )

    def __init__(
        self,
        container: dict[str, Any] | list[Any],
        path: YamlPath,
        start_count: int,
        anchor: str | None,
        records: bool,
    ) -> None:
        self.container = container
        self.is_mapping = type(container) is dict
        self.path = path
        # Whether the marks of this collection's keys and values are recorded. When they are
        # not, `path` and `key_path` are not kept either.
        self.records = records
        # The key whose value comes next and its path, or None while a key is expected.
        self.key: str | None = None
        self.key_path: YamlPath = ()
        self.start_count = start_count
        self.anchor = anchor


class DocumentBuilder:
    """Consume the events of one YAML stream and return a YamlDocument, or raise ValidationFailed.

    `parser` is a PyYAML parser object with `get_event()` and `peek_event()`: yaml.cyaml.CParser,
    yaml.CSafeLoader or yaml.SafeLoader. PyYAML's own errors (yaml.YAMLError) pass through for
    the caller to map.

    With `all_marks=False` it records only the marks that a valid calendar file needs: the
    root's and, when the root is a sequence, its items'. Every check runs as usual, and a
    duplicate key, whose message needs the first key's mark, raises MarksNotRecorded.
    """

    def __init__(self, display_path: str, limits: InputLimits, *, all_marks: bool = True) -> None:
        self.display_path = display_path
        self.all_marks = all_marks
        self.max_depth = limits.max_depth
        self.max_nodes = limits.max_yaml_nodes
        self.max_scalar_chars = limits.max_scalar_chars
        self.root: Any = None
        self.marks: dict[YamlPath, Mark] = {}
        self.key_marks: dict[YamlPath, Mark] = {}
        self.stack: list[_OpenCollection] = []
        # Anchor name -> (value, node count of the value).
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0

    def build(self, parser: Any) -> YamlDocument:
        get_event = parser.get_event
        get_event()  # StreamStartEvent
        if isinstance(parser.peek_event(), StreamEndEvent):
            self.fail(
                Mark(1, 1),
                "file contains no YAML document (it is empty or only comments)",
                "add the content or delete the file",
            )
        get_event()  # DocumentStartEvent
        self.read_document(get_event)

        following = get_event()
        if isinstance(following, DocumentStartEvent):
            self.fail(
                self.mark_of(following),
                "a second YAML document starts here, but a file may contain only one",
                "move it to its own file or remove the `---` line",
            )
        return YamlDocument(self.display_path, self.root, self.marks, self.key_marks)

    def read_document(self, get_event: Callable[[], Event]) -> None:
        """Build the value from the events up to DocumentEndEvent.

        The parser guarantees that every collection is closed by then. This loop and the parser
        calls in it take about a third of loading the 10,000 files of bench/plan_bench.py. Most
        events are scalars inside a collection with no tag and no anchor, so those are handled
        here with local variables. Collection starts without a tag take one short method. Every
        other event takes the general methods below, which make the same checks in the same
        order.
        """
        marks = self.marks
        key_marks = self.key_marks
        stack = self.stack
        max_nodes = self.max_nodes
        max_scalar_chars = self.max_scalar_chars
        mark_cache = _MARK_CACHE
        plain_values = _PLAIN_VALUES
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is not ScalarEvent or event.tag is not None or event.anchor is not None:
                if kind is MappingEndEvent or kind is SequenceEndEvent:
                    self.on_collection_end()
                elif (kind is MappingStartEvent or kind is SequenceStartEvent) and stack:
                    self.open_collection(event, kind)
                elif not self.on_other_event(event, kind):
                    return
                continue
            if not stack:
                self.on_scalar(event)
                continue

            text = event.value
            count = self.count + 1
            self.count = count
            if count > max_nodes or len(text) > max_scalar_chars:
                self.fail_scalar_limits(event)

            # A mark is built here only to be recorded. A problem builds its own from the event.
            top = stack[-1]
            records = top.records
            mark: Any = None
            if records:
                start = event.start_mark
                column = start.column
                if column < _MARK_CACHE_COLUMNS:
                    mark = mark_cache.get(start.line * _MARK_CACHE_COLUMNS + column)
                if mark is None:
                    mark = self.mark_of(event)

            plain = event.implicit[0]
            value: Any = text
            if plain:
                value = plain_values.get(text, _NOT_CACHED)
                if value is _NOT_CACHED:
                    value = self.resolve_plain(text, event)

            if not top.is_mapping:
                container: Any = top.container
                if records:
                    marks[(*top.path, len(container))] = mark
                container.append(value)
            elif top.key is not None:
                if records:
                    marks[top.key_path] = mark
                top.container[top.key] = value  # type: ignore[call-overload]
                top.key = None
            elif type(value) is str and not (plain and text == "<<") and value not in top.container:
                if records:
                    path = (*top.path, value)
                    key_marks[path] = mark
                    top.key_path = path
                top.key = value
            else:
                self.on_key(top, value, event)

    def open_collection(self, event: CollectionStartEvent, kind: type) -> None:
        """Do what on_collection_start does, for a collection inside another one."""
        if event.tag is not None:
            self.on_collection_start(event, {} if kind is MappingStartEvent else [])
            return

        self.count += 1
        if self.count > self.max_nodes:
            self.fail_node_count(event)
        stack = self.stack
        if len(stack) >= self.max_depth:
            self.fail_depth(self.mark_of(event))

        collection: Any = {} if kind is MappingStartEvent else []
        top = stack[-1]
        if not top.is_mapping:
            path = (*top.path, len(top.container)) if top.records else ()
            top.container.append(collection)  # type: ignore[union-attr]
        elif top.key is not None:
            path = top.key_path if top.records else ()
            top.container[top.key] = collection  # type: ignore[call-overload]
            top.key = None
        else:
            self.fail_key_type(collection, self.mark_of(event))
        if top.records:
            self.marks[path] = self.mark_of(event)
        frame = _OpenCollection(collection, path, self.count, event.anchor, self.all_marks)
        stack.append(frame)

    def on_other_event(self, event: Any, kind: type) -> bool:
        """Handle any event but a scalar without tag and anchor; False at the document's end."""
        if kind is ScalarEvent:
            self.on_scalar(event)
        elif kind is MappingStartEvent:
            self.on_collection_start(event, {})
        elif kind is SequenceStartEvent:
            self.on_collection_start(event, [])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            self.on_collection_end()
        elif kind is AliasEvent:
            self.on_alias(event)
        else:
            return False  # DocumentEndEvent
        return True

    def on_scalar(self, event: ScalarEvent) -> None:
        self.count += 1
        text = event.value
        if self.count > self.max_nodes or len(text) > self.max_scalar_chars:
            self.fail_scalar_limits(event)

        mark = self.mark_of(event)
        if event.tag is not None:
            value = self.resolve_tagged(event.tag, text, mark)
        elif event.implicit[0]:
            value = self.resolve_plain(text, event)
        else:
            value = text

        stack = self.stack
        if not stack:
            self.root = value
            self.marks[()] = mark
        else:
            top = stack[-1]
            if top.is_mapping and top.key is None:
                self.on_key(top, value, event)
            else:
                self.place(value, mark)

        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)

    def on_key(self, top: _OpenCollection, key: Any, event: ScalarEvent) -> None:
        mark = self.mark_of(event)
        if event.implicit[0] and event.value == "<<" and event.tag is None:
            self.fail(mark, "merge keys (<<) are not supported", "write the fields out in full")
        self.set_key(top, key, mark, event.value)

    def on_collection_start(
        self, event: CollectionStartEvent, container: dict[str, Any] | list[Any]
    ) -> None:
        self.count_nodes(1, event)
        mark = self.mark_of(event)
        self.check_collection_tag(event, container, mark)
        if len(self.stack) >= self.max_depth:
            self.fail_depth(mark)

        # A partial record keeps the marks of a root sequence's items: the posts of a list file.
        records = self.all_marks or (not self.stack and type(container) is list)
        path = self.place(container, mark)
        self.stack.append(_OpenCollection(container, path, self.count, event.anchor, records))

    def on_collection_end(self) -> None:
        closed = self.stack.pop()
        if closed.anchor is not None:
            size = self.count - closed.start_count + 1
            self.anchors[closed.anchor] = (closed.container, size)

    def on_alias(self, event: AliasEvent) -> None:
        mark = self.mark_of(event)
        name = str(event.anchor)  # an alias event always names its anchor
        entry = self.anchors.get(name)
        if entry is None:
            self.fail_unknown_alias(name, mark)
        value, size = entry

        if self.count + size > self.max_nodes:
            self.fail(
                mark,
                f"alias *{name} repeats {size} nodes, which takes the document past the limit of "
                f"{self.max_nodes} YAML nodes (limits.max_yaml_nodes)",
                "write the values out instead of repeating them with aliases, or split the file",
            )
        self.count += size

        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_mapping and top.key is None:
            self.set_key(top, value, mark)
            return
        if type(value) is dict or type(value) is list:
            value = self.copy_tree(value, mark)
        self.place(value, mark)

    def resolve_plain(self, text: str, event: ScalarEvent) -> Any:
        try:
            value = resolve_plain(text)
        except ScalarError as exc:
            self.fail(self.mark_of(event), exc.message, exc.hint)
        if len(text) <= _PLAIN_CACHE_MAX_CHARS and len(_PLAIN_VALUES) < _PLAIN_CACHE_SIZE:
            _PLAIN_VALUES[text] = value
        return value

    def resolve_tagged(self, tag: str, text: str, mark: Mark) -> Any:
        if tag in (MAP_TAG, SEQ_TAG):
            self.fail(mark, f"tag {short_tag(tag)} on a scalar", "remove the tag")
        if tag not in SCALAR_TAGS:
            self.fail_tag(tag, mark)
        try:
            return resolve_tagged(tag, text)
        except ScalarError as exc:
            self.fail(mark, exc.message, exc.hint)

    def check_collection_tag(
        self, event: CollectionStartEvent, container: dict[str, Any] | list[Any], mark: Mark
    ) -> None:
        tag = event.tag
        if tag is None:
            return
        expected = MAP_TAG if type(container) is dict else SEQ_TAG
        if tag == expected:
            return

        if tag in SCALAR_TAGS or tag in (MAP_TAG, SEQ_TAG):
            kind = "mapping" if expected == MAP_TAG else "sequence"
            self.fail(mark, f"tag {short_tag(tag)} on a {kind}", "remove the tag")
        self.fail_tag(tag, mark)

    def set_key(self, top: _OpenCollection, key: Any, mark: Mark, text: str | None = None) -> None:
        """Accept `key` (written as `text`, unless it came from an alias) as the next key."""
        if not isinstance(key, str):
            self.fail_key_type(key, mark, text)
        if isinstance(key, AmbiguousScalar):
            self.fail(
                mark,
                f"key {str(key)!r} would be read as {YAML11_TYPE_NAMES[key.yaml11_type]} "
                "by YAML 1.1 tools",
                f"quote it: '{key}'",
            )

        if not top.records:
            if key in top.container:
                raise MarksNotRecorded(key)
            top.key = key
            return

        path = (*top.path, key)
        if key in top.container:
            first = self.key_marks[path]
            self.fail(
                mark,
                f"duplicate key {key!r}, first at line {first.line}, column {first.column}",
                "remove one of them",
            )
        top.key = key
        top.key_path = path
        self.key_marks[path] = mark

    def place(self, value: Any, mark: Mark) -> YamlPath:
        """Put a value into the open collection (or make it the root) and record its mark.

        Returns the value's path, or () in a collection whose marks are not recorded.
        """
        if not self.stack:
            self.root = value
            self.marks[()] = mark
            return ()

        top = self.stack[-1]
        container = top.container
        if top.is_mapping:
            if top.key is None:
                self.fail_key_type(value, mark)
            path = top.key_path
            container[top.key] = value  # type: ignore[call-overload]
            top.key = None
        else:
            path = (*top.path, len(container))
            container.append(value)  # type: ignore[union-attr]
        if not top.records:
            return ()
        self.marks[path] = mark
        return path

    def copy_tree(self, value: dict[str, Any] | list[Any], mark: Mark) -> Any:
        """Deep-copy an anchored collection for an alias placed at the current depth."""
        copy: Any = type(value)()
        pending: list[tuple[Any, Any, int]] = [(value, copy, len(self.stack) + 1)]
        while pending:
            source, target, depth = pending.pop()
            if depth > self.max_depth:
                self.fail_depth(mark)
            items = source.items() if type(source) is dict else enumerate(source)
            for key, child in items:
                if type(child) is dict or type(child) is list:
                    child_copy = type(child)()
                    pending.append((child, child_copy, depth + 1))
                else:
                    child_copy = child
                if type(target) is dict:
                    target[key] = child_copy
                else:
                    target.append(child_copy)
        return copy

    def count_nodes(self, size: int, event: Event) -> None:
        self.count += size
        if self.count > self.max_nodes:
            self.fail_node_count(event)

    def fail_node_count(self, event: Event) -> NoReturn:
        self.fail(
            self.mark_of(event),
            f"document has more than {self.max_nodes} YAML nodes (limits.max_yaml_nodes)",
            "split the file or raise the limit in loomta.yaml",
        )

    def fail_scalar_limits(self, event: ScalarEvent) -> NoReturn:
        if self.count > self.max_nodes:
            self.fail_node_count(event)
        self.fail(
            self.mark_of(event),
            f"scalar of {len(event.value)} characters is longer than the limit of "
            f"{self.max_scalar_chars} (limits.max_scalar_chars)",
            "shorten it or raise the limit in loomta.yaml",
        )

    def mark_of(self, event: Event) -> Mark:
        start: Any = event.start_mark  # never None for events that a parser produced
        line = start.line
        column = start.column
        if line >= _MARK_CACHE_LINES or column >= _MARK_CACHE_COLUMNS:
            return Mark(line + 1, column + 1)
        index = line * _MARK_CACHE_COLUMNS + column
        mark = _MARK_CACHE.get(index)
        if mark is None:
            mark = _MARK_CACHE[index] = Mark(line + 1, column + 1)
        return mark

    def fail_key_type(self, key: Any, mark: Mark, text: str | None = None) -> NoReturn:
        if key is None:
            self.fail(mark, "mapping key is null, not a string", "write a key name, or quote it")
        if isinstance(key, dict):
            self.fail(mark, "mapping key is a mapping, not a string", "use a string as the key")
        if isinstance(key, list):
            self.fail(mark, "mapping key is a sequence, not a string", "use a string as the key")
        kind = {bool: "a boolean", int: "an integer", float: "a float"}.get(type(key), "not text")
        written = key if text is None else text
        self.fail(mark, f"mapping key {written} is {kind}, not a string", f"quote it: '{written}'")

    def fail_tag(self, tag: str, mark: Mark) -> NoReturn:
        self.fail(
            mark,
            f"tag {short_tag(tag)} is not supported",
            f"remove it (only {_ALLOWED_TAGS} are allowed)",
        )

    def fail_depth(self, mark: Mark) -> NoReturn:
        self.fail(
            mark,
            f"nesting is deeper than {self.max_depth} levels (limits.max_depth)",
            "flatten the structure or raise the limit in loomta.yaml",
        )

    def fail_unknown_alias(self, name: str, mark: Mark) -> NoReturn:
        if any(open_collection.anchor == name for open_collection in self.stack):
            self.fail(
                mark,
                f"alias *{name} is inside the node anchored as &{name}, so it would repeat forever",
                "remove the alias",
            )
        self.fail(
            mark,
            f"alias *{name} refers to no anchor defined before it",
            f"define &{name} before using *{name}, or remove the alias",
        )

    def fail(self, mark: Mark, message: str, hint: str) -> NoReturn:
        raise ValidationFailed([Problem(self.display_path, mark.line, mark.column, message, hint)])
