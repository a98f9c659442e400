import type { SendRefusal } from './verification-codes.ts';

/**
 * What a refused address is told: until when, as a local time (the server's clock: it runs on
 * the developer's machine) and in minutes, so nobody keeps retrying into a wall.
 */
export function retryAt(until: number, secondsLeft: number): string {
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(until);
  const minutes = Math.max(1, Math.ceil(secondsLeft / 60));
  return `at ${time} (in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

export function lockedMessage(until: number, secondsLeft: number): string {
  return `Too many wrong attempts for this email address. You can try again ${retryAt(until, secondsLeft)}.`;
}

export function cooldownMessage(secondsLeft: number): string {
  return `Please wait ${secondsLeft} ${secondsLeft === 1 ? 'second' : 'seconds'} before asking for a new code.`;
}

export function sendRefusedMessage(refusal: SendRefusal): string {
  switch (refusal.reason) {
    case 'locked':
      return lockedMessage(refusal.until, refusal.secondsLeft);
    case 'quota':
      return `Too many codes were sent to this email address. You can ask for a new one ${retryAt(refusal.until, refusal.secondsLeft)}.`;
  }
}
