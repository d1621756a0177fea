"""`python -m scoring`: validate content, print a blank response, score responses, summarise.

Exit codes: 0 success, 1 invalid input (one line per problem, naming the file), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import orjson
import pandas as pd

from scoring import registry
from scoring.content import (
    DEFAULT_QUESTIONNAIRE,
    DEFAULT_RUBRIC,
    DEFAULT_TARGETS,
    Bundle,
    load_bundle,
    load_questionnaire,
    load_rubric,
    load_targets,
    shipped_content_files,
)
from scoring.engine import ScoreResult, score
from scoring.errors import ContentError, Problem
from scoring.responses import expand_paths, load_paths
from scoring.schemas.questionnaire import Questionnaire
from scoring.spreadsheet_safety import safe_frame
from scoring.yamlio import read_limited, read_yaml_file

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors: keep that, say it plainly
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scoring", description=__doc__)
    _content_options(parser, defaults=True)
    # The same options are accepted after the sub-command (`score x --rubric lenient`): there they
    # default to "not given", so they never undo one given before the sub-command.
    common = _Parser(add_help=False)
    _content_options(common, defaults=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = sub.add_parser("validate", parents=[common], help="check content or response files")
    validate.add_argument("paths", nargs="*", help="files or folders (default: the shipped content)")

    template = sub.add_parser("template", parents=[common], help="print a blank response YAML")
    template.add_argument("--agency-type", default="ministry", choices=["ministry", "province", "commune"])

    for name, help_text in (
        ("score", "score response files, folders or bulk CSVs"),
        ("summary", "population shares against the targets"),
    ):
        command = sub.add_parser(name, parents=[common], help=help_text)
        command.add_argument("paths", nargs="+")
        command.add_argument("--format", choices=["table", "json", "csv"], default="table")
        command.add_argument("--output", "-o", help="write to this file instead of standard output")

    generate = sub.add_parser("generate", parents=[common], help="write a synthetic national dataset as a bulk CSV")
    generate.add_argument("output", help="CSV file to write")
    generate.add_argument("--agencies", type=int, default=None, help="total agencies (default: the national 3,385)")
    generate.add_argument("--rounds", type=int, default=3)
    generate.add_argument("--seed", type=int, default=2629)

    migrate = sub.add_parser("migrate", parents=[common], help="carry a response file to another questionnaire version")
    migrate.add_argument("response", help="response YAML answered on an older version")
    migrate.add_argument("--to", required=True, help="target version, for example 2.0.0")
    migrate.add_argument("--output", "-o", help="write the migrated response here instead of standard output")
    return parser


def _content_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    def default(value: str) -> str:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--questionnaire", default=default(str(DEFAULT_QUESTIONNAIRE)), help="questionnaire YAML")
    parser.add_argument("--rubric", default=default(DEFAULT_RUBRIC), help="rubric id (standard, lenient) or YAML path")
    parser.add_argument("--targets", default=default(str(DEFAULT_TARGETS)), help="targets YAML")
    parser.add_argument(
        "--questionnaire-version",
        default=None if defaults else argparse.SUPPRESS,
        help="questionnaire version for inputs that do not say which (a bulk CSV); default 1.0.0. "
        "A response YAML is always checked and scored on the version it declares",
    )


def _print_problems(problems: Sequence[Problem | str]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _content_kind(path: Path) -> str:
    """Guess what a YAML file is from its top-level keys, so `validate` takes any of them."""
    data = read_yaml_file(path).data
    if isinstance(data, dict):
        if "dimensions" in data:
            return "questionnaire"
        if "gate_rules" in data or "option_points" in data:
            return "rubric"
        if "years" in data:
            return "targets"
    return "response"


def _main_bundle(args: argparse.Namespace) -> Bundle:
    if args.questionnaire_version and args.questionnaire == str(DEFAULT_QUESTIONNAIRE):
        targets = None if args.targets == str(DEFAULT_TARGETS) else args.targets
        return load_bundle(registry.DEFAULT_QUESTIONNAIRE_ID, args.questionnaire_version, targets, rubric=args.rubric)
    return load_bundle(args.questionnaire, args.rubric, args.targets)


def command_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or shipped_content_files()
    problems: list[Problem] = []
    bundle: Bundle | None = None
    try:
        bundle = _main_bundle(args)
    except ContentError as exc:
        if not args.paths:
            _print_problems(exc.problems)
            return EXIT_INVALID
    if not args.paths:
        from scoring.validation import validate_shipped

        report = validate_shipped()
        for note in report.notes:
            print(f"note: {note}")
        _print_problems(report.problems)
        if not report.problems:
            print(f"ok: {report.files} content files valid ({'; '.join(report.summaries)})")
        return EXIT_INVALID if report.problems else EXIT_OK
    checked = 0
    responses = []
    for path in expand_paths(paths):
        try:
            kind = _content_kind(path) if path.suffix.lower() in (".yaml", ".yml") else "response"
            if kind == "questionnaire":
                load_questionnaire(path)
            elif kind == "rubric":
                load_rubric(path)
            elif kind == "targets":
                load_targets(path)
            else:
                responses.append(path)
                continue
            checked += 1
        except ContentError as exc:
            problems += exc.problems
    if responses:
        if bundle is None:
            print("cannot check responses: the questionnaire, rubric or targets are invalid", file=sys.stderr)
            return EXIT_INVALID
        for version_bundle, group in _by_version(args, bundle, responses):  # each file against its own version
            loaded = load_paths(group, version_bundle)
            problems += loaded.problems
            checked += loaded.files_read
    _print_problems(problems)
    errors = [p for p in problems if not p.warning]
    if not errors:
        print(f"ok: {checked} file(s) valid")
    return EXIT_INVALID if errors else EXIT_OK


def command_template(args: argparse.Namespace, questionnaire: Questionnaire) -> int:
    print(template_text(questionnaire, args.agency_type))
    return EXIT_OK


def template_text(questionnaire: Questionnaire, agency_type: str = "ministry") -> str:
    """A blank response listing every question asked of `agency_type`, with the question as a comment.
    Filled in as printed (a value after each colon, the agency's id and name), it validates: notes
    are a commented-out example, not an empty `notes:` (which reads as null)."""
    commune = agency_type == "commune"
    lines = [
        f"questionnaire: {questionnaire.id}",
        f'version: "{questionnaire.version}"',
        "agency:",
        "  id: ''    # letters a-z, digits, '_', '.' or '-', e.g. xa_dak_ha",
        "  name: ''",
        f"  type: {agency_type}",
        "  province: ''  # the province's id, e.g. tinh_quang_ngai" if commune else "  # province: (communes only)",
        'round: "2026"',
        "answers:  # 1-5 (the level whose statement fits), na (needs a reason below), dont_know; numbers for %",
    ]
    for dimension in questionnaire.dimensions:
        asked = [q for q in dimension.questions if q.applies(agency_type)]
        if not asked:
            continue
        lines.append(f"  # --- {dimension.id}: {dimension.name.en} / {dimension.name.vi}")
        for question in asked:
            hint = "percent 0-100" if question.kind == "numeric" else "1-5"
            if commune and question.providable:
                hint += " or provided"
            lines.append(f"  {question.id}:   # {hint}: {question.text.en}")
    lines += [
        "# notes:  # optional: remove the '#' of these lines and write one line per question id",
        "#   <question id>: {na_reason: '...', evidence: '...'}",
    ]
    return "\n".join(lines)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _by_version(
    args: argparse.Namespace, bundle: Bundle, paths: Sequence[str | Path] | None = None
) -> list[tuple[Bundle, list[str]]]:
    """The inputs grouped by the questionnaire version each response file declares, each with its bundle: a
    round answered on 1.0.0 is scored on 1.0.0. A bulk CSV (no version column) and an explicit --questionnaire
    use `bundle`."""
    paths = list(args.paths if paths is None else paths)
    if args.questionnaire != str(DEFAULT_QUESTIONNAIRE):
        return [(bundle, [str(p) for p in paths])]
    groups: dict[str, list[str]] = {}
    for path in expand_paths(paths):
        version = None
        if path.suffix.lower() in (".yaml", ".yml"):
            with contextlib.suppress(OSError):  # load_paths reports the unreadable file
                version = registry.declared_version(read_limited(path))
        groups.setdefault(version or bundle.questionnaire.version, []).append(str(path))
    out = []
    for version in sorted(groups, key=registry.version_key):
        if version == bundle.questionnaire.version:
            out.append((bundle, groups[version]))
        else:
            out.append((load_bundle(bundle.questionnaire.id, version, rubric=args.rubric), groups[version]))
    return out


def _load_and_score(args: argparse.Namespace, bundle: Bundle) -> tuple[list[ScoreResult], bool]:
    """Score what loads, each version with its own bundle; report the rest. Returns the results (empty if
    nothing loaded) and whether all loaded."""
    results, clean = [], True
    for version_bundle, paths in _by_version(args, bundle):
        loaded = load_paths(paths, version_bundle)
        _print_problems(loaded.problems)
        clean &= not any(not p.warning for p in loaded.problems)
        if not loaded.frame.empty:
            results.append(score(loaded.frame, version_bundle))
    if not results:
        print("nothing to score: no valid response was found", file=sys.stderr)
    return results, clean and bool(results)


def command_score(args: argparse.Namespace, bundle: Bundle) -> int:
    from scoring.results import summary_records

    results, clean = _load_and_score(args, bundle)
    if not results:
        return EXIT_INVALID
    if args.format == "json":
        rows = [row for result in results for row in summary_records(result)]
        # orjson: the same text as json.dumps(indent=2, ensure_ascii=False), 20x faster at national size.
        _emit(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode("utf-8"), args.output)
    else:
        tables = [
            _flat_table(result.agencies, result.dimension_levels().reset_index(drop=True)) for result in results
        ]
        if len(results) > 1:  # versions side by side: say which one each row was scored on
            for table, result in zip(tables, results, strict=True):
                table.insert(4, "version", result.bundle.questionnaire.version)
        table = pd.concat(tables, ignore_index=True)
        _emit(safe_frame(table).to_csv(index=False) if args.format == "csv" else table.to_string(index=False),
              args.output)
    return EXIT_OK if clean else EXIT_INVALID


def _flat_table(agencies: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    keep = ["agency_id", "agency_name", "agency_type", "round", "overall_score", "overall_level"]
    keep += [c for c in agencies.columns if c.startswith("light_")]
    table = agencies[[c for c in keep if c in agencies]].copy()
    table["overall_score"] = table["overall_score"].round(2)
    table["overall_level"] = table["overall_level"].astype("Int64")
    for column in levels.columns:
        table[column] = levels[column].astype("Int64").to_numpy()
    for column in [c for c in agencies.columns if c.startswith("indicators_met_")]:
        year = column.removeprefix("indicators_met_")  # N/A indicators are left out of both counts
        table[f"indicators_{year}"] = (agencies[column].astype(str) + "/"
                                       + agencies[f"indicators_total_{year}"].astype(str)).to_numpy()
    return table


def command_summary(args: argparse.Namespace, bundle: Bundle) -> int:
    from scoring.population import population_summary

    results, clean = _load_and_score(args, bundle)
    if not results:
        return EXIT_INVALID
    summaries = [population_summary(result) for result in results]
    if len(results) > 1:  # shares are per version: levels of different versions are not pooled
        for summary, result in zip(summaries, results, strict=True):
            summary.insert(0, "version", result.bundle.questionnaire.version)
    summary = pd.concat(summaries, ignore_index=True)
    if args.format == "json":
        _emit(summary.to_json(orient="records", force_ascii=False, indent=2), args.output)
    elif args.format == "csv":
        _emit(safe_frame(summary).to_csv(index=False), args.output)
    else:
        shown = summary[summary["group_by"].isin(["all", "agency_type"])].copy()
        shown["share"] = (shown["share"] * 100).round(1).astype(str) + " %"
        shown["target_share"] = (shown["target_share"] * 100).round(0).astype(int).astype(str) + " %"
        _emit(shown.drop(columns=["share_gap"]).to_string(index=False), args.output)
    return EXIT_OK if clean else EXIT_INVALID


def command_generate(args: argparse.Namespace, bundle: Bundle) -> int:
    from scoring.synthetic import national_population, synthetic_answers

    agencies = national_population(total=args.agencies, seed=args.seed)
    frame = synthetic_answers(agencies, bundle, rounds=args.rounds, seed=args.seed)
    frame.to_csv(args.output, index=False)
    print(f"wrote {len(agencies)} agencies x {args.rounds} rounds, {len(frame)} answers to {args.output}")
    return EXIT_OK


def command_migrate(args: argparse.Namespace) -> int:
    """Write the response carried to --to (standard output or --output); report what could not be carried."""
    from scoring.migrate import migrated_response
    from scoring.response_frame import response_to_yaml
    from scoring.responses import parse_response

    path = Path(args.response)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        print(f"{path}: cannot read file: {exc.strerror}", file=sys.stderr)
        return EXIT_INVALID
    declared = registry.declared(raw)
    try:
        source_bundle = load_bundle(*declared) if declared else load_bundle()
        response = parse_response(raw, str(path), source_bundle)
        target = load_bundle(response.questionnaire, args.to)
        if response.version == target.questionnaire.version:
            print(f"{path}: already on version {args.to}; nothing to migrate", file=sys.stderr)
            return EXIT_USAGE
        migrated, report = migrated_response(response, target)
        text = response_to_yaml(migrated)
        parse_response(text.encode("utf-8"), f"{path} (migrated)", target)  # never write an invalid file
    except ContentError as exc:
        _print_problems(exc.problems)
        return EXIT_INVALID
    _emit(text, args.output)
    print(f"{path}: {response.version} -> {args.to}", file=sys.stderr)
    for line in report.lines():
        print(f"  {line}", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return command_validate(args)
    if args.command == "migrate":
        return command_migrate(args)
    try:
        bundle = _main_bundle(args)
    except ContentError as exc:
        _print_problems(exc.problems)
        return EXIT_INVALID
    if args.command == "template":
        return command_template(args, bundle.questionnaire)
    if args.command == "score":
        return command_score(args, bundle)
    if args.command == "summary":
        return command_summary(args, bundle)
    return command_generate(args, bundle)
