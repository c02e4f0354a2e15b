// The scan of a whole history (src/context/history_scan.ts), remembered per
// array: after any sequence of the edits it promises to notice, what it
// returns and throws equals a fresh scan of the list; and the request
// check, truncateMessages and validateContext read only what was added.
import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  type ChatMessage,
  InvalidMessageError,
  truncateMessages,
  validateContext,
} from "../mod.ts";
import {
  assertValidHistory,
  systemIndexes,
} from "../src/context/history_scan.ts";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

/** What a scan of the whole list must find, or the index of the first bad message. */
function reference(
  list: readonly ChatMessage[],
  whole: boolean,
): number[] | { bad: number } {
  const systems: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as unknown as Record<string, unknown> | null;
    const role = m?.role;
    if (typeof role !== "string" || !ROLES.has(role)) return { bad: i };
    if (whole && typeof m!.content !== "string") return { bad: i };
    if (role === "system" || role === "developer") systems.push(i);
  }
  return systems;
}

function observed(
  list: readonly ChatMessage[],
  whole: boolean,
): number[] | { bad: number } {
  try {
    return [...systemIndexes(list, whole)];
  } catch (error) {
    assert.ok(error instanceof InvalidMessageError, String(error));
    return { bad: error.index };
  }
}

type Kind =
  | "system"
  | "developer"
  | "user"
  | "assistant"
  | "tool"
  | "bad-role"
  | "bad-content";
const kind = fc.constantFrom<Kind>(
  "system",
  "developer",
  "user",
  "user",
  "assistant",
  "assistant",
  "tool",
  "bad-role",
  "bad-content",
);
let made = 0;
function message(k: Kind): ChatMessage {
  const content = `m${made++}`;
  if (k === "bad-role") {
    return { role: "bot", content } as unknown as ChatMessage;
  }
  if (k === "bad-content") {
    return { role: "user", content: 42 } as unknown as ChatMessage;
  }
  if (k === "tool") return { role: "tool", tool_call_id: "c", content };
  return { role: k, content };
}
const isSystem = (m: ChatMessage) =>
  m?.role === "system" || m?.role === "developer";

/** The edits the scan promises to notice, and in-place edits it need not. */
type Edit =
  | { op: "push" | "unshift"; kinds: Kind[] }
  | { op: "pop" | "shift" | "copy" | "clear" }
  | { op: "splice"; at: number; remove: number; kinds: Kind[] }
  | { op: "shorten"; to: number }
  | { op: "replace"; at: number; kind: Kind }
  | { op: "check"; whole: boolean };
const kinds = fc.array(kind, { maxLength: 4 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 4,
    arbitrary: kinds.map((k) => ({ op: "push" as const, kinds: k })),
  },
  {
    weight: 1,
    arbitrary: kinds.map((k) => ({ op: "unshift" as const, kinds: k })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { op: "pop" as const },
      { op: "shift" as const },
      { op: "copy" as const },
      { op: "clear" as const },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("splice" as const),
      at: fc.nat(30),
      remove: fc.nat(3),
      kinds,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("shorten" as const),
      to: fc.nat(30),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("replace" as const),
      at: fc.nat(12),
      kind,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.boolean().map((whole) => ({ op: "check" as const, whole })),
  },
);

/** What the scan last read of a list: a copy of it, and how much was checked whole. */
interface Seen {
  copy: ChatMessage[];
  whole: number;
}

/**
 * Whether the list changed since it was read only in the way the module's
 * note says is not noticed: a message of the part read replaced in place by
 * a system or developer message or one with a bad role (or, in the part
 * checked whole, a malformed one), while nothing it does notice happened.
 */
function unnoticed(list: readonly ChatMessage[], seen: Seen | undefined) {
  if (!seen) return false;
  const { copy } = seen;
  const r = copy.length;
  if (list.length < r || (r > 0 && list[r - 1] !== copy[r - 1])) return false;
  for (let i = 0; i < r; i++) {
    if (isSystem(copy[i]) && list[i] !== copy[i]) return false;
  }
  for (let i = 0; i < r - 1; i++) {
    if (list[i] === copy[i]) continue;
    const role = (list[i] as { role?: unknown } | null)?.role;
    if (isSystem(list[i]) || typeof role !== "string" || !ROLES.has(role)) {
      return true;
    }
    if (i < seen.whole && typeof list[i].content !== "string") return true;
  }
  return false;
}

Deno.test("systemIndexes() equals a fresh scan after any sequence of pushes, removals, splices, copies and replacements", () => {
  let compared = 0;
  let skipped = 0;
  fc.assert(
    fc.property(
      fc.array(kind, { minLength: 2, maxLength: 12 }),
      fc.array(edit, { minLength: 10, maxLength: 60 }),
      (start, edits) => {
        let list = start.map(message);
        let seen: Seen | undefined;
        for (const e of edits) {
          if (e.op === "check") {
            if (unnoticed(list, seen)) {
              // The documented gap; a new array is read from the start.
              skipped++;
              list = [...list];
              seen = undefined;
            }
            const want = reference(list, e.whole);
            assert.deepEqual(observed(list, e.whole), want);
            compared++;
            if (!Array.isArray(want)) seen = undefined;
            else {
              const fresh = !seen || seen.copy.length > list.length ||
                list[seen.copy.length - 1] !== seen.copy.at(-1) ||
                seen.copy.some((m, i) => isSystem(m) && list[i] !== m);
              const whole = e.whole ? list.length : fresh ? 0 : seen!.whole;
              seen = { copy: [...list], whole };
            }
            continue;
          }
          if (e.op === "push") list.push(...e.kinds.map(message));
          else if (e.op === "unshift") list.unshift(...e.kinds.map(message));
          else if (e.op === "pop") list.pop();
          else if (e.op === "shift") list.shift();
          else if (e.op === "copy") {
            list = [...list];
            seen = undefined;
          } else if (e.op === "clear") list.length = 0;
          else if (e.op === "shorten") {
            list.length = Math.min(list.length, e.to);
          } else if (e.op === "splice") {
            list.splice(e.at, e.remove, ...e.kinds.map(message));
          } else if (e.op === "replace" && e.at < list.length) {
            list[e.at] = message(e.kind);
          }
        }
        if (unnoticed(list, seen)) list = [...list];
        assert.deepEqual(observed(list, true), reference(list, true));
      },
    ),
    { numRuns: 2000, seed: 1616 },
  );
  // Both kinds of check happened, most of them compared.
  assert.ok(compared > 10 * skipped && skipped > 0, `${compared}/${skipped}`);
});

Deno.test("systemIndexes() does not notice a message of the part read replaced in place by a system message: a new array does", () => {
  const list: ChatMessage[] = [
    { role: "system", content: "s" },
    { role: "user", content: "a" },
    { role: "assistant", content: "b" },
    { role: "user", content: "c" },
  ];
  assert.deepEqual(systemIndexes(list), [0]);
  list[1] = { role: "developer", content: "d" };
  assert.deepEqual(systemIndexes(list), [0]);
  assert.deepEqual(systemIndexes([...list]), [0, 1]);
  // The last message read is checked: replacing it is noticed.
  list[3] = { role: "system", content: "e" };
  assert.deepEqual(systemIndexes(list), [0, 1, 3]);
});

Deno.test("assertValidHistory() checks each message whole once per list: a malformed one added later is found by its index", () => {
  const list: ChatMessage[] = [{ role: "user", content: "hi" }];
  assertValidHistory(list);
  list.push({ role: "assistant", content: [{ type: "text" }] } as never);
  assert.throws(
    () => assertValidHistory(list),
    (e: unknown) => e instanceof InvalidMessageError && e.index === 1,
  );
  // Still found after a role-only scan read past it.
  systemIndexes(list.slice(0, 1));
  assert.throws(() => assertValidHistory(list), InvalidMessageError);
  list[1] = { role: "assistant", content: "ok" };
  assertValidHistory(list);
  assert.throws(() => assertValidHistory([]), InvalidMessageError);
  assert.throws(() => assertValidHistory("hi"), InvalidMessageError);
});

/** A history whose messages count their reads of `role` (a Proxy per message). */
function watchedHistory(
  size: number,
): { list: ChatMessage[]; reads: () => number } {
  let reads = 0;
  const list: ChatMessage[] = [{ role: "system", content: "Be brief." }];
  for (let i = 1; i < size; i++) {
    const m: ChatMessage = i % 2
      ? { role: "user", content: `Question ${i} about the ${i}th item?` }
      : { role: "assistant", content: `Answer ${i}: it is ${i % 97}.` };
    list.push(
      new Proxy(m, {
        get(target, key) {
          if (key === "role") reads++;
          return Reflect.get(target, key);
        },
      }),
    );
  }
  list.push({ role: "user", content: "Summarise." });
  return { list, reads: () => reads };
}

Deno.test("truncateMessages() and validateContext() read the roles of a long history once: the same list again, or grown, reads only its newest messages", () => {
  for (const check of [truncateMessages, validateContext]) {
    const { list, reads } = watchedHistory(20_000);
    check(list, { currentDate: "2025-08-05" });
    const first = reads();
    assert.ok(first >= 20_000, `${first} reads the first time`);
    check(list, { currentDate: "2025-08-05" });
    const again = reads() - first;
    list.push({ role: "assistant", content: "Done." }, {
      role: "user",
      content: "More?",
    });
    check(list, { currentDate: "2025-08-05" });
    const grown = reads() - first - again;
    // Only what the window holds is read again (under 8192 tokens: well
    // under 2,000 of these messages), not the 20,000.
    assert.ok(again < 2_000, `${again} reads the second time`);
    assert.ok(grown < 2_000, `${grown} reads after it grew`);
  }
});
