// What the Remove confirmation says and what the result reports, for one network or a multi-selection. Pure:
// the command gathers who uses each network and what the engine answered; this writes the sentences.

export interface RemovalCandidate {
  name: string;
  builtIn: boolean;
  /** Containers attached to it, by name. */
  users: string[];
  /** The Compose project that created it (its next `up` creates it again). */
  composeProject?: string;
}

export interface RemovalOutcome {
  name: string;
  ok: boolean;
  /** Why it was not removed, in the engine's words and what to do. */
  reason?: string;
}

/** What a user may not know about removing it: containers still on it, and Compose owning it. */
export function removalNotes(c: RemovalCandidate): string[] {
  if (c.builtIn) return [`"${c.name}" is one of the engine's built-in networks and cannot be removed: it is kept.`];
  return [
    c.users.length ? `It is in use by ${c.users.join(', ')}: Docker refuses to remove it until they are disconnected or removed.` : 'No container uses it.',
    c.composeProject ? `It is managed by Compose project "${c.composeProject}": the project's next "up" creates it again.` : '',
  ].filter(Boolean);
}

/** One question for the whole selection: `message` names how many, `detail` has one line per network. */
export function removalConfirmation(candidates: RemovalCandidate[]): { message: string; detail?: string } {
  if (candidates.length === 1) return { message: `Remove network "${candidates[0].name}"? ${removalNotes(candidates[0]).join(' ')}` };
  const removable = candidates.filter((c) => !c.builtIn);
  const inUse = removable.filter((c) => c.users.length).length;
  const compose = removable.filter((c) => c.composeProject).length;
  const notes = [inUse ? `${inUse} in use` : '', compose ? `${compose} managed by Compose` : ''].filter(Boolean);
  const lines = candidates.map((c) => `• ${c.name}: ${c.builtIn ? 'built-in, kept' : [c.users.length ? `in use by ${c.users.join(', ')} (Docker refuses until they are disconnected)` : 'unused', c.composeProject ? `managed by Compose project "${c.composeProject}" (its next "up" creates it again)` : ''].filter(Boolean).join('; ')}`);
  return { message: `Remove ${removable.length} networks${notes.length ? ` (${notes.join(', ')})` : ''}?`, detail: lines.join('\n') };
}

/** "Removed 2 of 3 networks (a, c). Not removed: b: <reason>" — every network that failed, with its own reason. */
export function removalSummary(outcomes: RemovalOutcome[]): string {
  const removed = outcomes.filter((o) => o.ok).map((o) => o.name);
  const failed = outcomes.filter((o) => !o.ok);
  if (!failed.length) return `Removed ${removed.length === 1 ? `network "${removed[0]}"` : `${removed.length} networks: ${removed.join(', ')}`}.`;
  const head = removed.length ? `Removed ${removed.length} of ${outcomes.length} networks (${removed.join(', ')}).` : `Removed none of the ${outcomes.length} networks.`;
  return `${head} Not removed: ${failed.map((o) => `"${o.name}": ${o.reason ?? 'unknown reason'}`).join(' ')}`;
}
