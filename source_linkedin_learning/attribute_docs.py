"""Start-up time: the attribute docstrings that serpyco-rs reads, one source parse per module.

Importing airbyte-cdk builds serpyco-rs serializers for the Airbyte protocol's dataclasses, and
serpyco-rs reads the attribute docstrings of every class it describes through
`attributes_doc.get_attributes_doc` (for JSON schema descriptions, which a connector never asks
for). That function calls `inspect.getsource` on each class of each MRO, and before Python 3.13
`inspect.getsource` of a class parses the class's whole module to find it: the protocol's module
is parsed once per class, `enum.py` once per enum. It costs about 1.1 s of every `spec`, `check`,
`discover` and `read`, more than half of importing the CDK (`python -X importtime`).

`install()` puts in its place `get_attributes_doc` below, which returns the same dictionaries
(and raises the same `FStringFound`) from one parse per module, keeping only the docstrings.
It must run before serpyco-rs is first imported, since serpyco-rs binds the function when its
`_utils` module loads: the package's `__init__` calls it first. Python 3.13 finds a class's
source by `__firstlineno__`, so there it changes nothing. `unit_tests/test_attribute_docs.py`
compares both functions on every class the CDK's serializers describe.
"""

import ast
import inspect
import linecache
import sys
import textwrap
import threading
from typing import Dict, List, Optional, Tuple, Union

# A class's attribute docstrings, or this marker for a class whose docstring is an f-string.
_FSTRING = object()
_Docs = Union[Dict[str, str], object]

_modules: Dict[str, Dict[str, _Docs]] = {}
_lock = threading.Lock()


def _class_docs(node: ast.ClassDef) -> _Docs:
    """`attributes_doc`'s reading of one class body: a string right after an assignment."""
    docs: Dict[str, str] = {}
    for stmt1, stmt2 in zip(node.body, node.body[1:]):
        if not isinstance(stmt1, (ast.Assign, ast.AnnAssign)) or not isinstance(stmt2, ast.Expr):
            continue
        value = stmt2.value
        if isinstance(value, ast.JoinedStr):
            return _FSTRING
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            targets = [stmt1.target] if isinstance(stmt1, ast.AnnAssign) else stmt1.targets
            for target in targets:
                if isinstance(target, ast.Name):
                    docs[target.id] = value.value
    return docs


def _index(tree: ast.Module) -> Dict[str, _Docs]:
    """Qualified name -> docstrings of the first class of that name, in the order in which
    `inspect`'s class finder walks the tree (depth first, functions adding `<locals>`)."""
    found: Dict[str, _Docs] = {}
    pending: List[Tuple[ast.AST, Tuple[str, ...]]] = [(tree, ())]
    while pending:
        node, scope = pending.pop()
        children = []
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                inner = scope + (child.name,)
                found.setdefault(".".join(inner), _class_docs(child))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = scope + (child.name, "<locals>")
            else:
                inner = scope
            children.append((child, inner))
        pending.extend(reversed(children))
    return found


def _module_index(cls: type) -> Optional[Dict[str, _Docs]]:
    """The docstrings of every class in `cls`'s source file, parsed once; None where the
    file cannot be found or read as `inspect` would (the caller then asks `inspect`)."""
    try:
        filename = inspect.getsourcefile(cls)
    except TypeError:
        return None
    if not filename:
        return None
    index = _modules.get(filename)
    if index is None:
        module = inspect.getmodule(cls, filename)
        lines = linecache.getlines(filename, module.__dict__) if module else linecache.getlines(filename)
        if not lines:
            return None
        try:
            index = _index(ast.parse("".join(lines)))
        except (SyntaxError, ValueError):
            return None
        with _lock:
            index = _modules.setdefault(filename, index)
    return index


def _slow_docs(cls: type) -> Optional[_Docs]:
    """One class's docstrings the way `attributes_doc` reads them; None without source."""
    try:
        source = inspect.getsource(cls)
    except (TypeError, OSError):
        return None
    node = ast.parse(textwrap.dedent(source)).body[0]
    return _class_docs(node) if isinstance(node, ast.ClassDef) else None


def get_attributes_doc(cls: type) -> Dict[str, str]:
    """`attributes_doc.get_attributes_doc`, reading each module's source once."""
    from attributes_doc import FStringFound

    result: Dict[str, str] = {}
    for parent in reversed(cls.mro()):
        index = _module_index(parent)
        # A name missing from a parsed module is missing for `inspect` too (it looks it up in
        # the same lines, the same way): `attributes_doc` skips that class.
        docs = _slow_docs(parent) if index is None else index.get(parent.__qualname__)
        if docs is None:
            continue
        if docs is _FSTRING:
            raise FStringFound
        result.update(docs)  # type: ignore[arg-type]
    return result


def install() -> bool:
    """Serve serpyco-rs this module's `get_attributes_doc`; True when it will be used."""
    if sys.version_info >= (3, 13) or "serpyco_rs" in sys.modules:
        return False
    try:
        import attributes_doc
    except ImportError:
        return False
    if not callable(getattr(attributes_doc, "get_attributes_doc", None)):
        return False
    attributes_doc.get_attributes_doc = get_attributes_doc  # type: ignore[assignment]
    return True


__all__ = ["get_attributes_doc", "install"]
