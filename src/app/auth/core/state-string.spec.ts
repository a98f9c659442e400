import { matchesState } from 'xstate';

import { toMachineEvent } from './events';
import { stateToString } from './state-string';

describe('stateToString', () => {
  it('renders nested state values as dotted strings', () => {
    expect(stateToString('idle')).toBe('idle');
    expect(stateToString({ signingIn: 'callback' })).toBe('signingIn.callback');
    expect(stateToString({ signingIn: { redirecting: 'closing' } })).toBe('signingIn.redirecting.closing');
  });

  it("is read back by xstate's matchesState: a state and its sub-states, not name prefixes", () => {
    expect(matchesState('signingIn.redirecting', 'signingIn.redirecting.waiting')).toBe(true);
    expect(matchesState('signingIn.redirecting', 'signingIn.redirecting')).toBe(true);
    expect(matchesState('signingIn', 'signingInX')).toBe(false);
  });
});

describe('platform events entering the machine', () => {
  it('keep only their known fields', () => {
    expect(toMachineEvent({ type: 'CALLBACK_RECEIVED', callback: 'cb-1', url: 'x://y?code=z' } as never)).toEqual({
      type: 'CALLBACK_RECEIVED',
      callback: 'cb-1',
    });
    expect(toMachineEvent({ type: 'BROWSER_CLOSED', extra: 1 } as never)).toEqual({ type: 'BROWSER_CLOSED' });
  });

  it('unknown events and empty callback refs are dropped', () => {
    expect(toMachineEvent({ type: 'SIGN_IN' } as never)).toBeNull();
    expect(toMachineEvent({ type: 'CALLBACK_RECEIVED', callback: '' })).toBeNull();
    expect(toMachineEvent(undefined as never)).toBeNull();
  });
});
