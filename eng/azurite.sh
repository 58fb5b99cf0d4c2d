# Sourced by eng/test.sh and eng/run-local.sh: installs the pinned Azurite and starts it.
# Usage: start_azurite <ports: "default" | "random"> [--location DIR]
# Exports AzureWebJobsStorage for the chosen ports and AZURITE_PID; stop_azurite ends it.

ENG_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

install_eng_tools() {
  if [ ! -x "$ENG_DIR/node_modules/.bin/azurite" ] || [ "$ENG_DIR/package-lock.json" -nt "$ENG_DIR/node_modules/.package-lock.json" ]; then
    echo "Installing Azurite (pinned by eng/package-lock.json)..." >&2
    (cd "$ENG_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_azurite() {
  local mode="$1"; shift
  install_eng_tools
  local blob queue table
  if [ "$mode" = "default" ]; then
    blob=10000; queue=10001; table=10002
  else
    blob=$(free_port); queue=$(free_port); table=$(free_port)
  fi
  local log="${AZURITE_LOG:-$(mktemp -t azurite.XXXXXX.log)}"
  local persistence=(--inMemoryPersistence)
  if [ "${1:-}" = "--location" ]; then persistence=(--location "$2"); fi
  # --skipApiVersionCheck: the current Azure SDKs speak a newer service version than Azurite 3.37 knows.
  # --disableTelemetry: nothing leaves the machine, and Azurite exits promptly on SIGTERM.
  "$ENG_DIR/node_modules/.bin/azurite" --silent "${persistence[@]}" --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$log" 2>&1 &
  AZURITE_PID=$!
  export AZURITE_PID
  for _ in $(seq 1 100); do
    if port_open "$blob" && port_open "$queue" && port_open "$table"; then break; fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then echo "Azurite failed to start; its log:" >&2; cat "$log" >&2; return 1; fi
    sleep 0.2
  done
  port_open "$table" || { echo "Azurite did not open its ports in time; log: $log" >&2; return 1; }
  # The well-known development account key of Azurite (public, not a secret).
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
  fi
}
