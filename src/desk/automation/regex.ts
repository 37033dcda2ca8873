import { Script, createContext } from 'node:vm';

/** A pattern's answer: matched or not, or it ran out of time (catastrophic backtracking). */
export type RegexOutcome = boolean | 'timeout';

export interface RegexRunner {
  test(pattern: string, ignoreCase: boolean, text: string): RegexOutcome;
}

/**
 * Admins' patterns run with a hard time limit: `re.test` inside `vm` with `timeout`, which
 * interrupts the regex engine itself (a pattern like `/(a+)+$/` on a long line of `a`s stops
 * after `timeoutMs` instead of holding the worker for minutes). One context for all tests; the
 * compiled patterns are kept.
 */
export function createRegexRunner(timeoutMs = 50): RegexRunner {
  const sandbox = createContext({ re: /$^/u, text: '' });
  const script = new Script('re.test(text)');
  const compiled = new Map<string, RegExp>();
  return {
    test(pattern, ignoreCase, text) {
      const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
      let re = compiled.get(key);
      if (!re) {
        re = new RegExp(pattern, ignoreCase ? 'iu' : 'u');
        if (compiled.size >= 500) compiled.delete(compiled.keys().next().value!);
        compiled.set(key, re);
      }
      sandbox.re = re;
      sandbox.text = text;
      try {
        return script.runInContext(sandbox, { timeout: timeoutMs }) === true;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
        throw error;
      } finally {
        sandbox.text = '';
      }
    },
  };
}
