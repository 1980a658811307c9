"""Query-parameter checks shared by the reports and the catalog: each raises the API's 400."""
from __future__ import annotations

import re

from .errors import invalid_params

_INT = re.compile(r"^[+-]?\d{1,19}$")
# Rest.li 1.0 array syntax the catalog's clients send: `a.b[0]=x`, `a.locales[0].language=en`.
_ARRAY = re.compile(r"^(?P<name>[A-Za-z.]+)\[(?P<index>\d+)\](?:\.(?P<field>[A-Za-z]+))?$")


def int_param(params: dict, name: str, default=None, minimum=None, maximum=None) -> int:
    raw = params.get(name)
    if raw is None:
        if default is None:
            raise invalid_params(f"Missing required parameter '{name}'")
        return default
    if not _INT.match(raw):
        raise invalid_params(f"Parameter '{name}' must be an integer, got '{raw}'")
    value = int(raw)
    if minimum is not None and value < minimum:
        raise invalid_params(f"Parameter '{name}' must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise invalid_params(f"Parameter '{name}' must be <= {maximum}, got {value}")
    return value


def enum_param(params: dict, name: str, allowed, required: bool, default=None):
    raw = params.get(name)
    if raw is None:
        if required:
            raise invalid_params(f"Missing required parameter '{name}'")
        return default
    if raw not in allowed:
        raise invalid_params(f"Parameter '{name}' must be one of {', '.join(allowed)}, got '{raw}'")
    return raw


def bool_param(params: dict, name: str, default: bool) -> bool:
    """Booleans travel as the strings `true`/`false` (what the catalog's clients send)."""
    raw = params.get(name)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        raise invalid_params(f"Parameter '{name}' must be 'true' or 'false', got '{raw}'")
    return raw == "true"


def text_param(params: dict, name: str, required: bool = False):
    raw = params.get(name)
    if raw is None or not raw.strip():
        if required or raw is not None:
            raise invalid_params(f"Missing required parameter '{name}'" if raw is None
                                 else f"Parameter '{name}' must not be empty")
        return None
    return raw


def split_arrays(params: dict) -> tuple:
    """(scalars, arrays): arrays maps a name to its items in index order; an item is the value, or
    a dict of fields for `name[i].field` keys."""
    scalars, found = {}, {}
    for key, value in params.items():
        m = _ARRAY.match(key)
        if m is None:
            scalars[key] = value
            continue
        slot = found.setdefault(m["name"], {})
        if m["field"]:
            item = slot.setdefault(int(m["index"]), {})
            if not isinstance(item, dict):
                raise invalid_params(f"Parameter '{key}' mixes a value and fields at one index")
            item[m["field"]] = value
        else:
            if int(m["index"]) in slot:
                raise invalid_params(f"Parameter '{key}' mixes a value and fields at one index")
            slot[int(m["index"])] = value
    arrays = {name: [slot[i] for i in sorted(slot)] for name, slot in found.items()}
    return scalars, arrays
