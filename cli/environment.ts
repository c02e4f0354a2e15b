/**
 * What the command line reads from its surroundings, asking for nothing it
 * was not granted: environment variables only with `--allow-env`, never a
 * permission prompt.
 *
 * @module
 */

/** The variables the command line reads. */
export const ENV_VARS = [
  "GPT_OSS_BASE_URL",
  "GPT_OSS_API_KEY",
  "GPT_OSS_MODEL",
] as const;

function granted(name: string): boolean {
  return Deno.permissions.querySync?.({ name: "env", variable: name })
    .state === "granted";
}

/** Reads a variable where `--allow-env` grants it, without a prompt. */
export function envVar(name: string): string | undefined {
  return granted(name) ? Deno.env.get(name) : undefined;
}

/**
 * @returns The flag that lets the command line read its variables, when it
 * may not read some of them; `undefined` when it may read them all.
 */
export function missingEnvPermission(): string | undefined {
  return ENV_VARS.every(granted)
    ? undefined
    : `--allow-env=${ENV_VARS.join(",")}`;
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
