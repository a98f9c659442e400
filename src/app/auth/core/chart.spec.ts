import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { createMachine } from 'xstate';

import { authMachine } from './auth-machine';
import { renderMermaid, renderStateChartDocument, STATE_CHART_PATH, STATE_CHART_UPDATE_COMMAND } from './chart';

const chartFile = resolve(__dirname, '../../../..', STATE_CHART_PATH);

describe('state chart document', () => {
  it(`${STATE_CHART_PATH} is up to date with the machine`, () => {
    const expected = renderStateChartDocument(authMachine);
    if (process.env['UPDATE_STATE_CHART'] === '1') writeFileSync(chartFile, expected);
    expect(existsSync(chartFile)).toBe(true);
    const actual = readFileSync(chartFile, 'utf8');
    if (actual !== expected) {
      throw new Error(`${STATE_CHART_PATH} is out of date with the auth machine. Regenerate it: ${STATE_CHART_UPDATE_COMMAND}`);
    }
  });

  it('draws every state and every targeted transition of the machine', () => {
    const mermaid = renderMermaid(authMachine);
    for (const key of [
      'booting',
      'idle',
      'signingIn',
      'redirecting',
      'opening',
      'waiting',
      'closing',
      'resumed',
      'callback',
      'authenticated',
      'signingOut',
      'error',
    ]) {
      expect(mermaid).toMatch(new RegExp(`\\b${key}\\b`));
    }
    expect(mermaid).toContain('closing --> error : after browserClosedGrace');
    expect(mermaid).toContain('closing --> authenticated : after browserClosedGrace [hasUsableClaims]');
    expect(mermaid).toContain('error --> authenticated : DISMISS [hasUsableClaims]');
    expect(mermaid).toContain('booting --> callback : restore done [hasLaunchCallback]');
  });

  it('is derived from the definition it is given, not from a fixed drawing', () => {
    const tiny = createMachine({
      id: 'tiny',
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', guard: 'ready' } } }, b: { after: { 500: 'a' } } },
    });
    const mermaid = renderMermaid(tiny);
    expect(mermaid).toContain('[*] --> a');
    expect(mermaid).toContain('a --> b : GO [ready]');
    expect(mermaid).toContain('b --> a : after 500');
    expect(renderStateChartDocument(tiny)).not.toContain('signingIn');
  });
});
