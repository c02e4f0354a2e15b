/**
 * The one thing the context work needs from a whole history rather than
 * from its newest turns: where its system and developer messages are (they
 * stay wherever they are), with every message's role checked on the way.
 *
 * A history is usually one array that grows: an agent or a chat pushes its
 * new messages and sends the same array again. So what a scan found is
 * remembered per array, and a list seen before is read again only from
 * where it grew. It is read from the start again when it looks edited: it
 * is shorter than before, its last message read is no longer at its place,
 * or a system message read is no longer at its place (so `shift`,
 * `splice`, `pop`, `unshift`, clearing it and replacing a system message
 * are all noticed). What is not noticed is a message in the part already
 * read replaced in place by a system or developer message (`history[i] =
 * …`, or its `role` changed): it is then dropped like the messages around
 * it. Pass a new array (`[...history]`) after such an edit.
 *
 * @module
 */

import { assertMessageList, assertValidMessage } from "../wire/messages.ts";
import type { ChatMessage } from "../types.ts";

interface Scan {
  /** Messages read so far: their roles were checked. */
  read: number;
  /** Of those, the first `whole` were checked whole (content and parts too). */
  whole: number;
  /** The message at `read - 1`, to notice an edit. */
  last: ChatMessage | undefined;
  /** Where the system and developer messages are, in order. */
  systems: number[];
  /** The messages at those places, to notice an edit. */
  systemMessages: ChatMessage[];
}

const scans = new WeakMap<readonly ChatMessage[], Scan>();

/**
 * @param messages A history (an array: checked by the caller).
 * @param whole Check every message whole, as a request does; otherwise its
 * role only (a message that is counted is checked whole when it is read).
 * @returns Where its system and developer messages are, in order; read it, do not change it.
 * @throws {InvalidMessageError} For a message without a known role, or,
 * with `whole`, a malformed one.
 */
export function systemIndexes(
  messages: readonly ChatMessage[],
  whole = false,
): readonly number[] {
  let scan = scans.get(messages);
  if (scan === undefined || edited(messages, scan)) {
    scan = {
      read: 0,
      whole: 0,
      last: undefined,
      systems: [],
      systemMessages: [],
    };
    scans.set(messages, scan);
  }
  const n = messages.length;
  try {
    if (whole) {
      for (let i = scan.whole; i < n; i++) assertValidMessage(messages[i], i);
      scan.whole = n;
    }
    const { systems, systemMessages } = scan;
    for (let i = scan.read; i < n; i++) {
      const message = messages[i];
      const role = message?.role;
      if (role === "system" || role === "developer") {
        systems.push(i);
        systemMessages.push(message);
      } else if (role !== "user" && role !== "assistant" && role !== "tool") {
        assertValidMessage(message, i);
      }
    }
  } catch (error) {
    // Read again from the start next time, whatever is fixed meanwhile.
    scans.delete(messages);
    throw error;
  }
  scan.read = n;
  scan.last = messages[n - 1];
  return scan.systems;
}

/** Whether the list changed other than by growing since it was read. */
function edited(messages: readonly ChatMessage[], scan: Scan): boolean {
  // A shorter list has no message (or another) where the last one read was.
  if (scan.read > 0 && messages[scan.read - 1] !== scan.last) return true;
  const { systems, systemMessages } = scan;
  for (let s = 0; s < systems.length; s++) {
    if (messages[systems[s]] !== systemMessages[s]) return true;
  }
  return false;
}

/**
 * A request's messages checked: a non-empty array of messages, each with a
 * known role, and, with `whole`, each well-formed. A list seen before is
 * checked again only from where it grew (see the module's note on edits).
 * Without `whole`, the fitting checks whole each message it reads, which is
 * every message sent: the older ones it drops unread cost a role's look.
 *
 * @param messages The caller's messages.
 * @param whole Check every message whole (content, parts, tool calls).
 * @throws {InvalidMessageError} For anything else.
 */
export function assertValidHistory(
  messages: unknown,
  whole = true,
): asserts messages is ChatMessage[] {
  assertMessageList(messages);
  systemIndexes(messages as ChatMessage[], whole);
}
