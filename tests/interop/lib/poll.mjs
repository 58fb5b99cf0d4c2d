// Small helpers shared by interop tests: polling with a useful failure
// message, and the client API with a bearer token.
import assert from "node:assert/strict";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const logTail = (instance, lines = 60) =>
  instance.output().split("\n").slice(-lines).join("\n");

/**
 * Polls fn() every `intervalMs` until it returns a truthy value, and returns
 * it.  On timeout, fails with `describeState()`'s account of the last state
 * and the tail of the instance's log.
 */
export async function waitFor(
  instance,
  what,
  fn,
  describeState = () => "",
  { timeoutMs = 30_000, intervalMs = 200 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  let state = "";
  try {
    state = await describeState();
  } catch (e) {
    state = `(describing the state failed: ${e.message})`;
  }
  assert.fail(
    `timed out after ${timeoutMs} ms waiting for ${what}` +
      (lastError ? `\nlast error: ${lastError.message}` : "") +
      (state ? `\n${state}` : "") +
      `\n--- instance log tail (${instance.logFile}) ---\n${logTail(instance)}`,
  );
}

/**
 * A client API call with `Authorization: Bearer <token>`; a JSON body is
 * sent as application/json.  Answers { status, contentType, text, json }
 * (json is null when the body is not JSON).
 */
export async function api(instance, token, method, path, body) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(new URL(path, instance.baseUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text, json };
}
