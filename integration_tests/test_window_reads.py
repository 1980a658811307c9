"""A window read the short way (streams.py) yields what the CDK's DeclarativePartition yields."""

from source_linkedin_learning import SourceLinkedinLearning

from integration_tests.harness import config_for


def _windows(source: SourceLinkedinLearning, name: str):
    stream = next(s for s in source.streams(source._config) if s.name == name)
    return list(stream._stream_partition_generator.generate())


def test_every_window_yields_the_records_of_its_declarative_partition(simulator):
    source = SourceLinkedinLearning(config=config_for(simulator, start_date="2024-03-10", page_size=9))
    compared = 0
    for name in ("individual_content_activity", "group_activity"):
        for window in _windows(source, name):
            short = list(window.read())
            cdk = list(window._partition.read())
            assert [(r.data, r.stream_name, r.associated_slice) for r in short] == [
                (r.data, r.stream_name, r.associated_slice) for r in cdk
            ]
            assert all(r.associated_slice is window.to_slice() for r in short)
            compared += len(short)
    assert compared > 100
