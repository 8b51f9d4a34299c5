"""Notebook: what runs inside a report kernel or JupyterLab (offline plotly set-up, page header, safe display),
and the command that starts JupyterLab on the notebooks (`notebook.lab`).

Never imports `analysis.reporting`; the names both sides share are in `analysis.notebook.contract`.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
