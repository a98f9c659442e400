/**
 * Text that came from a server, made safe to print: a hostile or broken server could otherwise
 * drive the terminal (escape sequences can rewrite the screen, set the window title, or hide
 * what came before) or echo a credential back at us. Everything the command prints that a
 * server wrote goes through `serverText`.
 */

// ESC-introduced sequences: OSC (ESC ] … BEL or ST), CSI (ESC [ … final byte), DCS/SOS/PM/APC
// (ESC P/X/^/_ … ST), and any other two-byte escape.
/* eslint-disable no-control-regex -- matching control characters is the point */
const escapeSequences = [
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g,
  /\u001b\[[0-?]*[ -/]*[@-~]?/g,
  /\u001b[PX^_][^\u001b]*(?:\u001b\\)?/g,
  /\u001b[\s\S]?/g,
];
// C0 controls except newline, DEL, and the C1 controls (U+0080–U+009F, e.g. the one-byte CSI U+009B).
const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

/** Control characters and escape sequences removed, known secrets masked, length capped. */
export function serverText(value: unknown, secrets: readonly string[] = [], maxLength = 500): string {
  let text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  for (const pattern of escapeSequences) text = text.replace(pattern, '');
  text = text.replace(controlCharacters, '');
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join('[secret hidden]');
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
