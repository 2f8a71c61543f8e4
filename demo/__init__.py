"""The demo newsroom behind `make run`: content as data files in content/, loaded by
`manage.py load_demo`."""
