"""Readers: one module per input format (incident log, ACLED, UCDP GED, ACLED weekly), plus the file reading
and the registry that picks a file's format from its columns."""
