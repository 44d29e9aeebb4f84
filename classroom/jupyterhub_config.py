"""The course on JupyterHub: one machine, real Unix accounts, nbgrader's exchange (README, "A classroom").

    jupyterhub -f classroom/jupyterhub_config.py        # as root (it starts each user's server as that user)

Everything that differs between classrooms comes from the environment (defaults in brackets):

    CLASSROOM_ENV          the environment of `make hub-env` [/opt/multiseq-course/env]
    CLASSROOM_STATE        the hub's own database, cookie secret, proxy pid (root only) [/srv/jupyterhub]
    CLASSROOM_EXCHANGE     nbgrader's exchange, shared by every account [/srv/nbgrader/exchange]
    CLASSROOM_COURSE       the instructors' course folder (a clone of this repository) [/srv/nbgrader/multiple-sequences]
    CLASSROOM_INSTRUCTORS  Unix accounts that teach, separated by spaces or commas
    CLASSROOM_STUDENTS     Unix accounts that learn, likewise
    CLASSROOM_IP, CLASSROOM_PORT, CLASSROOM_HUB_PORT, CLASSROOM_PROXY_API_PORT   [127.0.0.1, 8000, 8081, 8001]
    CLASSROOM_SERVICE_TOKEN  a token for the `classroom` service (scripts, tests): manages users, servers, tokens

A user's single-user server runs as that Unix account (LocalProcessSpawner), from CLASSROOM_ENV, with
the course model read-only from CLASSROOM_ENV/share/course-model and the settings of its role
(jupyter/common + jupyter/students or jupyter/instructors, beside this file, which every account must
be able to read). A student's JupyterLab opens on their home, an instructor's on the course folder.
"""

import os
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = os.environ.get("CLASSROOM_ENV", "/opt/multiseq-course/env")
STATE = Path(os.environ.get("CLASSROOM_STATE", "/srv/jupyterhub"))
IP = os.environ.get("CLASSROOM_IP", "127.0.0.1")
COURSE = os.environ.get("CLASSROOM_COURSE", "/srv/nbgrader/multiple-sequences")


def _accounts(name: str) -> list[str]:
    return [a for a in re.split(r"[\s,]+", os.environ.get(name, "")) if a]


INSTRUCTORS, STUDENTS = _accounts("CLASSROOM_INSTRUCTORS"), _accounts("CLASSROOM_STUDENTS")
c = get_config()  # noqa: F821  (provided by JupyterHub)

# --- Where the hub listens: one address for the proxy, the hub and every single-user server.
c.JupyterHub.ip = IP
c.JupyterHub.port = int(os.environ.get("CLASSROOM_PORT", "8000"))
c.JupyterHub.hub_ip = IP
c.JupyterHub.hub_port = int(os.environ.get("CLASSROOM_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://{IP}:{os.environ.get('CLASSROOM_PROXY_API_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.command = [f"{ENV}/proxy/node_modules/.bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- Who may log in: real Unix accounts (PAM), listed; instructors and students are groups.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.admin_users = (
    set()
)  # instructors teach; they do not administer other people's servers
c.JupyterHub.load_groups = {"instructors": {"users": INSTRUCTORS}, "students": {"users": STUDENTS}}

# --- Each user's server: their own Unix account, the course's environment, their role's nbgrader settings.
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.ip = IP
c.Spawner.cmd = [f"{ENV}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120  # a loaded 2-core machine needs up to half a minute


def role(spawner) -> str:
    groups = {g.name for g in spawner.user.groups}
    return (
        "instructors" if "instructors" in groups or spawner.user.name in INSTRUCTORS else "students"
    )


def config_path(spawner) -> str:
    """nbgrader and Jupyter read their settings from these folders (nbgrader_config.py, jupyter_server_config.py,
    labconfig/): the role's first, then what everyone shares. `Spawner.environment` does not expand
    ``{username}``, but a callable gets the spawner."""
    return os.pathsep.join(
        [str(HERE / "jupyter" / role(spawner)), str(HERE / "jupyter" / "common")]
    )


def start_in_the_role_folder(spawner) -> None:
    """Students start in their home; instructors in the course folder, because nbgrader's Formgrader works
    only on a course folder inside the server's root ("the formgrader encountered an error" otherwise)."""
    spawner.notebook_dir = COURSE if role(spawner) == "instructors" else "~"


c.Spawner.pre_spawn_hook = start_in_the_role_folder
# No account configures its own server (~/.jupyter, Jupyter paths under the home): what a server
# serves and which headers it sends stay this folder's settings (JupyterHub, "Disable user config").
c.Spawner.disable_user_config = True

c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": config_path,
    "PATH": f"{ENV}/bin:/usr/local/bin:/usr/bin:/bin",  # nbgrader and the grading call `jupyter`, `alembic`
    "VENV": ENV,  # the course Makefile's environment: `make release`, `make grade` in an instructor's terminal
    "COURSE_CACHE": f"{ENV}/share/course-model",  # built by `make hub-env`, read-only for everyone
    "NBGRADER_EXCHANGE": os.environ.get("CLASSROOM_EXCHANGE", "/srv/nbgrader/exchange"),
    "CLASSROOM_COURSE": COURSE,
    "HF_HUB_OFFLINE": "1",  # the course model is embedded; nothing is downloaded
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}

# --- Scripts and tests talk to the hub's REST API as the `classroom` service.
if os.environ.get("CLASSROOM_SERVICE_TOKEN"):
    c.JupyterHub.services = [
        {"name": "classroom", "api_token": os.environ["CLASSROOM_SERVICE_TOKEN"]}
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "classroom-service",
            "description": "create users, start and stop their servers, issue tokens for them",
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:groups"],
            "services": ["classroom"],
        }
    ]

# Stopping the hub stops every single-user server and the proxy it started.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
