"""Entry point of the `source-linkedin-learning` console script."""

import gc
import sys
import traceback
from datetime import datetime, timezone
from typing import List, Optional

import orjson

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteErrorTraceMessage, AirbyteMessage, AirbyteMessageSerializer, AirbyteTraceMessage
from airbyte_cdk.models import FailureType, TraceType, Type

from source_linkedin_learning.source import SourceLinkedinLearning

RECORD_PREFIX = '{"type":"RECORD"'
RECORDS_PER_WRITE = 1000


def _config_error_message(message: str, error: Exception) -> str:
    trace = AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ERROR,
            emitted_at=int(datetime.now(timezone.utc).timestamp() * 1000),
            error=AirbyteErrorTraceMessage(
                message=message,
                internal_message=f"{type(error).__name__}: {error}",
                stack_trace="".join(traceback.format_exception(error)),
                failure_type=FailureType.config_error,
            ),
        ),
    )
    return orjson.dumps(AirbyteMessageSerializer.dump(trace)).decode()


def _source(args: List[str]) -> Optional[SourceLinkedinLearning]:
    """The source with the files that the command names; a file that cannot be read is
    reported as a config error naming it, not as a bare traceback."""
    files = (
        ("--config", AirbyteEntrypoint.extract_config(args), SourceLinkedinLearning.read_config),
        ("--catalog", AirbyteEntrypoint.extract_catalog(args), SourceLinkedinLearning.read_catalog),
        ("--state", AirbyteEntrypoint.extract_state(args), SourceLinkedinLearning.read_state),
    )
    loaded = []
    for flag, path, reader in files:
        try:
            loaded.append(reader(path) if path else None)
        except Exception as error:  # any unreadable or malformed file ends the same way
            print(_config_error_message(f"The {flag} file {path!r} could not be read: {error}. Check that it is valid JSON of the right shape.", error))
            return None
    config, catalog, state = loaded
    return SourceLinkedinLearning(catalog=catalog, config=config, state=state)


def _launch(source: SourceLinkedinLearning, args: List[str]) -> None:
    """The CDK's `launch`, with consecutive RECORD lines written in batches: one write per
    record costs more than producing it. Any other message first writes the records before it,
    so a STATE never overtakes its records."""
    entrypoint = AirbyteEntrypoint(source)
    parsed_args = entrypoint.parse_args(args)
    with PRINT_BUFFER:
        batch: List[str] = []
        for message in entrypoint.run(parsed_args):
            batch.append(message)
            if len(batch) >= RECORDS_PER_WRITE or not message.startswith(RECORD_PREFIX):
                batch.append("")
                PRINT_BUFFER.write("\n".join(batch))
                batch = []
        if batch:
            batch.append("")
            PRINT_BUFFER.write("\n".join(batch))


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    # A read allocates a few dicts per record and frees them at once; a larger first-generation
    # threshold keeps the cyclic collector from walking them every 700 allocations.
    gc.set_threshold(20_000, 50, 100)
    source = _source(args)
    if source is None:
        sys.exit(1)
    _launch(source, args)


if __name__ == "__main__":
    run()
