"""Report runner: execute the report notebooks of a named set with papermill and publish offline HTML pages.

    python -m analysis report --set syria-2022

Modules: config (reports.yml -> ReportSet), parameters (check values against a notebook's parameters cell),
runner (locking, build-if-stale, parallel execution, publishing), worker (what runs one page, in a thread:
papermill + nbconvert), kernel (the kernel manager the pages use: a fresh kernel each), pages (the HTML
around each page, error pages and indexes), cli (the command line). Heavy libraries (papermill, nbconvert,
nbformat, jupyter_client) are imported only when pages run.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
