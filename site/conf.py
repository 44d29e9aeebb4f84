"""Sphinx configuration of the course site (`make site`; sources assembled by site/build.py).

Offline: myst-nb renders the notebooks site/build.py has executed (nothing runs here), the theme's
assets are local, and no page loads a script, style sheet or font from elsewhere (a test checks).
Each section's page has the theme's launch buttons (Binder, Colab) and repository button, built from
the one setting of the course's address, ``[project.urls] Repository`` in pyproject.toml; its
download button gives the released notebook (site/build.py puts it in ``_sources/``); code cells
have copy buttons (sphinx-copybutton, local too).
"""

from pathlib import Path

import tomllib

REPOSITORY = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())[
    "project"
]["urls"]["Repository"]

project = "Handling multiple sequences in Transformer models"
html_title = project
extensions = ["myst_nb", "sphinx_copybutton"]
nb_execution_mode = "off"  # executed by site/build.py, from the released notebooks
nb_ipywidgets_js = {}  # no widget manager from a CDN: site/build.py puts a line where a widget was
exclude_patterns = ["_readme.md"]
templates_path = ["_templates"]
html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    # The pages are the released notebooks (site/build.py names them as in the repository), so the
    # launch buttons open notebooks/multiple_sequences/<page>.ipynb of the repository.
    "path_to_docs": "notebooks/multiple_sequences",
    "use_repository_button": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "use_download_button": True,
    "use_fullscreen_button": False,
    "footer_content_items": ["course-licence.html"],
}
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_show_sphinx = False
# The download button's file: site/build.py replaces each page's copy by the released notebook.
html_copy_source = True
html_show_sourcelink = False
copybutton_exclude = ".linenos, .gp, .go"  # copy the code, not prompts or printed output
