/**
 * The typed errors of the client. Every error extends {@link GptOssError};
 * each message says what happened and what to do next. No error ever carries
 * a request header, so the API key cannot leak through one.
 *
 * @module
 */

export { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";
export { ConfigError } from "./config_error.ts";
export { InvalidMessageError } from "./invalid_message_error.ts";
export { ConnectionError } from "./connection_error.ts";
export { TimeoutError, type TimeoutLimit } from "./timeout_error.ts";
export { ApiError, type ApiErrorDetails } from "./api_error.ts";
export { InvalidResponseError } from "./invalid_response_error.ts";
export {
  type ContextSizeDetails,
  ContextSizeError,
} from "./context_size_error.ts";
export { AbortError } from "./abort_error.ts";
export { ToolCallError } from "./tool_call_error.ts";
export { StructuredOutputError } from "./structured_output_error.ts";
