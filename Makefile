# Benchmarks ("Search at speed"): see bench/run.py and docs/benchmarks.md.
#   make bench                  10,000 demo articles (N=100000 for the full size); ~30-60 min on 2 cores
#   make bench-import           only generate + import + rebuild_index + export (the timed pipeline)
#   make bench FRESH=1          redo the kept steps (corpus, import, export, naive build) too
N ?= 10000
ROUNDS ?= 3
PYTHON ?= .venv/bin/python

.PHONY: bench bench-import

bench:
	$(PYTHON) bench/run.py --count $(N) --rounds $(ROUNDS) $(if $(FRESH),--fresh) --command "make bench N=$(N)"

bench-import:
	$(PYTHON) bench/run.py --count $(N) --steps prepare $(if $(FRESH),--fresh)
