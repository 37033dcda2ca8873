import type { Lang } from '../language.js';

/**
 * Escalation levels (issue 14): pure. Level 1 is the supervisor of the conversation's team;
 * each further level is the supervisor of the team above (`parentId`). An urgent case the desk
 * raised by itself (wallet safety's theft or exposed-secret triage) reached nobody in particular,
 * so the first escalation after it still goes to the team's own supervisor.
 */
export interface TeamLink {
  readonly id: string;
  readonly supervisorId: string | null;
  readonly parentId: string | null;
}

export interface Current {
  readonly level: number;
  /** Whom it went to; null/absent when it reached no one in particular. */
  readonly to?: string | null | undefined;
}

/** The next level and its supervisor, or undefined when there is no one above. */
export function nextLevel(current: Current | null, teamId: string | null, teams: ReadonlyMap<string, TeamLink>): { level: number; to: string } | undefined {
  const level = current?.to ? current.level + 1 : 1;
  // Walk up: level 1 is the team itself, level 2 its parent, … (a cycle ends the walk).
  let team = teamId ? teams.get(teamId) : undefined;
  const seen = new Set<string>();
  for (let step = 1; team && step < level; step += 1) {
    seen.add(team.id);
    team = team.parentId && !seen.has(team.parentId) ? teams.get(team.parentId) : undefined;
  }
  if (!team?.supervisorId) return undefined;
  return { level, to: team.supervisorId };
}

/** What the customer is told when a manager takes over, in their language. */
export function managerTookOver(lang: Lang): string {
  return lang === 'zh'
    ? '您的会话已转交给我们的客服主管，主管会亲自在这里继续为您处理。'
    : 'A support manager has taken over your conversation and will continue with you here.';
}
