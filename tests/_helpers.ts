// Shared test helpers: fixtures, a logger that records, byte streams split on purpose.
import {
  type ChatCompletion,
  type ChatMessage,
  GptOssClient,
  type LogData,
  type Logger,
  type StreamDelta,
} from "../mod.ts";
import { type MockReply, startMockServer } from "../testing/mod.ts";

/** A captured fixture: where it came from, and the reply to replay. */
export interface Fixture extends MockReply {
  source: string;
  server: string;
  notes?: string;
}

export async function loadFixture(name: string): Promise<Fixture> {
  const text = await Deno.readTextFile(
    new URL(`./fixtures/${name}`, import.meta.url),
  );
  const fixture = JSON.parse(text) as Fixture;
  if (!fixture.source) {
    throw new Error(`Fixture ${name} does not name its source.`);
  }
  return fixture;
}

/**
 * Streams a fixture from a fresh mock server, its bytes cut at places chosen
 * by `seed`, and keeps what the caller would see: the deltas, then the
 * completion or the error.
 */
export async function replayStream(
  fixtureName: string,
  seed: number,
  messages: ChatMessage[] = [{ role: "user", content: "hi" }],
): Promise<
  {
    deltas: StreamDelta[];
    failure: unknown;
    completion: ChatCompletion | undefined;
  }
> {
  const fixture = await loadFixture(fixtureName);
  await using server = await startMockServer();
  server.enqueue({ ...fixture, writes: randomWrites(fixture.sse!, seed) });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(messages);
  const deltas: StreamDelta[] = [];
  let failure: unknown;
  try {
    for await (const delta of stream) deltas.push(delta);
  } catch (error) {
    failure = error;
  }
  return {
    deltas,
    failure,
    completion: failure ? undefined : await stream.completion(),
  };
}

export interface LogLine {
  level: keyof Logger;
  message: string;
  data?: LogData;
}

/** A logger that keeps every line, at every level. */
export function recordingLogger(): Logger & {
  lines: LogLine[];
  text(): string;
} {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string, data?: LogData) =>
    lines.push({ level, message, ...(data === undefined ? {} : { data }) });
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () =>
      lines.map((l) =>
        `${l.level} ${l.message} ${JSON.stringify(l.data ?? {})}`
      ).join("\n"),
  };
}

/** A body stream that yields the given byte pieces, one per read. */
export function byteStream(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
  });
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A small deterministic generator, so that a failing split can be replayed. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/** Byte offsets that split a text's UTF-8 bytes into random writes. */
export function randomWrites(text: string, seed: number): number[] {
  const length = new TextEncoder().encode(text).length;
  const next = seededRandom(seed);
  const cuts = new Set<number>();
  const count = 1 + Math.floor(next() * Math.min(12, length));
  while (cuts.size < count && length > 1) {
    cuts.add(1 + Math.floor(next() * (length - 1)));
  }
  return [...cuts].sort((a, b) => a - b);
}

/**
 * Cuts a text or a byte array at the given places (each taken modulo its
 * length + 1; repeats and order do not matter), for fuzzing splits.
 */
export function splitAt<T extends string | Uint8Array>(
  value: T,
  cuts: number[],
): T[] {
  const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((
    a,
    b,
  ) => a - b);
  const pieces: T[] = [];
  let from = 0;
  for (const at of [...points, value.length]) {
    pieces.push(value.slice(from, at) as T);
    from = at;
  }
  return pieces;
}

/**
 * Polls `condition` every 10 ms until it holds or `tries` run out; for what
 * the other end of a socket notices a moment later (a cancelled request).
 * The caller asserts the condition afterwards.
 */
export async function waitFor(
  condition: () => boolean,
  tries = 100,
): Promise<void> {
  for (let i = 0; i < tries && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first of `names` found in a folder of the PATH, as a full path. */
export function findOnPath(...names: string[]): string | undefined {
  const folders = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  for (const name of names) {
    for (const folder of folders) {
      try {
        if (Deno.statSync(`${folder}/${name}`).isFile) {
          return `${folder}/${name}`;
        }
      } catch { /* not in this folder */ }
    }
  }
  return undefined;
}
