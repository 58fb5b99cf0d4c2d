#!/usr/bin/env bash
# Sets up and runs the instance locally: Azurite (data kept in .azurite/), storage tables, then the standalone host
# at http://127.0.0.1:7071. No Azure account needed. Settings come from local.settings.json, created from
# local.settings.example.json when there is none (here or in functions/); environment variables win. The admin CLI
# reads the same file, so `dotnet run --project functions -- admin ...` in another terminal reaches this instance.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source eng/azurite.sh

PORT="${PORT:-7071}"
if [ ! -f local.settings.json ] && [ ! -f functions/local.settings.json ]; then
  # Local runs only: a loopback BaseUrl over http and fetches from peers on this machine (the example ships it off).
  sed -e "s#http://127.0.0.1:7071#http://127.0.0.1:$PORT#" -e 's#"Fedi__AllowPrivateNetworks": "false"#"Fedi__AllowPrivateNetworks": "true"#' local.settings.example.json > local.settings.json
  echo "Created local.settings.json from local.settings.example.json."
fi

if port_open 10000 && port_open 10001 && port_open 10002; then
  echo "Using the storage emulator already listening on 10000-10002."
  export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
else
  mkdir -p .azurite
  AZURITE_LOG="$ROOT/.azurite/azurite.log" start_azurite default --location "$ROOT/.azurite"
  trap stop_azurite EXIT
  echo "Azurite started (data in .azurite/)."
fi

dotnet build functions -c Debug -nologo -v:minimal -clp:ErrorsOnly
APP="functions/bin/Debug/net10.0/ServerlessFedi.Functions.dll"
dotnet "$APP" admin storage init
cat <<MSG

ServerlessFedi is starting at http://127.0.0.1:$PORT
Create an account (in another terminal, in $ROOT):
  dotnet run --project functions -- admin account create --username alice --display-name 'Alice Agency'
Then: curl 'http://127.0.0.1:$PORT/.well-known/webfinger?resource=acct:alice@127.0.0.1:$PORT'

MSG
dotnet "$APP" serve --urls "http://127.0.0.1:$PORT"
