#!/usr/bin/env python3
"""Extracts the request schemas the schema-conformance tests need from OpenAI's published OpenAPI spec.

Usage: extract.py OPENAPI_JSON COMMIT > openai-requests.schema.json

Copies CreateChatCompletionRequest and CreateResponse with every schema they reach through $ref, unchanged, into
{"components": {"schemas": {...}}} so the $ref strings stay valid. The spec's OpenAPI 3.0 leftovers (`nullable`,
`$recursiveRef`) are normalised at load time by OpenAiSchemas.cs, not here, so this file stays a verbatim subset.
"""
import json
import sys

ROOTS = ["CreateChatCompletionRequest", "CreateResponse"]
PREFIX = "#/components/schemas/"


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if not value.startswith(PREFIX):
                    raise SystemExit(f"unexpected $ref {value}")
                yield value[len(PREFIX):]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main():
    path, commit = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    schemas = spec["components"]["schemas"]
    seen, stack = set(), list(ROOTS)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(refs(schemas[name]))
    out = {
        "x-source": {
            "repository": "https://github.com/openai/openai-openapi",
            "commit": commit,
            "file": "openapi.json",
            "openapi": spec["openapi"],
            "info.version": spec["info"]["version"],
            "roots": ROOTS,
            "licence": "MIT, see LICENSE next to this file",
        },
        "components": {"schemas": {name: schemas[name] for name in sorted(seen)}},
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
