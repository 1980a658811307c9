"""A base class in a module of its own, for test_attribute_docs.py."""


class Base:
    inherited: int = 0
    """from the base, in another module"""
    shared: str = ""
    """the base's doc, overridden by the child"""
