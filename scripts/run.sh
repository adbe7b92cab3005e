#!/usr/bin/env bash
# Sets everything up and runs the site on http://127.0.0.1:8000/ (SQLite and the
# Whoosh index under ./var, or $BIOPHARMA_NEWS_DATA). The first start imports
# a few hundred demo articles; later starts don't.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
PY=.venv/bin/python
DATA="${BIOPHARMA_NEWS_DATA:-var}"
mkdir -p "$DATA"
$PY manage.py migrate --noinput
if [ ! -e "$DATA/.demo-imported" ]; then
  $PY manage.py generate_demo --count "${DEMO_COUNT:-300}" --seed 1 --out "$DATA/demo"
  # The demo folder also holds manifest.json (what was planted): import the articles only.
  $PY manage.py import_articles "$DATA/demo/txt" "$DATA/demo/html" "$DATA/demo/jsonl" > "$DATA/demo-import.log" || true
  tail -n 1 "$DATA/demo-import.log"
  touch "$DATA/.demo-imported"
fi
# An index built by older code (other fields) or with other user words is rebuilt;
# otherwise only what is missing or stale is repaired.
$PY manage.py rebuild_index --if-stale
$PY manage.py check_index --repair > /dev/null || true
exec $PY manage.py runserver "${BIND:-127.0.0.1:8000}"
