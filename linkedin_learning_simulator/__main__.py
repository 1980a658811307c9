"""Standalone server: `python -m linkedin_learning_simulator --port 0 ...`, runs until SIGINT/SIGTERM.
Serves the control endpoint /_sim/ to loopback clients (see README) unless --no-control."""
from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
import typing

from .settings import SimulatorSettings
from .simulator import Simulator

_ALIASES = {"latency_s": "latency"}  # short flag names the brief documents


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m linkedin_learning_simulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", default=None, help="append one JSON line per served request to this file")
    p.add_argument("--no-control", dest="control", action="store_false",
                   help="do not serve the control endpoint /_sim/ (clock, knobs, request log; loopback only)")
    hints = typing.get_type_hints(SimulatorSettings)
    for field in dataclasses.fields(SimulatorSettings):
        flags = ["--" + field.name.replace("_", "-")]
        if field.name in _ALIASES:
            flags.append("--" + _ALIASES[field.name])
        hint = str(hints[field.name])
        if hints[field.name] is bool:
            p.add_argument(*flags, dest=field.name, nargs="?", const=True,
                           type=lambda v: v.lower() in ("1", "true", "yes", "on"),
                           default=field.default, metavar="BOOL")
        elif field.name == "now":
            p.add_argument(*flags, dest=field.name, default=field.default)
        elif hints[field.name] is int or "int" in hint and "float" not in hint:
            p.add_argument(*flags, dest=field.name, type=int, default=field.default)
        elif hints[field.name] is str:
            p.add_argument(*flags, dest=field.name, default=field.default)
        else:
            p.add_argument(*flags, dest=field.name, type=float, default=field.default)
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(SimulatorSettings)}
    settings = SimulatorSettings(**values)
    # Handlers first: a caller may send SIGTERM as soon as it has read the lines below.
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    sim = Simulator(settings, log_path=args.log, control=args.control)
    url = sim.start(host=args.host, port=args.port)
    print(f"LinkedIn Learning simulator at {url}", flush=True)
    print(f"token url: {sim.token_url}", flush=True)
    print(f"client_id: {settings.client_id}", flush=True)
    print(f"client_secret: {settings.client_secret}", flush=True)
    if args.control:
        print(f"control: {url}/_sim (loopback clients only)", flush=True)
    while not stop.wait(0.5):
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
