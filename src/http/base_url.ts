/**
 * The server's address: the base URL normalised once, so that every endpoint
 * is `root + path` whether the caller wrote `http://host:8000`,
 * `http://host:8000/`, `http://host:8000/v1` or `http://host:8000/v1/`.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/** A normalised base URL. */
export interface ServerAddress {
  /** Scheme, host, port and any path prefix, without `/v1` and without a trailing slash. */
  root: string;
  /** The root as it may be shown: without credentials. */
  display: string;
  /** A user name embedded in the URL, moved out of it. */
  username?: string;
  /** A password embedded in the URL, moved out of it: a secret. */
  password?: string;
  /** The endpoint path a pasted URL ended with, taken off (`/v1/chat/completions`). */
  endpoint?: string;
}

/** Endpoint paths a pasted base URL may end with: the client adds them itself. */
const ENDPOINT =
  /(?:\/v1)?\/(?:chat\/completions|completions|responses|models)$|\/api\/(?:chat|generate)$/;

/**
 * @param baseUrl The caller's base URL.
 * @returns The normalised address; credentials are moved out of the URL
 * because `fetch` refuses URLs that carry them.
 * @throws {ConfigError} When it is not an absolute http(s) URL.
 */
export function parseBaseUrl(baseUrl: unknown): ServerAddress {
  const accepted =
    'an absolute http(s) URL such as "http://localhost:8000" (with or without /v1)';
  if (typeof baseUrl !== "string") {
    throw new ConfigError("baseUrl", baseUrl, accepted);
  }
  // The rejected value is shown without credentials: it may hold a password.
  const shown = displayUrl(baseUrl);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError("baseUrl", shown, accepted);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("baseUrl", shown, accepted);
  }
  if (url.search || url.hash) {
    throw new ConfigError(
      "baseUrl",
      shown,
      `${accepted}, without a query or fragment`,
    );
  }
  const username = decodeCredential(url.username, shown, accepted);
  const password = decodeCredential(url.password, shown, accepted);
  url.username = "";
  url.password = "";
  let path = url.pathname.replace(/\/+$/, "");
  const endpoint = ENDPOINT.exec(path)?.[0];
  if (endpoint) path = path.slice(0, -endpoint.length);
  path = path.replace(/\/v1$/, "");
  const root = `${url.origin}${path}`;
  return {
    root,
    display: root,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** A user name or password from a URL, percent-decoded. */
function decodeCredential(
  text: string,
  shown: string,
  accepted: string,
): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConfigError(
      "baseUrl",
      shown,
      `${accepted}; its user name or password has a % that starts no escape (write %25 for a %)`,
    );
  }
}

/** Query parameters whose values are credentials. */
const CREDENTIAL_PARAMETER =
  /key|token|secret|password|passwd|pwd|auth|sig|signature|credential|session/i;

/**
 * @param url Any URL text.
 * @returns The URL with user name and password removed, and the values of
 * credential-like query parameters (`api-key`, `token`, …) hidden, for logs
 * and errors.
 */
export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/?#@]*@/, "//").replace(
      /([?&][^=&#]*(?:key|token|secret|password|passwd|pwd|auth|sig|credential|session)[^=&#]*=)[^&#]*/gi,
      "$1[redacted]",
    );
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = "";
    parsed.password = "";
    changed = true;
  }
  if (parsed.search) {
    const pairs = parsed.search.slice(1).split("&").map((pair) => {
      const at = pair.indexOf("=");
      if (at === -1 || !CREDENTIAL_PARAMETER.test(pair.slice(0, at))) {
        return pair;
      }
      changed = true;
      return `${pair.slice(0, at)}=[redacted]`;
    });
    parsed.search = pairs.join("&");
  }
  return changed ? parsed.href : url;
}
