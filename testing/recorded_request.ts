/**
 * What the mock server remembers of each request.
 *
 * @module
 */

/**
 * A request as the mock server received it.
 *
 * @example Checking what the client sent
 * ```ts
 * import type { RecordedRequest } from "@gptoss/client/testing";
 * const wasStreamed = (r: RecordedRequest) => (r.body as { stream?: boolean }).stream === true;
 * ```
 */
export interface RecordedRequest {
  /** The HTTP method. */
  method: string;
  /** The path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The headers, names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or its text when it is not JSON, or `undefined`. */
  body: unknown;
  /** Set when the client stopped reading the reply before its end. */
  cancelled: boolean;
}
