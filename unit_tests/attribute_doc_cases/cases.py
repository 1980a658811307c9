"""Awkward homes for attribute docstrings: nesting, decorators, functions, names defined twice,
inheritance across modules, enums, f-strings. Read as source by test_attribute_docs.py."""

import dataclasses
import enum

from unit_tests.attribute_doc_cases.other import Base


@dataclasses.dataclass
class Decorated:
    total: int = 0
    """rows in the window"""
    name: str = ""
    """not a doc: a plain string below an assignment is one"""
    untyped = 1
    "a string under a plain assignment"
    a = b = 2
    """two names, one docstring"""

    class Inner:
        depth: int = 1
        """nested one level"""

        class Deeper:
            depth: int = 2
            """nested two levels"""


class Child(Base):
    own: str = ""
    """the child's own"""
    shared: str = ""
    """the child overrides the base's doc"""


class Colour(enum.Enum):
    RED = "red"
    """warm"""
    BLUE = "blue"
    """cold"""


class Twice:
    first: int = 0
    """the first definition of Twice"""


class Twice:  # noqa: F811  # inspect finds the first definition; so must the fast reader
    second: int = 0
    """the second definition of Twice"""


class WithFString:
    value: int = 0
    f"""an f-string is no docstring: attributes_doc refuses the class"""


class NumberNotDoc:
    value: int = 0
    42
    other: int = 0
    """only this one"""


def factory():
    class Local:
        inside: int = 0
        """a class defined in a function"""

    return Local


Local = factory()
Dynamic = type("Dynamic", (Base,), {"__module__": __name__})  # no source of its own
Nowhere = type("Nowhere", (), {"__module__": "a_module_that_is_not_loaded"})
