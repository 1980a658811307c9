"""The one-command demo: the connector synced from the simulator into DuckDB with PyAirbyte."""
