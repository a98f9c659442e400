/**
 * What the servers print: a line with no control characters. A value a request carries (an
 * address, a path, a connector's answer) could otherwise hold terminal escapes that recolour,
 * clear or rewrite the developer's terminal, or a carriage return that hides the line's start.
 * Line breaks stay (stack traces span lines); tabs become spaces.
 */
export function safeLogLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replaceAll('\t', ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
}

/** A logger that prints only safe lines. */
export function safeLog(log: (line: string) => void): (line: string) => void {
  return (line) => log(safeLogLine(String(line)));
}
