/**
 * No piece of a secret is ever shown: for any secret, put in any place a
 * caller can put one (the API key, a user name or password in the base URL,
 * a credential header of the client or of one call), echoed by the server in
 * any body (an error message cut to 300 characters, a body excerpt cut to
 * 4 KB, an error event in a stream, an event too long to keep), at any
 * offset, no run of six or more of its characters appears in the error's
 * message, its fields, `JSON.stringify`, `Deno.inspect`, its stack, or a
 * log line.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { GptOssClient, GptOssError } from "../mod.ts";
import { type MockReply, sseEvent, startMockServer } from "../testing/mod.ts";
import { MIN_PIECE, Redactor } from "../src/redact.ts";
import { recordingLogger } from "./_helpers.ts";

const KEY_CHARS =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+/=";
const secretArb = fc.string({
  unit: fc.constantFrom(...KEY_CHARS),
  minLength: MIN_PIECE,
  maxLength: 48,
});

/** The first piece of `secret` of at least MIN_PIECE characters found in `text`, if any. */
function pieceShown(text: string, secret: string): string | undefined {
  for (let i = 0; i + MIN_PIECE <= secret.length; i++) {
    const piece = secret.slice(i, i + MIN_PIECE);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

Deno.test("Redactor.text() hides every piece of six or more characters of a secret, however the text was cut", () => {
  fc.assert(
    fc.property(
      secretArb,
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 60 }),
      fc.nat(),
      fc.nat(),
      (secret, before, after, a, b) => {
        const text = `${before}${secret}${after}${secret.slice(0, 9)}`;
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        const shown = new Redactor([secret]).text(text.slice(from, to));
        assert.equal(pieceShown(shown, secret), undefined, shown);
      },
    ),
    { numRuns: 5000, seed: 8181 },
  );
});

Deno.test("Redactor.error() hides a secret in a stack that was read before, and never writes to the caller's objects", () => {
  const secret = "sk-stack-abcdef123456";
  const error = new GptOssError(`failed with ${secret}`);
  const stack = error.stack!; // read before the redaction runs
  assert.ok(stack.includes(secret));
  const reason = Object.freeze(new Error(`reason ${secret}`));
  const wrapped = new GptOssError("aborted", { cause: reason });
  const redactor = new Redactor([secret]);
  redactor.error(error);
  redactor.error(wrapped);
  assert.ok(!error.stack!.includes(secret) && !error.message.includes(secret));
  assert.equal(
    reason.message,
    `reason ${secret}`,
    "the caller's object is untouched",
  );
  assert.ok(
    !Deno.inspect(wrapped, { depth: 5 }).includes(secret),
    "its stand-in is shown instead",
  );
  const plain = new Error("nothing secret");
  assert.equal(new GptOssError("x", { cause: plain }).cause, plain);
  const quiet = new GptOssError("aborted", { cause: plain });
  redactor.error(quiet);
  assert.equal(
    quiet.cause,
    plain,
    "a cause that shows no secret stays the same object",
  );
});

type Place =
  | "apiKey"
  | "urlPassword"
  | "urlUser"
  | "configHeader"
  | "callHeader";
type Echo =
  | "json-message"
  | "text-body"
  | "stream-error"
  | "long-event"
  | "json-200";

function reply(echo: Echo, secret: string, offset: number): MockReply {
  const pad = "x".repeat(offset);
  const message = `${pad}bad key ${secret} given ${pad}`;
  switch (echo) {
    case "json-message":
      return { status: 401, json: { error: { message, type: "auth" } } };
    case "text-body":
      return {
        status: 400,
        text: `${"y".repeat(4096 - 10 + (offset % 20))}${message}`,
        headers: { "content-type": "text/plain" },
      };
    case "stream-error":
      return {
        sse: sseEvent({ choices: [{ index: 0, delta: { content: "Hi" } }] }) +
          sseEvent({ error: { message } }),
      };
    case "long-event":
      return {
        sse: sseEvent({
          choices: [{
            index: 0,
            delta: {
              content: `${"z".repeat(190 - (offset % 40))}${secret}${
                "z".repeat(2000)
              }`,
            },
          }],
        }),
      };
    case "json-200":
      return { json: { error: message } };
  }
}

Deno.test("no piece of a secret is shown, wherever the caller put it and however the server echoes it", async () => {
  await using server = await startMockServer();
  await fc.assert(
    fc.asyncProperty(
      secretArb.filter((s) => !/[/=+~]/.test(s.slice(0, 1))),
      fc.constantFrom<Place>(
        "apiKey",
        "urlPassword",
        "urlUser",
        "configHeader",
        "callHeader",
      ),
      fc.constantFrom<Echo>(
        "json-message",
        "text-body",
        "stream-error",
        "long-event",
        "json-200",
      ),
      fc.nat({ max: 320 }),
      fc.boolean(),
      async (secret, place, echo, offset, streamed) => {
        const logger = recordingLogger();
        const url = new URL(server.url);
        if (place === "urlPassword") url.password = encodeURIComponent(secret);
        if (place === "urlUser") url.username = encodeURIComponent(secret);
        const client = new GptOssClient({
          baseUrl: url.href,
          model: "m",
          maxRetries: 1,
          logger,
          maxResponseBytes: 1500,
          ...(place === "apiKey" ? { apiKey: secret } : {}),
          ...(place === "configHeader"
            ? { headers: { "x-api-key": secret } }
            : {}),
        });
        // A retried first answer puts the echo in a log line too.
        server.enqueue({
          status: 503,
          json: { error: { message: `busy, key ${secret}` } },
          headers: { "retry-after-ms": "1" },
        });
        server.enqueue(reply(echo, secret, offset));
        const options = place === "callHeader"
          ? { headers: { authorization: `Bearer ${secret}` } }
          : {};
        const ask = [{ role: "user" as const, content: "hi" }];
        let error: unknown;
        try {
          if (streamed || echo === "stream-error" || echo === "long-event") {
            const stream = client.streamResponse(ask, options);
            for await (const _ of stream) { /* reading */ }
          } else {
            await client.generateResponse(ask, options);
          }
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof GptOssError, `${place}/${echo}: ${error}`);
        const outputs = {
          message: error.message,
          fields: JSON.stringify(Object.entries(error)),
          json: JSON.stringify(error),
          inspect: Deno.inspect(error, { depth: 10 }),
          stack: error.stack ?? "",
          logs: logger.text(),
        };
        for (const [where, shown] of Object.entries(outputs)) {
          const piece = pieceShown(shown, secret);
          assert.equal(
            piece,
            undefined,
            `${place}/${echo}: ${where} shows ${piece}`,
          );
        }
      },
    ),
    { numRuns: 200, seed: 9191 },
  );
});
