#!/usr/bin/env bash
# Sets up and runs every test: builds with warnings as errors, starts an in-memory Azurite on free ports,
# runs the MSTest suite and the Node interop suite (Fedify as the remote server), stops Azurite, and ends
# with one line "N passed, M failed, K skipped" counting every test that ran. Exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source eng/azurite.sh
LOGS="$ROOT/.ci-logs"
mkdir -p "$LOGS"

passed=0; failed=0; skipped=0; status=0
finish() {
  stop_azurite
  echo "$passed passed, $failed failed, $skipped skipped"
}
trap finish EXIT

echo "== build"
if ! dotnet build ServerlessFedi.sln -c Debug -nologo -v:minimal -clp:ErrorsOnly; then
  echo "build failed" >&2
  failed=1
  exit 1
fi

echo "== format"
if ! dotnet format ServerlessFedi.sln --verify-no-changes --no-restore -v:quiet >"$LOGS/format.log" 2>&1; then
  cat "$LOGS/format.log" >&2
  echo "dotnet format found differences (run 'dotnet format ServerlessFedi.sln')" >&2
  failed=$((failed + 1)); status=1
fi

echo "== azurite"
AZURITE_LOG="$LOGS/azurite.log" start_azurite random || { failed=$((failed + 1)); exit 1; }

echo "== .NET tests"
dotnet test --project tests/ServerlessFedi.Tests --no-build -c Debug 2>&1 | tee "$LOGS/dotnet-test.log"
dotnet_status=${PIPESTATUS[0]}
count() { grep -E "^\s+$1:" "$LOGS/dotnet-test.log" | tail -1 | grep -oE '[0-9]+' | head -1; }
d_total=$(count total); d_failed=$(count failed); d_passed=$(count succeeded); d_skipped=$(count skipped)
if [ -z "$d_total" ]; then
  echo "could not read the MSTest summary" >&2
  failed=$((failed + 1)); status=1
else
  passed=$((passed + d_passed)); failed=$((failed + d_failed)); skipped=$((skipped + d_skipped))
  if [ "$dotnet_status" -ne 0 ] && [ "$d_failed" -eq 0 ]; then failed=$((failed + 1)); fi
  [ "$dotnet_status" -ne 0 ] && status=1
fi

echo "== interop tests"
bash tests/interop/run.sh 2>&1 | tee "$LOGS/interop.log"
interop_status=${PIPESTATUS[0]}
line=$(grep -E '^INTEROP_COUNTS ' "$LOGS/interop.log" | tail -1)
if [ -z "$line" ]; then
  echo "interop run printed no counts" >&2
  failed=$((failed + 1)); status=1
else
  i_passed=$(echo "$line" | sed -E 's/.*passed=([0-9]+).*/\1/')
  i_failed=$(echo "$line" | sed -E 's/.*failed=([0-9]+).*/\1/')
  i_skipped=$(echo "$line" | sed -E 's/.*skipped=([0-9]+).*/\1/')
  passed=$((passed + i_passed)); failed=$((failed + i_failed)); skipped=$((skipped + i_skipped))
  if [ "$interop_status" -ne 0 ] && [ "$i_failed" -eq 0 ]; then failed=$((failed + 1)); fi
  [ "$interop_status" -ne 0 ] && status=1
fi

exit $status
