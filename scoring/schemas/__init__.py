"""The schemas of every content file, one module per file format: `questionnaire`, `rubric`, `targets`,
`response` (an agency's answers), `mapping` (between questionnaire versions), `terms`; `base` holds what they
share. These pydantic models are the single definition of each format; the README documents them and the
loaders validate against them. Cross-file checks (a rubric naming a question that exists, and so on) live in
`scoring.content`, because a model sees only its own file."""
