"""Sphinx configuration of the course site (`make site`; sources assembled by site/build.py).

Offline: myst-nb renders the notebooks site/build.py has executed (nothing runs here), the theme's
assets are local, and no page loads a script, style sheet or font from elsewhere (a test checks).
"""

project = "Handling multiple sequences in Transformer models"
html_title = project
extensions = ["myst_nb"]
nb_execution_mode = "off"  # executed by site/build.py, from the released notebooks
nb_ipywidgets_js = {}  # no widget manager from a CDN: site/build.py puts a line where a widget was
exclude_patterns = ["_readme.md"]
html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,  # the notebooks to work in are the course's, not these copies
    "use_fullscreen_button": False,
    "footer_content_items": [],  # no "By <author>" line: the course names no author
}
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_show_sphinx = False
html_copy_source = False
html_show_sourcelink = False
