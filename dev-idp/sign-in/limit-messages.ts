import { count, t } from '../pages/i18n.ts';
import type { SendRefusal } from './verification-codes.ts';

/**
 * What a refused address is told: how long until it can try again, in minutes. No clock time:
 * the server's clock need not be in the reader's time zone (the lockout page's script shows the
 * countdown live from the instant the server gives).
 */
function inMinutes(secondsLeft: number): string {
  return count('minutes', Math.max(1, Math.ceil(secondsLeft / 60)));
}

export function lockedMessage(_until: number, secondsLeft: number): string {
  return t('error_locked', { duration: inMinutes(secondsLeft) });
}

export function cooldownMessage(secondsLeft: number): string {
  return t('error_cooldown', { duration: count('seconds', secondsLeft) });
}

export function sendRefusedMessage(refusal: SendRefusal): string {
  switch (refusal.reason) {
    case 'locked':
      return lockedMessage(refusal.until, refusal.secondsLeft);
    case 'quota':
      return t('error_quota', { duration: inMinutes(refusal.secondsLeft) });
  }
}
