import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { managerTookOver, nextLevel, type TeamLink } from '../../../../src/desk/teams/escalation.js';
import { roundRobin } from '../../../../src/desk/teams/routing.js';

const members = [
  { agentId: 'ana', capacity: 2 },
  { agentId: 'bo', capacity: 2 },
  { agentId: 'cy', capacity: 2 },
];

describe('round-robin auto-assignment', () => {
  it('capacity 2 over 3 agents, one offline: the two online ones get two each, evenly, and the fifth waits', () => {
    const picks = roundRobin({ members, load: new Map(), online: new Set(['ana', 'cy']), lastAssigned: null }, 5);
    expect(picks).toEqual(['ana', 'cy', 'ana', 'cy']);
  });

  it('starts after whoever got the last one, and skips those at capacity', () => {
    expect(roundRobin({ members, load: new Map([['bo', 2]]), online: new Set(['ana', 'bo', 'cy']), lastAssigned: 'ana' }, 3)).toEqual(['cy', 'ana', 'cy']);
    expect(roundRobin({ members, load: new Map(), online: new Set(['ana', 'bo', 'cy']), lastAssigned: 'cy' }, 1)).toEqual(['ana']);
    // Someone who left the team: start from the top.
    expect(roundRobin({ members, load: new Map(), online: new Set(['bo']), lastAssigned: 'gone' }, 1)).toEqual(['bo']);
  });

  it('nobody online, nobody in the team, or capacity 0: nothing is assigned', () => {
    expect(roundRobin({ members, load: new Map(), online: new Set(), lastAssigned: null }, 3)).toEqual([]);
    expect(roundRobin({ members: [], load: new Map(), online: new Set(['ana']), lastAssigned: null }, 3)).toEqual([]);
    expect(roundRobin({ members: [{ agentId: 'ana', capacity: 0 }], load: new Map(), online: new Set(['ana']), lastAssigned: null }, 3)).toEqual([]);
  });

  it('property: nobody goes over capacity, only online members get work, and loads differ by at most one among those with room', () => {
    const member = fc.record({ agentId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), capacity: fc.integer({ min: 0, max: 6 }) });
    fc.assert(
      fc.property(fc.uniqueArray(member, { selector: (m) => m.agentId, maxLength: 6 }), fc.subarray(['a', 'b', 'c', 'd', 'e', 'f']), fc.integer({ min: 0, max: 30 }), (team, online, waiting) => {
        const picks = roundRobin({ members: team, load: new Map(), online: new Set(online), lastAssigned: null }, waiting);
        const counts = new Map<string, number>();
        for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
        for (const [agent, n] of counts) {
          expect(online).toContain(agent);
          expect(n).toBeLessThanOrEqual(team.find((m) => m.agentId === agent)!.capacity);
        }
        const eligible = team.filter((m) => online.includes(m.agentId) && m.capacity > 0);
        const room = eligible.reduce((sum, m) => sum + m.capacity, 0);
        expect(picks.length).toBe(Math.min(waiting, room));
        // Among members who still had room at the end, nobody got two more than another.
        const withRoom = eligible.filter((m) => (counts.get(m.agentId) ?? 0) < m.capacity).map((m) => counts.get(m.agentId) ?? 0);
        if (withRoom.length > 1) expect(Math.max(...withRoom) - Math.min(...withRoom)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('escalation levels', () => {
  const teams = new Map<string, TeamLink>([
    ['support', { id: 'support', supervisorId: 'sue', parentId: 'leads' }],
    ['leads', { id: 'leads', supervisorId: 'max', parentId: null }],
    ['loop', { id: 'loop', supervisorId: null, parentId: 'loop' }],
  ]);

  it("level 1 is the team's supervisor, level 2 the one above; past the top there is nobody", () => {
    expect(nextLevel(null, 'support', teams)).toEqual({ level: 1, to: 'sue' });
    expect(nextLevel({ level: 1, to: 'sue' }, 'support', teams)).toEqual({ level: 2, to: 'max' });
    expect(nextLevel({ level: 2, to: 'max' }, 'support', teams)).toBeUndefined();
    expect(nextLevel(null, null, teams)).toBeUndefined();
    expect(nextLevel(null, 'loop', teams)).toBeUndefined();
    expect(nextLevel({ level: 1, to: 'x' }, 'loop', teams)).toBeUndefined();
  });

  it("an urgent case the desk raised by itself reached no one: the next escalation is still the team's supervisor", () => {
    expect(nextLevel({ level: 1, to: null }, 'support', teams)).toEqual({ level: 1, to: 'sue' });
    expect(nextLevel({ level: 1 }, 'support', teams)).toEqual({ level: 1, to: 'sue' });
  });

  it('tells the customer in their language', () => {
    expect(managerTookOver('en')).toMatch(/^A support manager has taken over/);
    expect(managerTookOver('zh')).toMatch(/客服主管/);
  });
});
