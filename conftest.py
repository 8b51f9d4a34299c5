"""Root pytest configuration: doctests run over analysis/, except the module that starts the CLI."""

collect_ignore = ["analysis/__main__.py"]
