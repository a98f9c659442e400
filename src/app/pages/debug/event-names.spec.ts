import { AUTH_EVENT_TYPES } from '../../auth/core/event-types';
import { debugEn } from '../../i18n/en/debug';
import { eventLabelKey } from './event-names';

describe('event names on the debug page', () => {
  it.each(AUTH_EVENT_TYPES)('%s, an event the machine understands, has a readable name', (type) => {
    const key = eventLabelKey(type);
    expect(key).toBe(`event.${type}`);
    expect(debugEn[key!]).toEqual(expect.any(String));
  });

  it('a name the machine does not know is shown raw', () => {
    expect(eventLabelKey('NOT_AN_EVENT')).toBeNull();
  });
});
