"""The start-up shortcut of attribute_docs.py gives serpyco-rs exactly what `attributes_doc` gives.

serpyco-rs turns these docstrings into the descriptions of the JSON schemas it builds; the
connector replaces the function that reads them with one that parses each module once. These
tests compare the two on every class the CDK's protocol serializers describe, on awkward cases,
and end to end on the schemas serpyco-rs builds, and check that the replacement is in use.
"""

import dataclasses
import enum
import inspect
import json
import subprocess
import sys

import pytest
from attributes_doc import FStringFound
from attributes_doc._base import get_attributes_doc as library_reading

import airbyte_cdk.models.airbyte_protocol as protocol
from source_linkedin_learning import attribute_docs
from unit_tests.attribute_doc_cases import cases


def _reading(function, cls):
    try:
        return function(cls)
    except FStringFound:
        return FStringFound


def _protocol_classes():
    return sorted(
        (value for value in vars(protocol).values()
         if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))),
        key=lambda cls: (cls.__module__, cls.__qualname__),
    )


def test_every_protocol_class_reads_the_same():
    classes = _protocol_classes()
    assert len(classes) > 50  # the module re-exports the whole protocol
    differing = [cls for cls in classes if _reading(attribute_docs.get_attributes_doc, cls) != _reading(library_reading, cls)]
    assert differing == []


CASES = [
    cases.Decorated, cases.Decorated.Inner, cases.Decorated.Inner.Deeper, cases.Child, cases.Colour,
    cases.Twice, cases.WithFString, cases.NumberNotDoc, cases.Local, cases.Dynamic, cases.Nowhere, int, object,
]


@pytest.mark.parametrize("cls", CASES, ids=lambda cls: cls.__qualname__)
def test_awkward_classes_read_the_same(cls):
    assert _reading(attribute_docs.get_attributes_doc, cls) == _reading(library_reading, cls)


def test_the_awkward_cases_are_what_they_claim():
    """The cases exercise what they are named for: docs found through a decorator, nesting, a
    function, another module, a second definition, and an f-string refused."""
    read = attribute_docs.get_attributes_doc
    assert read(cases.Decorated) == {
        "total": "rows in the window", "name": "not a doc: a plain string below an assignment is one",
        "untyped": "a string under a plain assignment", "a": "two names, one docstring", "b": "two names, one docstring",
    }
    assert read(cases.Decorated.Inner.Deeper) == {"depth": "nested two levels"}
    assert read(cases.Local) == {"inside": "a class defined in a function"}
    assert read(cases.Child) == {"inherited": "from the base, in another module", "own": "the child's own",
                                 "shared": "the child overrides the base's doc"}
    assert read(cases.Dynamic) == {"inherited": "from the base, in another module", "shared": "the base's doc, overridden by the child"}
    assert read(cases.Twice) == {"first": "the first definition of Twice"}
    assert read(cases.NumberNotDoc) == {"other": "only this one"}
    assert read(cases.Nowhere) == {}
    with pytest.raises(FStringFound):
        read(cases.WithFString)
    assert inspect.getsource(cases.Colour)  # an enum: its MRO reaches enum.Enum, read from enum.py


_SCHEMAS = """
import json, sys
{prelude}
from serpyco_rs import Serializer
import airbyte_cdk.models.airbyte_protocol as protocol
import airbyte_cdk.models.airbyte_protocol_serializers as serializers
schemas = {{name: Serializer(getattr(protocol, name)).get_json_schema()
           for name in ("AirbyteMessage", "ConfiguredAirbyteCatalog", "ConnectorSpecification")}}
import serpyco_rs._utils
used = getattr(serpyco_rs._utils.get_attributes_doc, "__wrapped__", None)
print(json.dumps({{"schemas": schemas, "ours": getattr(used, "__module__", None) == "source_linkedin_learning.attribute_docs"}}))
"""


def _schemas(prelude: str):
    out = subprocess.run([sys.executable, "-c", _SCHEMAS.format(prelude=prelude)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_connector_serves_serpyco_rs_the_shortcut_and_its_schemas_are_unchanged():
    """Importing the connector installs the shortcut before the CDK loads serpyco-rs (on Python
    3.13 and later it stays out); the JSON schemas serpyco-rs then builds, descriptions
    included, equal those built without it."""
    with_shortcut = _schemas("import source_linkedin_learning")
    without = _schemas("")
    assert with_shortcut["ours"] is (sys.version_info < (3, 13))
    assert without["ours"] is False
    assert with_shortcut["schemas"] == without["schemas"]
    assert len(with_shortcut["schemas"]["AirbyteMessage"]["components"]["schemas"]) > 10  # whole schemas, not stubs
