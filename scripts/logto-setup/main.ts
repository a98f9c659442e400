/** `npm run logto:setup`: see run.ts (and `npm run logto:setup -- --help`). */
import { runSetup } from './run.ts';

process.exitCode = await runSetup(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
