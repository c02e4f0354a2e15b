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
}

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
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  const root = `${url.origin}${path}`;
  return {
    root,
    display: root,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

/**
 * @param url Any URL text.
 * @returns The URL with user name and password removed, for logs and errors.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/?#@]*@/, "//");
  }
}
