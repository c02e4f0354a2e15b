/**
 * What the command line reads from its surroundings, asking for nothing it
 * was not granted: environment variables only with `--allow-env`, never a
 * permission prompt.
 *
 * @module
 */

/** Reads a variable where `--allow-env` grants it, without a prompt. */
export function envVar(name: string): string | undefined {
  const state = Deno.permissions.querySync?.({ name: "env", variable: name })
    .state;
  return state === "granted" ? Deno.env.get(name) : undefined;
}

/**
 * Whether the program may connect to the server, without a prompt.
 *
 * @param baseUrl The server's base URL.
 * @returns `undefined` when it may, or the flag to add.
 */
export function missingNetPermission(baseUrl: string): string | undefined {
  const { host } = new URL(baseUrl);
  const state = Deno.permissions.querySync?.({ name: "net", host }).state;
  return state === "granted" || state === undefined
    ? undefined
    : `--allow-net=${host} (or --allow-net)`;
}

/** Whether a value says the program lacked a permission. */
export function isPermissionError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (
      e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.PermissionDenied
    ) return true;
  }
  return false;
}
