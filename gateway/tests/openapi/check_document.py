"""Validates an OpenAPI document against the OpenAPI 3.1 schema, then validates recorded
responses against the schemas the document gives for them.

Usage: check_document.py DOCUMENT.json RESPONSES.json

RESPONSES.json is a list of {"method", "path", "status", "content_type", "body"} where "path" is
the path template of the operation. Exits non-zero and names every failure.
"""

import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:kensho:openapi"


def pointer_escape(segment):
    return segment.replace("~", "~0").replace("/", "~1")


def response_object(document, method, path, status):
    operation = document["paths"][path][method]
    response = operation["responses"][str(status)]
    pointer = "/paths/%s/%s/responses/%s" % (pointer_escape(path), method, status)
    if "$ref" in response:
        pointer = response["$ref"].lstrip("#")
        name = pointer.rsplit("/", 1)[-1]
        response = document["components"]["responses"][name]
    return pointer, response


def main():
    with open(sys.argv[1]) as handle:
        document = json.load(handle)
    with open(sys.argv[2]) as handle:
        responses = json.load(handle)
    validate(document)
    print("the document is a valid OpenAPI 3.1 document")
    registry = Registry().with_resource(
        DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    failures = []
    for case in responses:
        label = "%s %s -> %s" % (case["method"].upper(), case["path"], case["status"])
        try:
            pointer, response = response_object(
                document, case["method"], case["path"], case["status"]
            )
        except KeyError:
            failures.append("%s: the document describes no such response" % label)
            continue
        content = response.get("content", {})
        if case["content_type"] not in content:
            failures.append(
                "%s: no %s content in the document (has %s)"
                % (label, case["content_type"], ", ".join(content) or "none")
            )
            continue
        schema_pointer = "%s/content/%s/schema" % (pointer, pointer_escape(case["content_type"]))
        validator = Draft202012Validator(
            {"$ref": DOCUMENT_URI + "#" + schema_pointer}, registry=registry
        )
        errors = sorted(validator.iter_errors(case["body"]), key=lambda error: error.path)
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path)
            failures.append("%s: at /%s: %s" % (label, location, error.message))
        if not errors:
            print("%s matches its schema" % label)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
