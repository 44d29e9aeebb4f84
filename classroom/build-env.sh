#!/usr/bin/env bash
# `make hub-env`: one environment every user of a classroom machine can run (the hub, every
# single-user server, the instructor's nbgrader and grading), built from a Python every user can
# execute, outside any private home. Usage: classroom/build-env.sh [ENV] (default /opt/multiseq-course/env).
#
#   ENV/bin/                  python, jupyterhub, jupyterhub-singleuser, nbgrader (pinned: ../requirements.txt,
#                             ./requirements.txt, ../constraints.txt), the course package (student edition wheel),
#                             and classroom_validate (./classroom_validate.py: Validate in a child process)
#   ENV/proxy/                configurable-http-proxy (npm), ENV/proxy/node_modules/.bin/configurable-http-proxy
#   ENV/share/course-model/   the course model, built once (COURSE_CACHE for every user; read-only)
#   ENV/.hub-env              what it was built from; an unchanged input skips the build (seconds)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ENV="${1:-${HUB_ENV:-/opt/multiseq-course/env}}"
PYTHON="${HUB_PYTHON:-/usr/bin/python3}"
PROXY_PIN="configurable-http-proxy@5.3.0"
cd "$ROOT"

# A Python under a private home (pyenv under /root, ~/.local) gives other users "bad interpreter".
real="$(realpath -m "$(command -v "$PYTHON" || echo "$PYTHON")")"
case "$real" in /root/*|/home/*) echo "hub-env: $PYTHON is $real, under a private home: other users cannot run it." \
    "Use a system Python (Debian: /usr/bin/python3) with HUB_PYTHON=..." >&2; exit 2;; esac
case "$ENV" in /root/*|/home/*) echo "hub-env: $ENV is under a private home; choose a path such as /opt/..." >&2; exit 2;; esac
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || { echo "hub-env: the pins need CPython 3.11 (3.11.2 or later); $PYTHON is not" >&2; exit 2; }

# One build at a time per environment (two test workers, or two people, may ask at once).
mkdir -p "$(dirname "$ENV")"
exec 9>"$ENV.lock"
flock 9

# The build's inputs: the pins, the hub's pins, the course package's sources, this script.
inputs="$( { "$PYTHON" -V 2>&1; echo "$PROXY_PIN"; cat requirements.txt constraints.txt classroom/requirements.txt \
    pyproject.toml "$0" classroom/classroom_validate.py; find checker multiseq -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z \
    | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)"
if [ -f "$ENV/.hub-env" ] && [ "$(cat "$ENV/.hub-env")" = "$inputs" ]; then
    touch "$ENV/.installed"  # the same inputs with newer dates (a fresh checkout): still the Makefile's stamp
    echo "hub-env: $ENV is up to date"; exit 0
fi

started=$SECONDS
umask 022
test -x "$ENV/bin/python" || "$PYTHON" -m venv "$ENV"
pip() {  # pip warns about each missing folder of the local package mirrors: noise
    "$ENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    return "${PIPESTATUS[0]}"
}
pip "$(grep -m1 '^pip==' requirements.txt)"
pip "$(grep -m1 '^torch==' requirements.txt)"                 # alone: the CPU build, no CUDA packages
pip -r requirements.txt -r classroom/requirements.txt -c constraints.txt
# An environment built before from older pins keeps what they needed and these do not: it goes, so that the
# environment holds exactly constraints.txt (tests/classroom/test_hub_env.py).
extra="$("$ENV/bin/python" - constraints.txt <<'PY'
import json, re, subprocess, sys
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
pinned = {norm(line.split("==")[0]) for line in open(sys.argv[1]) if "==" in line and not line.startswith("#")}
listed = subprocess.run([sys.executable, "-m", "pip", "list", "--format=json"], capture_output=True, text=True, check=True)
print(" ".join(p["name"] for p in json.loads(listed.stdout) if norm(p["name"]) not in pinned | {"multiseq-course"}))
PY
)"
if [ -n "$extra" ]; then
    echo "hub-env: removing what the pins no longer name: $extra"
    # shellcheck disable=SC2086  (one name per word)
    "$ENV/bin/python" -m pip uninstall --quiet --yes $extra
fi
# The student edition (checker + multiseq, no solutions, no grading code), as a hub image installs it.
wheels="$(mktemp -d)"; trap 'rm -rf "$wheels"' EXIT
"$ENV/bin/python" -m build --wheel --outdir "$wheels" . >"$wheels/build.log" 2>&1 || { cat "$wheels/build.log" >&2; exit 1; }
pip --no-deps --force-reinstall "$wheels"/multiseq_course-*.whl
# Validate without freezing the student's server (classroom/jupyter/*/jupyter_server_config.py enable it).
install -m 644 classroom/classroom_validate.py "$("$ENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/"
# The hub's proxy, pinned, beside the environment (node from Debian; EBADENGINE on node 20 is harmless).
if [ ! -x "$ENV/proxy/node_modules/.bin/configurable-http-proxy" ]; then
    command -v npm >/dev/null || { echo "hub-env: npm is missing (Debian: apt-get install npm)" >&2; exit 1; }
    npm install --silent --no-fund --no-audit --prefix "$ENV/proxy" "$PROXY_PIN" 2>&1 | grep -v EBADENGINE || true
    test -x "$ENV/proxy/node_modules/.bin/configurable-http-proxy"
fi
# The course model, built once into a folder every user reads: COURSE_CACHE=$ENV/share/course-model.
COURSE_CACHE="$ENV/share/course-model" "$ENV/bin/python" -m checker build-model
# Readable and runnable by everyone, writable by its owner only.
chmod -R a+rX,go-w "$ENV"
# The Makefile's instructor targets run with VENV=$ENV (make -f <repo>/Makefile VENV=$ENV grade): its stamp.
touch "$ENV/.installed"
echo "$inputs" > "$ENV/.hub-env"
echo "hub-env: built $ENV in $((SECONDS - started)) s ($(du -sh "$ENV" | cut -f1))"
