/**
 * The conversation loop: each line is a turn, the history is kept and fitted
 * to the context window by the library (and the user is told when turns were
 * dropped), and a few commands change the conversation.
 *
 * @module
 */

import {
  AbortError,
  type ChatMessage,
  type GptOssClient,
  type ReasoningEffort,
} from "../mod.ts";
import type { CliOptions } from "./args.ts";
import { type ReadLine, readMessage } from "./chat_input.ts";
import { showAnswer } from "./answer.ts";
import { isPermissionError } from "./environment.ts";
import { describeFailure, EXIT } from "./failure.ts";
import type { Interrupts } from "./interrupts.ts";
import { contextSize, timeDiscovery, waitingFor } from "./one_shot.ts";
import { statsLine } from "./stats_line.ts";
import type { Terminal } from "./terminal.ts";

const HELP = `Commands:
  /reset          forget the conversation (the system prompt stays)
  /system TEXT    set the system prompt ("/system" alone removes it)
  /effort LEVEL   reasoning effort from now on: low, medium or high ("/effort" shows it)
  /save FILE      write the conversation to FILE as JSON (needs --allow-write)
  """             begin and end a message of several lines (or end lines with \\)
  /exit           leave (also /quit, /bye, exit, Ctrl-D; Ctrl-C stops an answer, or leaves at the prompt)`;

/** The state of one conversation. */
interface Conversation {
  system?: string;
  effort?: ReasoningEffort;
  history: ChatMessage[];
  /** The time finding the server took, for the first stats line. */
  discoveryMs?: number;
}

/**
 * @param read The user's lines: typed (edited in place), or piped.
 * @param interactive Whether a person is typing (prompt marks and a welcome).
 * @returns The exit code: 0, or 1 when a turn failed, 130 when interrupted at the prompt.
 */
export async function runChat(
  client: GptOssClient,
  options: CliOptions,
  term: Terminal,
  read: ReadLine,
  interrupts: Interrupts,
  idle: Promise<void>,
  interactive: boolean,
): Promise<number> {
  const chat: Conversation = {
    history: [],
    ...(options.system ? { system: options.system } : {}),
    ...(options.effort ? { effort: options.effort } : {}),
  };
  let failed = false;
  let statsStarted = false;
  if (interactive) {
    term.err(
      term.dim(
        `${
          waitingFor(client).replace("waiting for", "Chatting with")
        }. /help for commands.\n`,
      ),
    );
  }
  for (;;) {
    const next = await Promise.race([
      readMessage(read, interactive ? "› " : "", interactive ? "… " : ""),
      idle.then(() => "interrupted" as const),
    ]);
    if (next === "interrupted") {
      if (!interactive) term.err("\n");
      return EXIT.interrupted;
    }
    if (next === null) return failed ? EXIT.failed : EXIT.ok;
    const line = next.trim();
    if (!line) continue;
    // What people type to leave, as ollama run takes it: not sent to the model.
    if (/^(exit|quit|bye)$/i.test(line)) return failed ? EXIT.failed : EXIT.ok;
    if (line.startsWith("/")) {
      const exit = await command(line, chat, term);
      if (exit) return failed ? EXIT.failed : EXIT.ok;
      continue;
    }
    if (options.stats && chat.history.length === 0 && !statsStarted) {
      statsStarted = true;
      const ms = await timeDiscovery(client);
      if (ms !== undefined) chat.discoveryMs = ms;
    }
    const ok = await turn(client, options, chat, line, term, interrupts);
    if (!ok) failed = true;
  }
}

/** One exchange. @returns `false` when it failed. */
async function turn(
  client: GptOssClient,
  options: CliOptions,
  chat: Conversation,
  question: string,
  term: Terminal,
  interrupts: Interrupts,
): Promise<boolean> {
  const asked: ChatMessage = { role: "user", content: question };
  chat.history.push(asked);
  const messages: ChatMessage[] = [
    ...(chat.system ? [{ role: "system" as const, content: chat.system }] : []),
    ...chat.history,
  ];
  const signal = interrupts.begin();
  try {
    const completion = await showAnswer(
      client,
      messages,
      {
        signal,
        ...(chat.effort ? { reasoningEffort: chat.effort } : {}),
      },
      term,
      {
        showReasoning: options.showReasoning,
        noStream: options.noStream,
        waitingFor: waitingFor(client),
      },
    );
    const { content, reasoning } = completion.choices[0].message;
    chat.history.push({
      role: "assistant",
      content: content ?? "",
      ...(reasoning ? { reasoning } : {}),
    });
    const dropped = completion.truncation?.dropped ?? [];
    if (dropped.length) {
      // The library fitted the request (and showAnswer said so); the
      // history follows, so it stays bounded.
      const gone = new Set(dropped);
      chat.history = chat.history.filter((m) => !gone.has(m));
    }
    if (options.stats) {
      term.err(
        `${
          statsLine(completion, await contextSize(client), chat.discoveryMs)
        }\n`,
      );
      delete chat.discoveryMs;
    }
    return true;
  } catch (error) {
    if (error instanceof AbortError) {
      // Ctrl-C stopped this answer: keep what arrived, go on.
      const partial = error.partial?.choices[0].message.content;
      if (partial) chat.history.push({ role: "assistant", content: partial });
      else chat.history.pop();
      term.err(term.dim("(answer stopped)\n"));
      return true;
    }
    chat.history.pop();
    term.err(
      `error: ${describeFailure(error, client.settings.baseUrl).message}\n`,
    );
    return false;
  } finally {
    interrupts.end();
  }
}

/** Runs a /command. @returns `true` to leave. */
async function command(
  line: string,
  chat: Conversation,
  term: Terminal,
): Promise<boolean> {
  const space = line.indexOf(" ");
  const name = space === -1 ? line : line.slice(0, space);
  const arg = space === -1 ? "" : line.slice(space + 1).trim();
  switch (name) {
    case "/exit":
    case "/quit":
    case "/bye":
      return true;
    case "/help":
      term.err(`${HELP}\n`);
      return false;
    case "/reset":
      chat.history = [];
      term.err(term.dim("(conversation forgotten)\n"));
      return false;
    case "/system":
      if (arg) chat.system = arg;
      else delete chat.system;
      term.err(
        term.dim(arg ? "(system prompt set)\n" : "(system prompt removed)\n"),
      );
      return false;
    case "/effort":
      if (!arg) {
        term.err(term.dim(
          `(reasoning effort ${
            chat.effort ?? "as the server sets it (medium)"
          }; /effort low, medium or high changes it)\n`,
        ));
        return false;
      }
      if (arg !== "low" && arg !== "medium" && arg !== "high") {
        term.err(
          `error: /effort takes low, medium or high, not ${
            JSON.stringify(arg)
          }\n`,
        );
        return false;
      }
      chat.effort = arg;
      term.err(term.dim(`(reasoning effort ${arg})\n`));
      return false;
    case "/save": {
      if (!arg) {
        term.err("error: /save takes a file name\n");
        return false;
      }
      const saved = {
        ...(chat.system ? { system: chat.system } : {}),
        ...(chat.effort ? { reasoningEffort: chat.effort } : {}),
        messages: chat.history,
      };
      try {
        await Deno.writeTextFile(arg, `${JSON.stringify(saved, null, 2)}\n`);
        term.err(
          term.dim(`(saved ${chat.history.length} messages to ${arg})\n`),
        );
      } catch (error) {
        term.err(
          isPermissionError(error)
            ? `error: saving needs --allow-write=${arg} (or --allow-write)\n`
            : `error: cannot write ${arg}: ${(error as Error).message}\n`,
        );
      }
      return false;
    }
    default:
      term.err(`error: unknown command ${name}; /help lists them\n`);
      return false;
  }
}
