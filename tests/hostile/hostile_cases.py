"""Every hostile input case, by class, with the problem lines the CLI must print for it.

A case builds a project in a temporary directory and names the problem lines it expects, in
output order. Each expected line is a location (`path:line:col`, or only the path when the
problem has no position) followed by fragments that must appear in that order.

Classes: YAML abuse, paths and special files, media types, hidden text, input limits and the
config file. The cases taken from fixture files cover every file of those fixtures, and
test_hostile_rejected.py checks that, so a new fixture cannot go untested.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.hostile_builders import (
    HIDDEN_TEXT_FILE,
    HTML_BYTES,
    JPEG_BYTES,
    MEDIA_PATHS_FILE,
    MP4_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ZIP_BYTES,
    Builder,
    calendar_dangling_symlink,
    calendar_directory_outside,
    calendar_fifo,
    calendar_file,
    calendar_hidden_name,
    calendar_non_utf8_name,
    calendar_symlink_outside,
    catalog_file_outside,
    config_fixture,
    device_media,
    fifo_media,
    limit_fixture,
    lower_limits,
    media_file,
    one_fixture_post,
    outside_symlink_to_jpeg,
    post_text,
    socket_media,
    state_directory_outside,
    state_file_outside,
    with_project_setup,
    yaml_fixture,
)
from tests.hostile.hostile_projects import PATHS_PROJECT, TEXT_PROJECT

TAG_HINT = "is not supported; remove it (only !!str, !!int, !!float, !!bool, !!null, !!map"
CONTROL_HINT = "remove it, because readers of the plan cannot see it"
ACCEPTED_TYPES = "image/jpeg, image/webp, video/mp4, video/webm, video/quicktime"


@dataclass(frozen=True)
class HostileCase:
    """One hostile input: how to build it and the problem lines it must produce."""

    name: str
    build: Builder
    expected: tuple[str, ...]
    # Set when the case shows a known bug in code this test area does not own.
    known_bug: str | None = field(default=None, compare=False)


def expect(location: str, *fragments: str) -> str:
    """Return a regex for one problem line: the exact location, then each fragment in order."""
    pattern = re.escape(location) + ": "
    pattern += ".*".join(re.escape(fragment) for fragment in fragments)
    return pattern + ".*"


def shown_escaped(before: str, code_point: int, after: str) -> str:
    """Return a regex for a line that shows a hidden character as `⟨U+XXXX⟩` or `\\uXXXX`.

    Either form is visible in a terminal; the raw character is not.
    """
    marker = f"⟨U+{code_point:04X}⟩"
    escape = repr(chr(code_point))[1:-1]
    either_form = f"({re.escape(marker)}|{re.escape(escape)})"
    return re.escape(before) + either_form + re.escape(after) + ".*"


# YAML abuse --------------------------------------------------------------------------------

# Appended to the fixtures that the loader accepts, so that only the YAML question decides.
COMPLETION = (
    "platforms: [brand]\nmode: draft\nmedia: [media/cover.jpg]\n"
    "settings: {privacy_level: SELF_ONLY}\n"
)


def _yaml_line(name: str, position: str, *fragments: str) -> HostileCase:
    location = f"calendar/{name}.yaml:{position}"
    return HostileCase(f"yaml/{name}", yaml_fixture(name), (expect(location, *fragments),))


YAML_FIXTURE_CASES = [
    _yaml_line(
        "ambiguous_timestamp_key",
        "2:1",
        "key '2026-07-01' would be read as a timestamp by YAML 1.1 tools",
        "quote it",
    ),
    _yaml_line(
        "billion_laughs",
        "5:36",
        "alias *d repeats 11111 nodes",
        "limit of 100000 YAML nodes (limits.max_yaml_nodes)",
    ),
    _yaml_line("binary_tag", "1:8", f"tag !!binary {TAG_HINT}"),
    _yaml_line("comments_only", "1:1", "file contains no YAML document", "add the content"),
    _yaml_line("complex_key", "2:3", "mapping key is a mapping, not a string"),
    _yaml_line(
        "control_character",
        "2:16",
        "control character U+0007 is not allowed in YAML",
        "escape \\x07",
    ),
    _yaml_line("custom_tag", "2:10", f"tag !secret {TAG_HINT}"),
    _yaml_line("duplicate_key", "4:1", "duplicate key 'content', first at line 2, column 1"),
    _yaml_line("empty", "1:1", "file contains no YAML document"),
    _yaml_line("int_key", "2:1", "mapping key 1 is an integer, not a string", "quote it"),
    _yaml_line("leading_zero", "4:21", "number 010 has a leading zero", "octal"),
    _yaml_line("merge_key", "4:3", "merge keys (<<) are not supported"),
    _yaml_line("non_utf8", "2:13", "invalid UTF-8 byte 0xE9", "save the file as UTF-8"),
    _yaml_line("null_key", "2:1", "mapping key is null, not a string"),
    _yaml_line("on_key", "2:1", "key 'on' would be read as a boolean by YAML 1.1 tools"),
    _yaml_line("python_object_apply", "2:10", f"tag !!python/object/apply:os.system {TAG_HINT}"),
    _yaml_line("recursive_alias", "2:26", "alias *loop is inside the node anchored as &loop"),
    _yaml_line("redefined_tag_handle", "3:10", f"tag tag:example.com,2000:str {TAG_HINT}"),
    _yaml_line("sequence_key", "2:1", "mapping key is a sequence, not a string"),
    _yaml_line("str_tag_on_mapping", "1:11", "tag !!str on a mapping; remove the tag"),
    _yaml_line("tab_indentation", "3:1", "tab character in indentation"),
    _yaml_line(
        "two_documents", "3:1", "a second YAML document starts here", "remove the `---` line"
    ),
    _yaml_line("undefined_alias", "2:11", "alias *shared refers to no anchor defined before it"),
    _yaml_line(
        "unterminated_quote",
        "4:1",
        "invalid YAML: found unexpected end of stream while scanning a quoted scalar",
        "line 2, column 10",
    ),
    HostileCase(
        "yaml/content_timestamp",
        yaml_fixture("content_timestamp", COMPLETION),
        (
            expect(
                "calendar/content_timestamp.yaml:2:10",
                "launch: `2026-07-01` would be read as a timestamp by YAML 1.1 tools",
                "quote it",
            ),
        ),
    ),
    HostileCase(
        "yaml/id_no",
        yaml_fixture("id_no", COMPLETION),
        (expect("calendar/id_no.yaml:1:5", "no: `no` would be read as a boolean", "quote it"),),
    ),
]

# Fixtures that the CLI accepts; test_hostile_accepted.py runs them.
ACCEPTED_YAML_FIXTURES = {"bom": COMPLETION}

NESTING_LIMIT = "nesting is deeper than 32 levels (limits.max_depth)"

YAML_GENERATED_CASES = [
    HostileCase(
        "yaml/deep_flow_nesting",
        calendar_file("deep.yaml", "a: " + "[" * 500 + "]" * 500 + "\n"),
        (expect("calendar/deep.yaml:1:35", NESTING_LIMIT),),
    ),
    HostileCase(
        # libyaml stops at its own depth of 1000 while scanning ahead, at column 1003; the
        # pure-Python parser stops at the configured depth.
        "yaml/very_deep_flow_nesting",
        calendar_file("deeper.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
        (r"calendar/deeper\.yaml:1:(1003|35): " + re.escape(NESTING_LIMIT) + ".*",),
    ),
    HostileCase(
        "yaml/deep_block_nesting",
        calendar_file(
            "block.yaml", "\n".join(" " * level + f"k{level}:" for level in range(40)) + " x\n"
        ),
        (expect("calendar/block.yaml:33:33", NESTING_LIMIT),),
    ),
    HostileCase(
        "yaml/huge_file",
        calendar_file("huge.yaml", "content: " + "x" * 2_000_000 + "\n"),
        (
            expect(
                "calendar/huge.yaml",
                "file is 2000010 bytes, more than the limit of 1048576 (limits.max_file_bytes)",
            ),
        ),
    ),
    HostileCase(
        "yaml/huge_scalar",
        calendar_file("scalar.yaml", "id: launch\ncontent: " + "x" * 70_000 + "\n"),
        (
            expect(
                "calendar/scalar.yaml:2:10",
                "scalar of 70000 characters is longer than the limit of 65536 "
                "(limits.max_scalar_chars)",
            ),
        ),
    ),
    HostileCase(
        "yaml/huge_key",
        calendar_file("key.yaml", "k" * 70_000 + ": x\n"),
        (expect("calendar/key.yaml:1:1", "scalar of 70000 characters"),),
    ),
    HostileCase(
        "yaml/too_many_nodes",
        calendar_file("nodes.yaml", "[" + ",".join(["1"] * 100_001) + "]\n"),
        (expect("calendar/nodes.yaml:1:200000", "document has more than 100000 YAML nodes"),),
    ),
    HostileCase(
        "yaml/raw_nul_byte",
        calendar_file("nul.yaml", b"id: launch\ncontent: a\x00b\n"),
        (expect("calendar/nul.yaml:2:11", "control character U+0000 is not allowed in YAML"),),
    ),
    HostileCase(
        "yaml/utf16_with_bom",
        calendar_file("utf16.yaml", "\ufeffid: launch\ncontent: hi\n".encode("utf-16-le")),
        (expect("calendar/utf16.yaml:1:1", "invalid UTF-8 byte 0xFF"),),
    ),
    HostileCase(
        "yaml/python_name_tag",
        calendar_file("name.yaml", "id: launch\ncontent: !!python/name:os.system\n"),
        (expect("calendar/name.yaml:2:10", f"tag !!python/name:os.system {TAG_HINT}"),),
    ),
    HostileCase(
        "yaml/python_object_new_tag",
        calendar_file(
            "new.yaml", 'id: launch\ncontent: !!python/object/new:subprocess.Popen [["id"]]\n'
        ),
        (expect("calendar/new.yaml:2:10", "tag !!python/object/new:subprocess.Popen"),),
    ),
    HostileCase(
        "yaml/set_tag",
        calendar_file("set.yaml", "id: launch\nsettings: !!set {a, b}\n"),
        (expect("calendar/set.yaml:2:11", f"tag !!set {TAG_HINT}"),),
    ),
    HostileCase(
        "yaml/mode_on",
        calendar_file("mode.yaml", post_text().replace("mode: draft", "mode: on")),
        (expect("calendar/mode.yaml:2:7", "mode: `on` would be read as a boolean"),),
    ),
]

# Paths and special files --------------------------------------------------------------------


def _media_path_case(
    post_id: str, *fragments: str, setup: Callable[[Path, Path], None] | None = None
) -> HostileCase:
    # Lines and columns are those of the whole fixture file, which keep_one_post preserves.
    line = {
        "parent-directory": 8,
        "parent-inside": 14,
        "absolute": 20,
        "home": 26,
        "drive": 32,
        "backslash": 38,
        "fullwidth-solidus": 44,
        "division-slash": 50,
        "dot-leader": 56,
        "decomposed": 62,
        "bidi-name": 68,
        "zero-width": 74,
        "empty": 80,
        "symlink-outside": 86,
        "fifo": 92,
    }[post_id]
    setups = (setup,) if setup is not None else ()
    location = f"{MEDIA_PATHS_FILE}:{line}:11"
    return HostileCase(
        f"paths/{post_id}",
        one_fixture_post(PATHS_PROJECT, MEDIA_PATHS_FILE, post_id, *setups),
        (expect(location, f"{post_id}: media path", *fragments),),
    )


KEEP_INSIDE = "keep media inside the project directory"
RELATIVE = "write it relative to the project root"
PLAIN_NAME = "rename the file using letters, digits, '-', '_', '.' and '/'"

PATH_FIXTURE_CASES = [
    _media_path_case("parent-directory", "'../outside.jpg' contains '..'", KEEP_INSIDE),
    _media_path_case("parent-inside", "'media/../../outside.jpg' contains '..'", KEEP_INSIDE),
    _media_path_case("absolute", "'/etc/hostname' is absolute", RELATIVE),
    _media_path_case("home", "'~/photo.jpg' starts with '~'", RELATIVE),
    _media_path_case("drive", "'C:/media/cover.jpg' is absolute", RELATIVE),
    _media_path_case("backslash", "contains '\\'", "separate folders with '/'"),
    _media_path_case(
        "fullwidth-solidus", "compatibility characters", "reads as 'media/cover.jpg' after NFKC"
    ),
    _media_path_case("division-slash", "U+2215 (DIVISION SLASH) at position 6", PLAIN_NAME),
    _media_path_case("dot-leader", "reads as 'media/../cover.jpg' after NFKC"),
    _media_path_case("decomposed", "is not in Unicode normalization form NFC"),
    _media_path_case("bidi-name", "U+202E (RIGHT-TO-LEFT OVERRIDE) at position 7", PLAIN_NAME),
    _media_path_case("zero-width", "U+200B (ZERO WIDTH SPACE) at position 9", PLAIN_NAME),
    _media_path_case("empty", "is empty", "write a path relative to the project root"),
    _media_path_case(
        "symlink-outside",
        "'media/escape.jpg' resolves outside the project through a symlink",
        "copy the file into the project",
        setup=outside_symlink_to_jpeg,
    ),
    _media_path_case("fifo", "'media/pipe.mp4' is a FIFO (named pipe)", setup=fifo_media),
]

# Posts of the paths fixture that are valid; test_hostile_accepted.py runs them.
ACCEPTED_PATH_POSTS = ("composed-accent",)

POINT_AT_FILE = "point it at an image or video file"

PATH_GENERATED_CASES = [
    HostileCase(
        "paths/media_directory",
        calendar_file("post.yaml", post_text(media="media")),
        (
            expect(
                "calendar/post.yaml:4:9", "post: media path 'media' is a directory", POINT_AT_FILE
            ),
        ),
    ),
    HostileCase(
        "paths/media_socket",
        calendar_file("post.yaml", post_text(media="media/live.jpg"), socket_media),
        (expect("calendar/post.yaml:4:9", "post: media path 'media/live.jpg' is a socket"),),
    ),
    HostileCase(
        "paths/media_device_through_symlink",
        calendar_file("post.yaml", post_text(media="media/zero.jpg"), device_media),
        (
            expect(
                "calendar/post.yaml:4:9",
                "post: media path 'media/zero.jpg' resolves outside the project through a symlink",
            ),
        ),
    ),
    HostileCase(
        "paths/calendar_symlink_outside",
        with_project_setup(calendar_symlink_outside),
        (
            expect(
                "calendar/linked.yaml",
                "calendar file is a symlink that resolves outside the project",
            ),
        ),
    ),
    HostileCase(
        "paths/calendar_fifo",
        with_project_setup(calendar_fifo),
        (expect("calendar/pipe.yaml", "calendar file is a FIFO (named pipe)"),),
    ),
    HostileCase(
        "paths/calendar_dangling_symlink",
        with_project_setup(calendar_dangling_symlink),
        (expect("calendar/dangling.yaml", "calendar file is a broken symlink"),),
    ),
    HostileCase(
        "paths/calendar_name_not_utf8",
        with_project_setup(calendar_non_utf8_name),
        (expect("calendar/caf\\xe9.yaml", "file name is not valid UTF-8"),),
    ),
    HostileCase(
        "paths/calendar_name_bidi",
        with_project_setup(calendar_hidden_name),
        (
            expect(
                "calendar/invoice⟨U+202E⟩gpj.yaml",
                "file name contains control or invisible characters",
            ),
        ),
    ),
    HostileCase(
        "paths/state_directory_symlink_outside",
        with_project_setup(state_directory_outside),
        (
            expect(
                "loomta.yaml:1:1",
                "paths.state '.loomta/state.json' resolves to",
                "through a symbolic link, outside the project",
            ),
            expect(
                "loomta.yaml:1:1",
                "paths.catalog '.loomta/platforms.json' resolves to",
                "outside the project",
            ),
        ),
    ),
    HostileCase(
        "paths/state_file_symlink_outside",
        with_project_setup(state_file_outside),
        (
            expect(
                "loomta.yaml:1:1",
                "paths.state '.loomta/state.json' resolves to",
                "through a symbolic link, outside the project",
            ),
        ),
    ),
    HostileCase(
        "paths/catalog_file_symlink_outside",
        with_project_setup(catalog_file_outside),
        (
            expect(
                "loomta.yaml:1:1",
                "paths.catalog '.loomta/platforms.json' resolves to",
                "through a symbolic link, outside the project",
            ),
        ),
    ),
    HostileCase(
        "paths/calendar_directory_symlink_outside",
        with_project_setup(calendar_directory_outside),
        (
            expect(
                "loomta.yaml:6:13",
                "paths.calendar 'posts' resolves to",
                "through a symbolic link, outside the project",
            ),
        ),
    ),
]

# Media types: detected from the bytes, never from the name ---------------------------------


def _media_type_case(name: str, file_name: str, data: bytes, *fragments: str) -> HostileCase:
    return HostileCase(
        f"media_type/{name}",
        calendar_file(
            "post.yaml", post_text(media=f"media/{file_name}"), media_file(file_name, data)
        ),
        (expect("calendar/post.yaml:4:9", f"post: media file 'media/{file_name}'", *fragments),),
    )


MEDIA_TYPE_CASES = [
    _media_type_case(
        "text_named_jpg", "notes.jpg", b"hello\n", "is not a recognised image or video"
    ),
    _media_type_case(
        "html_named_webp", "page.webp", HTML_BYTES, "is not a recognised image or video"
    ),
    _media_type_case(
        "png_named_jpg", "logo.jpg", PNG_BYTES, "is image/png, which Loomta does not accept"
    ),
    _media_type_case("pdf_named_jpg", "doc.jpg", PDF_BYTES, "is application/pdf", ACCEPTED_TYPES),
    _media_type_case("zip_named_mp4", "archive.mp4", ZIP_BYTES, "is application/zip"),
    _media_type_case(
        "jpeg_named_mp4",
        "clip.mp4",
        JPEG_BYTES,
        "has the extension of video/mp4 but contains image/jpeg",
        "rename it to 'media/clip.jpg'",
    ),
    _media_type_case(
        "mp4_named_txt",
        "clip.txt",
        MP4_BYTES,
        "contains video/mp4 but has extension '.txt'",
        "rename it to 'media/clip.mp4'",
    ),
    _media_type_case("empty_file", "empty.jpg", b"", "is empty"),
]

# Hidden text --------------------------------------------------------------------------------


def _hidden_text_case(post_id: str, *lines: tuple[str, str]) -> HostileCase:
    """Build a case from (line:col, message fragment) pairs, given in output order."""
    expected = tuple(
        expect(f"{HIDDEN_TEXT_FILE}:{position}", f"{post_id}: ", fragment, CONTROL_HINT)
        for position, fragment in lines
    )
    return HostileCase(
        f"text/{post_id}",
        one_fixture_post(TEXT_PROJECT, HIDDEN_TEXT_FILE, post_id),
        expected,
    )


TEXT_FIXTURE_CASES = [
    _hidden_text_case(
        "bidi-override",
        ("7:12", "U+202E (RIGHT-TO-LEFT OVERRIDE) at text line 1, column 8"),
        ("7:12", "U+202C (POP DIRECTIONAL FORMATTING) at text line 1, column 20"),
    ),
    _hidden_text_case(
        "isolate",
        ("14:12", "U+2067 (RIGHT-TO-LEFT ISOLATE) at text line 1, column 8"),
        ("14:12", "U+2069 (POP DIRECTIONAL ISOLATE) at text line 1, column 12"),
    ),
    _hidden_text_case(
        "zero-width-space", ("21:12", "U+200B (ZERO WIDTH SPACE) at text line 1, column 5")
    ),
    _hidden_text_case("bell", ("28:12", "control character U+0007 at text line 2, column 9")),
    _hidden_text_case(
        "joiner-in-words",
        ("35:12", "U+200D (ZERO WIDTH JOINER) outside an emoji sequence or joining script"),
        ("35:12", "U+200C (ZERO WIDTH NON-JOINER) outside an emoji sequence"),
    ),
    _hidden_text_case(
        "byte-order-mark",
        ("42:12", "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at text line 1, column 6"),
        ("42:12", "U+2060 (WORD JOINER) at text line 1, column 13"),
    ),
    _hidden_text_case(
        "in-comment-and-override",
        ("51:16", "comments[0].content contains control character U+001B"),
        ("54:16", "overrides.brand.content contains bidirectional control U+202A"),
    ),
]

# Posts of the hidden-text fixture that are valid; test_hostile_accepted.py runs them.
ACCEPTED_TEXT_POSTS = ("legitimate-joiners",)


def _content_case(name: str, content: str, fragment: str) -> HostileCase:
    return HostileCase(
        f"text/{name}",
        calendar_file("post.yaml", post_text(content=content)),
        (expect("calendar/post.yaml:3:10", "post: content contains ", fragment, CONTROL_HINT),),
    )


TEXT_GENERATED_CASES = [
    _content_case("nul_escape", '"a\\0b"', "control character U+0000 at text line 1, column 2"),
    _content_case("delete", '"a\\x7Fb"', "control character U+007F"),
    _content_case("next_line_c1", '"a\\x85b"', "control character U+0085"),
    _content_case("carriage_return", '"a\\rb"', "control character U+000D"),
    _content_case("terminal_escape", '"a\\e[2Jb"', "control character U+001B"),
    HostileCase(
        "text/post_id_bidi",
        calendar_file("post.yaml", 'id: "la\\u202Eunch"\n' + post_text()),
        (expect("calendar/post.yaml:1:5", "post id 'la\\u202eunch' is invalid"),),
    ),
    HostileCase(
        "text/unknown_key_bidi",
        calendar_file("post.yaml", post_text(extra='"con\\u202Etent": x\n')),
        (shown_escaped("calendar/post.yaml:6:1: post: unknown key 'con", 0x202E, "tent'"),),
    ),
    HostileCase(
        "text/unknown_key_carriage_return",
        calendar_file("post.yaml", post_text(extra='"mo\\rde": x\n')),
        (shown_escaped("calendar/post.yaml:6:1: post: unknown key 'mo", 0x0D, "de'"),),
    ),
    HostileCase(
        "text/unknown_setting_bidi",
        calendar_file(
            "post.yaml", post_text(settings='privacy_level: SELF_ONLY, "x\\u202Ey": true')
        ),
        (shown_escaped("calendar/post.yaml:5:38: post: unknown setting 'x", 0x202E, "y'"),),
    ),
    HostileCase(
        "text/unknown_platform_bidi",
        calendar_file("post.yaml", post_text().replace("[brand]", '["br\\u202Eand"]')),
        (shown_escaped("calendar/post.yaml:1:13: post: unknown platform 'br", 0x202E, "and'"),),
    ),
    HostileCase(
        "text/time_zone_bidi",
        calendar_file("post.yaml", post_text(extra='timezone: "Europe/Ber\\u202Elin"\n')),
        (
            shown_escaped(
                "calendar/post.yaml:6:11: post: unknown time zone 'Europe/Ber", 0x202E, "lin'"
            ),
        ),
    ),
    HostileCase(
        "text/scheduled_for_bidi",
        calendar_file(
            "post.yaml",
            post_text(extra='scheduledFor: "2030-01-01T09:00\\u202E"\n').replace(
                "mode: draft", "mode: schedule"
            ),
        ),
        (
            shown_escaped(
                "calendar/post.yaml:6:15: post: invalid time '2030-01-01T09:00", 0x202E, "'"
            ),
        ),
    ),
    HostileCase(
        "text/setting_value_bidi",
        calendar_file("post.yaml", post_text(settings='privacy_level: "SELF\\u202E_ONLY"')),
        (expect("calendar/post.yaml:5:27", "post: setting 'privacy_level' is 'SELF\\u202e_ONLY'"),),
    ),
]

# Input limits -------------------------------------------------------------------------------

LIMIT_FIXTURE_CASES = [
    HostileCase(
        "limits/too_many_posts",
        limit_fixture("too_many_posts"),
        (expect("calendar", "the calendar has 4 posts, more than limits.max_posts (3)"),),
    ),
    HostileCase(
        "limits/too_many_files",
        limit_fixture("too_many_files"),
        (expect("calendar", "the calendar has 3 post files, more than limits.max_posts (2)"),),
    ),
    HostileCase(
        "limits/file_bytes",
        limit_fixture("file_bytes"),
        (
            expect(
                "calendar/big.yaml",
                "file is 414 bytes, more than the limit of 300 (limits.max_file_bytes)",
            ),
            expect("calendar/small.yaml:1:13", "small: unknown platform 'brnad'"),
        ),
    ),
]

# Three distinct files of 41, 60 and 60 bytes; the copy of cover.jpg counts once.
_SECOND_JPEG = JPEG_BYTES + b"\x00" * 19
_THIRD_JPEG = JPEG_BYTES + b"\x01" * 19

LIMIT_GENERATED_CASES = [
    HostileCase(
        "limits/media_bytes_per_post",
        calendar_file(
            "post.yaml",
            post_text(media="media/cover.jpg, media/second.jpg, media/third.jpg, media/cover.jpg"),
            media_file("second.jpg", _SECOND_JPEG),
            media_file("third.jpg", _THIRD_JPEG),
            lower_limits(max_media_bytes_per_post=150),
        ),
        (
            expect(
                "calendar/post.yaml:4:8",
                "post: media files of this post add up to 161 bytes, more than "
                "limits.max_media_bytes_per_post (150)",
            ),
        ),
    ),
    HostileCase(
        "limits/content_length_utf16",
        calendar_file("post.yaml", post_text(content="\U0001f389" * 1101)),
        (
            expect(
                "calendar/post.yaml:3:10",
                "post: content is 2202 UTF-16 code units long",
                "allows at most 2200",
                "shorten it by 2 UTF-16 code units",
            ),
        ),
    ),
    HostileCase(
        "limits/lowered_scalar_limit",
        calendar_file(
            "post.yaml", post_text(content="x" * 101), lower_limits(max_scalar_chars=100)
        ),
        (expect("calendar/post.yaml:3:10", "scalar of 101 characters", "limit of 100"),),
    ),
]

# The config file ----------------------------------------------------------------------------

PATH_HINT = "use a path inside the project, relative to its root"


def _config_case(name: str, *lines: tuple[str, tuple[str, ...]]) -> HostileCase:
    expected = tuple(expect(f"loomta.yaml:{position}", *parts) for position, parts in lines)
    return HostileCase(f"config/{name}", config_fixture(name), expected)


CONFIG_FIXTURE_CASES = [
    _config_case(
        "alias_is_uuid", ("3:3", ("platform alias '6f1b2c3d-", "is itself a platform id"))
    ),
    _config_case("ambiguous_value", ("1:11", ("timezone 'no' would be read as a boolean",))),
    _config_case("bad_platform_id", ("4:8", ("platform alias 'dev' maps to 'loomta-developers'",))),
    _config_case("bad_timezone", ("1:11", ("unknown time zone 'Europe/Berlim'",))),
    _config_case("invalid_yaml", ("4:1", ("invalid YAML",))),
    _config_case("localtime_zone", ("1:11", ("timezone 'localtime' depends on the machine",))),
    _config_case("not_a_mapping", ("1:1", ("loomta.yaml must be a mapping of settings",))),
    _config_case(
        "path_absolute",
        ("3:10", ("paths.state '/var/lib/loomta/state.json' is an absolute path", PATH_HINT)),
    ),
    _config_case(
        "path_home", ("3:12", ("paths.catalog '~/loomta/platforms.json' contains '~'", PATH_HINT))
    ),
    _config_case(
        "path_parent", ("3:13", ("paths.calendar '../shared-calendar' contains '..'", PATH_HINT))
    ),
    _config_case("path_root", ("3:13", ("paths.calendar '.' names the project root itself",))),
    _config_case(
        "plain_http_api",
        ("2:10", ("api_url 'http://api.loomta.com/public/v1' is not an https URL",)),
    ),
    _config_case(
        "same_state_and_catalog", ("4:12", ("paths.state and paths.catalog are the same file",))
    ),
    _config_case(
        "unknown_key",
        ("1:1", ("unknown key 'timezon'",)),
        ("3:3", ("unknown key 'calender' in paths",)),
    ),
    _config_case(
        "wrong_types",
        ("2:19", ("min_lead_minutes must be an integer",)),
        ("3:12", ("platforms must be a mapping",)),
        ("5:26", ("safety.max_creates_per_apply must be an integer",)),
        ("6:14", ("safety.allow_now must be true or false",)),
        ("8:14", ("limits.max_depth is the integer 0",)),
    ),
]

ALL_CASES = [
    *YAML_FIXTURE_CASES,
    *YAML_GENERATED_CASES,
    *PATH_FIXTURE_CASES,
    *PATH_GENERATED_CASES,
    *MEDIA_TYPE_CASES,
    *TEXT_FIXTURE_CASES,
    *TEXT_GENERATED_CASES,
    *LIMIT_FIXTURE_CASES,
    *LIMIT_GENERATED_CASES,
    *CONFIG_FIXTURE_CASES,
]
