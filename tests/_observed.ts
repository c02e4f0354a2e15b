/**
 * What a caller of `streamResponse` observed, in the terms of the reference
 * model (tests/_wire_model.ts), and the check of it against what the model
 * expects: shared by the stream's model tests.
 */

import assert from "node:assert/strict";
import { type ChatCompletion, GptOssError, type StreamDelta } from "../mod.ts";
import type { ChoiceTruth, Expected } from "./_wire_model.ts";

/** What the caller saw, normalised the way the model states it. */
export interface Observed {
  choices: Map<number, ChoiceTruth>;
  segments: string[];
  usage?: unknown;
}

export function observe(deltas: StreamDelta[]): Observed {
  const choices = new Map<number, ChoiceTruth>();
  const perChoice = new Map<number, string[]>();
  const truth = (c: number) => {
    let t = choices.get(c);
    if (!t) {
      choices.set(
        c,
        t = { content: "", reasoning: "", calls: [], finish: null },
      );
    }
    return t;
  };
  truth(0);
  const segment = (label: string) => {
    const c = Number(label.split(":")[0]);
    const list = perChoice.get(c) ?? [];
    if (list.at(-1) !== label) list.push(label);
    perChoice.set(c, list);
  };
  let usage: unknown;
  for (const delta of deltas) {
    const c = delta.choice ?? 0;
    const t = truth(c);
    // A caller that keeps text by kind, in the order it comes.
    if (delta.reasoning) {
      t.reasoning += delta.reasoning;
      segment(`${c}:reasoning`);
    }
    if (delta.content) {
      t.content += delta.content;
      segment(`${c}:content`);
    }
    for (const piece of delta.toolCalls ?? []) {
      // A caller that collects calls the naive way: by index, appending.
      const call = t.calls[piece.index] ??= { id: "", name: "", arguments: "" };
      if (piece.id && !call.id) call.id = piece.id;
      call.name += piece.function?.name ?? "";
      call.arguments += piece.function?.arguments ?? "";
      segment(`${c}:tool`);
    }
    if (delta.finishReason) t.finish = delta.finishReason;
    if (delta.usage) usage = delta.usage;
  }
  const segments = [...perChoice].sort(([a], [b]) => a - b).flatMap(([, l]) =>
    l
  );
  return { choices, segments, ...(usage ? { usage } : {}) };
}

/** The completion's choices, in the model's terms. */
export function fromCompletion(
  completion: ChatCompletion,
): Map<number, ChoiceTruth> {
  return new Map(completion.choices.map((choice) => [choice.index, {
    content: choice.message.content ?? "",
    reasoning: choice.message.reasoning ?? "",
    calls: (choice.message.tool_calls ?? []).map((c) => ({
      id: c.id,
      name: c.function.name,
      arguments: c.function.arguments,
    })),
    finish: choice.finish_reason,
  }]));
}

/** The model's choices without finish reasons (an error's partial may have them or not). */
export function texts(choices: Map<number, ChoiceTruth>) {
  return [...choices].filter(([, t]) =>
    t.content || t.reasoning || t.calls.length
  )
    .map(([c, t]) => [c, { ...t, finish: null }]);
}

/** What one replay gave the caller. */
export interface Run {
  deltas: StreamDelta[];
  completion?: ChatCompletion;
  error?: unknown;
}

/**
 * Asserts that a run gave what the model expects: the deltas in order, the
 * completion, or a typed error after what arrived, with its partial.
 *
 * @param secret The credential configured for the run, which nothing shown may hold.
 */
export function check(
  want: Expected,
  run: Run,
  secret?: string,
): void {
  const seen = observe(run.deltas);
  // The deltas, in order: every text, call and finish the script sent before its end or failure.
  assert.deepEqual(seen.segments, want.segments, "the order of the deltas");
  if (want.error === undefined) {
    assert.equal(run.error, undefined, `unexpected ${run.error}`);
    assert.deepEqual(
      [...seen.choices],
      [...want.choices],
      "what the deltas told",
    );
    const completion = run.completion!;
    assert.deepEqual(
      [...fromCompletion(completion)],
      [...want.choices],
      "the completion",
    );
    assert.equal(completion.incomplete, undefined);
    assert.deepEqual(completion.usage, want.usage);
    assert.deepEqual(seen.usage, want.usage);
    return;
  }
  // A failure: a typed error of the right class, after every delta that arrived before it.
  const error = run.error;
  assert.ok(error instanceof GptOssError, `a typed error, not ${error}`);
  assert.equal(error.name, want.error, error.message);
  assert.deepEqual(
    texts(seen.choices),
    texts(want.choices),
    "what arrived before the failure",
  );
  if (error.partial) {
    assert.equal(error.partial.incomplete, true);
    assert.deepEqual(
      texts(fromCompletion(error.partial)),
      texts(want.choices),
      "the partial",
    );
  } else {
    assert.deepEqual(
      texts(want.choices),
      [],
      "a failure with nothing arrived has no partial",
    );
  }
  if (secret) {
    for (
      const shown of [error.message, JSON.stringify(error), Deno.inspect(error)]
    ) {
      assert.ok(
        !shown.includes(secret.slice(3, 9)),
        "no piece of the secret is shown",
      );
    }
  }
}
