/**
 * Round-robin auto-assignment within a team (issue 14): pure. Members take turns in a fixed
 * order, starting after the one who got the last conversation; a member who is offline (no inbox
 * open) or already at their capacity of open conversations is skipped. What cannot be placed
 * waits in the team's queue until someone comes online or frees a place.
 */
export interface Member {
  readonly agentId: string;
  /** How many open or pending conversations they may hold at once. */
  readonly capacity: number;
}

export interface Turn {
  /** Members in their fixed order (the team's member list as stored). */
  readonly members: readonly Member[];
  /** Open and pending conversations each agent holds now (any team). */
  readonly load: ReadonlyMap<string, number>;
  readonly online: ReadonlySet<string>;
  /** Who got the team's last conversation (their turn is over). */
  readonly lastAssigned: string | null;
}

/** The agents for `waiting` conversations in queue order; shorter when places run out. */
export function roundRobin(turn: Turn, waiting: number): string[] {
  const { members } = turn;
  const load = new Map(turn.load);
  const picks: string[] = [];
  if (members.length === 0) return picks;
  let at = members.findIndex((m) => m.agentId === turn.lastAssigned); // -1: start at the first
  while (picks.length < waiting) {
    let placed = false;
    for (let step = 1; step <= members.length; step += 1) {
      const candidate = members[(at + step + members.length) % members.length]!;
      const holds = load.get(candidate.agentId) ?? 0;
      if (!turn.online.has(candidate.agentId) || holds >= candidate.capacity) continue;
      picks.push(candidate.agentId);
      load.set(candidate.agentId, holds + 1);
      at = members.indexOf(candidate);
      placed = true;
      break;
    }
    if (!placed) break;
  }
  return picks;
}
