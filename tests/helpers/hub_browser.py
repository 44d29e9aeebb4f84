"""A person at the classroom's JupyterHub, in Chromium: the hub's login form, JupyterLab, the Formgrader.

- ``log_in(page, hub, user, password)``: the hub's login form (PAM: the account's Unix password), then
  the user's JupyterLab, which the hub starts;
- ``formgrader_students(frame)``: the Formgrader's "Manage Students" table as the page shows it;
- ``open_formgrader_panel(page)``: JupyterLab's Nbgrader menu > Formgrader, the panel's frame;
- ``server_request(page, hub, user, method, path, ...)``: a request to the user's server with the
  browser's cookies and XSRF token, as JupyterLab and nbgrader's Assignments tab send it;
- ``new_token(page, hub, user)``: a token of the user's own, as the hub's Token page makes one.
"""

from __future__ import annotations

import re

FORMGRADER_ERROR = "Sorry, the formgrader encountered an error"


def log_in(page, hub: str, user: str, password: str) -> None:
    page.goto(f"{hub}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf".*/user/{re.escape(user)}/lab.*"), timeout=180_000)
    page.locator(".jp-LabShell").wait_for()


def formgrader_students(frame) -> dict[str, str]:
    """{student id: "score / max score"}: the rows of the Formgrader's Manage Students page."""
    rows = frame.locator("table tbody tr").filter(has=frame.locator("td.id"))
    rows.first.wait_for()
    return {
        row.locator("td.id").inner_text().strip(): row.locator("td.score").inner_text().strip()
        for row in rows.all()
    }


def open_formgrader_panel(page):
    """Nbgrader > Formgrader in the instructor's JupyterLab; the frame of the panel it opens."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Formgrader$")).click()
    frame = page.frame_locator("#formgrader iframe")
    frame.locator("body").wait_for()
    return frame


def _xsrf(page, url: str) -> str:
    return next((c["value"] for c in page.context.cookies(url) if c["name"] == "_xsrf"), "")


def server_request(page, hub: str, user: str, method: str, path: str, **kw):
    """``method`` /user/<user>/<path> with the session's cookies and XSRF token, as JupyterLab sends it
    (``form=`` for nbgrader's Assignments actions, ``data=`` for the contents API)."""
    url = f"{hub}/user/{user}/{path.lstrip('/')}"
    return page.request.fetch(
        url,
        method=method,
        headers={"X-XSRFToken": _xsrf(page, f"{hub}/user/{user}/")},
        timeout=300_000,
        **kw,
    )


def new_token(page, hub: str, user: str) -> str:
    """A token of the logged-in user's own, as the hub's Token page makes one (POST /hub/api/users/<u>/tokens)."""
    response = page.request.post(
        f"{hub}/hub/api/users/{user}/tokens",
        data={"note": "README steps", "expires_in": 3600},
        headers={"X-XSRFToken": _xsrf(page, f"{hub}/hub/")},
    )
    assert response.ok, f"{user}: a token: {response.status} {response.text()[:500]}"
    return response.json()["token"]
