"""The demo newsroom behind `make run`."""
