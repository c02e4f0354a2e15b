/**
 * One timer for every request's limits. Each watched request asks to be
 * woken at a time; the soonest is what a pending timer waits for, so that a
 * request, and each re-arming of its idle limit, costs a set insertion
 * rather than a timer of its own, and stopping costs a deletion.
 *
 * The timers are `AbortSignal.timeout` signals: web-standard, and on Deno
 * not `setTimeout`, whose first use in a process loads Node's timers (about
 * 8 ms, measured in bench/README.md). Such a signal cannot be cleared, so
 * it is listened to only while somebody waits: Deno keeps a process alive
 * for a timeout signal only while it has listeners (Node never does), so
 * that once every request is over, nothing holds the process. A timer that
 * fired unheard is forgotten when the next sleeper comes.
 *
 * @module
 */

/** Something to wake: set `due` through {@link wakeAt} only. */
export interface Sleeper {
  /** When to wake it (`Date.now()` time). */
  due: number;
  /** Called once it is due, after it has been taken off the list; must not throw. */
  wake(): void;
}

/** The longest wait a timer takes whole; a later time is waited for in steps. */
const LONGEST_WAIT = 2 ** 31 - 1;

/** A pending timer: when it fires (`Date.now()` time), and its signal. */
interface Timer {
  at: number;
  signal: AbortSignal;
  heard: boolean;
  ring: () => void;
}

const sleepers = new Set<Sleeper>();
/** The timers not known to have fired, soonest first. */
const pending: Timer[] = [];

/** Wakes `sleeper` at `due`, or soon after; a second call moves the time. */
export function wakeAt(sleeper: Sleeper, due: number): void {
  sleeper.due = due;
  if (sleepers.size === 0) {
    // Timers that fired while nobody listened are gone; the others are heard again.
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i].signal.aborted) pending.splice(i, 1);
      else hear(pending[i], true);
    }
  }
  sleepers.add(sleeper);
  if (pending.length === 0 || pending[0].at > due) startTimer(due);
}

/** Whether `sleeper` is to be woken: it asked, and was neither woken nor cancelled since. */
export function willWake(sleeper: Sleeper): boolean {
  return sleepers.has(sleeper);
}

/** `sleeper` is not woken, unless it asks again. */
export function cancelWake(sleeper: Sleeper): void {
  if (!sleepers.delete(sleeper) || sleepers.size > 0) return;
  for (const timer of pending) hear(timer, false);
}

function hear(timer: Timer, heard: boolean): void {
  if (timer.heard === heard) return;
  timer.heard = heard;
  if (heard) timer.signal.addEventListener("abort", timer.ring);
  else timer.signal.removeEventListener("abort", timer.ring);
}

function startTimer(due: number): void {
  const now = Date.now();
  const wait = Math.min(Math.max(0, due - now), LONGEST_WAIT);
  // The listener holds the timer only: a sleeper that stopped is not kept.
  const timer: Timer = {
    at: now + wait,
    signal: AbortSignal.timeout(wait),
    heard: false,
    ring: () => ring(timer),
  };
  let i = 0;
  while (i < pending.length && pending[i].at <= timer.at) i++;
  pending.splice(i, 0, timer);
  hear(timer, true);
}

/** A timer fired: wakes whoever is due, and keeps a timer for the next. */
function ring(timer: Timer): void {
  const at = pending.indexOf(timer);
  if (at !== -1) pending.splice(at, 1);
  const now = Date.now();
  const due: Sleeper[] = [];
  let next = Infinity;
  for (const sleeper of sleepers) {
    if (sleeper.due <= now) due.push(sleeper);
    else if (sleeper.due < next) next = sleeper.due;
  }
  if (next !== Infinity && (pending.length === 0 || pending[0].at > next)) {
    startTimer(next);
  }
  for (const sleeper of due) {
    // An earlier one's waking may have cancelled this one, or moved it later.
    if (sleeper.due > now || !sleepers.delete(sleeper)) continue;
    sleeper.wake();
  }
  // Everyone woken and gone: the timers left must not hold the process.
  if (sleepers.size === 0) { for (const left of pending) hear(left, false); }
}
