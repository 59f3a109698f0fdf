#!/usr/bin/env bash
# Runs every test: starts a local PostgreSQL (provider parity) and makes sure Debian chromium is there
# (browser tests), then the whole solution's test suite. Prints "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")"
if [ -z "${EXIT_TEST_POSTGRES:-}" ]; then
  if EXIT_TEST_POSTGRES=$(bash scripts/start-postgres.sh); then export EXIT_TEST_POSTGRES;
  else echo "warning: PostgreSQL could not be started; PostgreSQL tests will be skipped (fail under CI)" >&2; fi
fi
bash scripts/ensure-chromium.sh || echo "warning: chromium missing; browser tests will be skipped (fail under CI)" >&2
log=$(mktemp)
results=$(mktemp -d)
dotnet test Exit.sln -c Release --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=exit" --results-directory "$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  # A run can fail without a failed test (a fixture's clean-up threw, the test host crashed): repeat the run-level
  # errors and failed tests at the end, where a truncated CI log still shows them.
  echo "---- why the test run failed ----"
  grep -h -E '\[FAIL\]|Cleanup Failure|Catastrophic|exited with error|aborted|Test Run Failed' "$log" | grep -v -E '^\[[0-9:]+ (INF|WRN|ERR|DBG)\]' | head -40
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '/<RunInfos>/,/<\/RunInfos>/' "$trx" | sed -e 's/<[^>]*>//g' -e '/^[[:space:]]*$/d' | head -60
  done
fi
rm -rf "$results"
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
