// Starts a ServerlessFedi instance (the built .NET executable) as a child
// process for interop tests, and tears it down again.
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const logDir = path.resolve(here, "../logs");

export function functionsDll() {
  return process.env.FEDI_FUNCTIONS_DLL
    ? path.resolve(process.env.FEDI_FUNCTIONS_DLL)
    : path.join(repoRoot, "functions/bin/Debug/net10.0/ServerlessFedi.Functions.dll");
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Table names must start with a letter and hold only letters and digits.
export function randomPrefix(length = 8) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const alnum = letters + "0123456789";
  let s = letters[randomInt(letters.length)];
  while (s.length < length) s += alnum[randomInt(alnum.length)];
  return s;
}

const tail = (text, lines = 40) => text.split("\n").slice(-lines).join("\n");

// Runs `dotnet <dll> ...args` to completion; rejects unless it exits 0.
// Resolves with stdout and stderr interleaved, or with stdout alone when
// `stdoutOnly` is set (for commands whose output is parsed).
function runDotnet(dll, args, env, { timeoutMs = 120_000, stdoutOnly = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("dotnet", [dll, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let stdout = "";
    child.stdout.on("data", (d) => {
      out += d;
      stdout += d;
    });
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run dotnet ${args.join(" ")}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdoutOnly ? stdout : out);
      else reject(new Error(
        `dotnet ${path.basename(dll)} ${args.join(" ")} exited with ${code ?? signal}\n${tail(out)}`,
      ));
    });
  });
}

/**
 * Initialises storage, starts `serve` on a free loopback port and waits for
 * GET /health to answer 200.  Returns a handle with baseUrl, host, cli(),
 * createAccount(), createToken() and stop().
 */
export async function startInstance({ title = "Interop Test", healthTimeoutMs = 60_000, settings = {} } = {}) {
  const dll = functionsDll();
  if (!fs.existsSync(dll)) {
    throw new Error(`ServerlessFedi build not found at ${dll} (build it first, or set FEDI_FUNCTIONS_DLL)`);
  }
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const baseUrl = `http://${host}`;
  const prefix = randomPrefix();
  const env = {
    ...process.env,
    AzureWebJobsStorage: process.env.AzureWebJobsStorage || "UseDevelopmentStorage=true",
    Fedi__BaseUrl: baseUrl,
    Fedi__AllowPrivateNetworks: "true",
    Fedi__StoragePrefix: prefix,
    Fedi__InstanceTitle: title,
    FediInboxQueue: `${prefix}-inbox`,
    FediFanoutQueue: `${prefix}-fanout`,
    FediDeliverQueue: `${prefix}-deliver`,
    FediAccountsQueue: `${prefix}-accounts`,
    FediMediaQueue: `${prefix}-media`,
    FediPushQueue: `${prefix}-push`,
    DOTNET_CLI_TELEMETRY_OPTOUT: "1",
    DOTNET_NOLOGO: "1",
    ...settings,
  };
  const cli = (...args) => runDotnet(dll, args, env);

  await cli("admin", "storage", "init");

  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `instance-${prefix}.log`);
  const log = fs.createWriteStream(logFile);
  let output = "";
  const child = spawn("dotnet", [dll, "serve", "--urls", baseUrl], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (d) => {
      log.write(d);
      output = (output + d).slice(-20_000);
    });
  }
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on("error", (e) => {
      exited ??= { error: e };
      resolve();
    });
    child.on("exit", (code, signal) => {
      exited ??= { code, signal };
      resolve();
    });
  });
  // Never leave a server behind if the test process dies without calling stop().
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  async function stop() {
    process.removeListener("exit", killOnExit);
    if (exited == null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
    await new Promise((resolve) => log.end(resolve));
  }

  const describeExit = () =>
    exited.error ? `failed to start: ${exited.error.message}` : `exited with ${exited.code ?? exited.signal}`;
  const deadline = Date.now() + healthTimeoutMs;
  let lastProblem = "no answer yet";
  while (true) {
    if (exited != null) {
      await stop();
      throw new Error(`instance ${describeExit()} before /health answered (log: ${logFile})\n${tail(output)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastProblem = `HTTP ${res.status}`;
    } catch (e) {
      lastProblem = e.cause?.code ?? e.message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `instance did not answer GET /health with 200 within ${healthTimeoutMs} ms (${lastProblem}; log: ${logFile})\n${tail(output)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  async function createAccount({
    username,
    password = "S3cret-pass-123-xyz",
    displayName = username,
    email = `${username}@example.test`,
    type = "Person",
  }) {
    await cli(
      "admin", "account", "create",
      "--username", username,
      "--password", password,
      "--display-name", displayName,
      "--email", email,
      "--type", type,
    );
    return { username, actorUrl: `${baseUrl}/users/${username}`, acct: `acct:${username}@${host}` };
  }

  /**
   * Issues an OAuth access token for a local account through the admin CLI
   * (`admin token create`), which prints the token as its last stdout line.
   */
  async function createToken(username, scopes = "read write") {
    const stdout = await runDotnet(
      dll,
      ["admin", "token", "create", "--username", username, "--scopes", scopes],
      env,
      { stdoutOnly: true },
    );
    const token = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1);
    if (!token) throw new Error(`admin token create printed no token for ${username}:\n${stdout}`);
    return token;
  }

  return { baseUrl, host, port, prefix, env, logFile, cli, createAccount, createToken, stop, output: () => output };
}
