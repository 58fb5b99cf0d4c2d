#!/usr/bin/env bash
# Sets up and runs the instance locally: Azurite (data kept in .azurite/), storage tables, then the standalone host
# at http://127.0.0.1:7071. No Azure account needed. Settings come from local.settings.json when present
# (copy local.settings.example.json), otherwise from the defaults below; environment variables win.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source eng/azurite.sh

PORT="${PORT:-7071}"
export Fedi__BaseUrl="${Fedi__BaseUrl:-http://127.0.0.1:$PORT}"
# Local runs (and the tests) only: a loopback BaseUrl over http, fetches from peers on this machine. local.settings.example.json leaves it off.
export Fedi__AllowPrivateNetworks="${Fedi__AllowPrivateNetworks:-true}"
export FediInboxQueue="${FediInboxQueue:-inbox}" FediFanoutQueue="${FediFanoutQueue:-fanout}" FediDeliverQueue="${FediDeliverQueue:-deliver}" FediAccountsQueue="${FediAccountsQueue:-accounts}"

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

ServerlessFedi is starting at $Fedi__BaseUrl
Create an account (in another terminal, same settings):
  AzureWebJobsStorage='$AzureWebJobsStorage' Fedi__BaseUrl=$Fedi__BaseUrl Fedi__AllowPrivateNetworks=true FediInboxQueue=inbox FediFanoutQueue=fanout FediDeliverQueue=deliver FediAccountsQueue=accounts \\
    dotnet $APP admin account create --username alice --display-name 'Alice Agency' --email alice@example.test
Then: curl '$Fedi__BaseUrl/.well-known/webfinger?resource=acct:alice@127.0.0.1:$PORT'

MSG
dotnet "$APP" serve --urls "http://127.0.0.1:$PORT"
