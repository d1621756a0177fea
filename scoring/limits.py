"""How much any input file may cost us: the ONE place where the limits on uploads are set.

A hostile or broken file must be refused in seconds with bounded memory, whoever reads it (the CLI,
the Start page import, the coordinator's bulk import). Every reader takes an `InputLimits`; the
defaults below are generous for real files and small next to the machine:

- `max_yaml_bytes` 2 MB: a full response (75 answers, every note at its limit) is under 1 MB;
  typical files are 5-20 KB.
- `max_csv_bytes` 64 MB: a bulk CSV of every agency of the country (3,385 agencies x 75 answers) is
  about 25 MB; a larger file should be split by province.
- `max_zip_bytes` 50 MB and `max_zip_entries` 5,000: one file per agency of the country fits in one
  archive; a 10,000-entry archive is refused before anything is unpacked.
- `max_expansion_ratio` 100: YAML and CSV text compress 5-20 times; a zip bomb compresses
  thousands of times. Checked per entry from the declared sizes and again while unpacking.
- `max_upload_unpacked_bytes` 200 MB: the total unpacked from ALL archives of one upload (five
  40 MB bombs in one upload cannot hold 1 GB in memory).
- `max_yaml_aliases` 100, `max_yaml_depth` 40, `max_yaml_nodes` 50,000: a response has no aliases,
  a depth of 3 and a few hundred values; the questionnaire about 4,000 values at depth 7. These
  stop "billion laughs" alias bombs (in well under a second) and 5,000-deep nesting before they
  cost memory or recursion.
- `max_note_chars` 5,000: an N/A reason or evidence note is a sentence or a list of documents,
  not a document itself (a whole page of text is about 3,000 characters).

Each default can be changed for a deployment with an environment variable `DMM_LIMIT_<NAME>`
(for example `DMM_LIMIT_MAX_CSV_BYTES=134217728`), read by `InputLimits.from_env()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

MB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    max_yaml_bytes: int = 2 * MB
    max_csv_bytes: int = 64 * MB
    max_zip_bytes: int = 50 * MB
    max_zip_entries: int = 5_000
    max_expansion_ratio: int = 100
    max_upload_unpacked_bytes: int = 200 * MB
    max_yaml_aliases: int = 100
    max_yaml_depth: int = 40
    max_yaml_nodes: int = 50_000
    max_note_chars: int = 5_000

    def max_bytes_for(self, name: str) -> int:
        """The size limit of one file, by its kind (a CSV may be larger than a YAML file)."""
        return self.max_csv_bytes if name.lower().endswith(".csv") else self.max_yaml_bytes

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> InputLimits:
        env = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for item in fields(cls):
            text = env.get(f"DMM_LIMIT_{item.name.upper()}", "").strip()
            if text.isdigit() and int(text) > 0:
                changes[item.name] = int(text)
        return replace(cls(), **changes)


def describe_size(size: int) -> str:
    """1536 -> "1.5 KB", 3 * MB -> "3.0 MB": sizes in messages people read."""
    if size < 1024:
        return f"{size} bytes"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"


DEFAULT_LIMITS = InputLimits.from_env()
