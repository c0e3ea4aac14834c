// Child process of bench/fuzz-reader.js: runs `bangban parse <file>` (the CLI's main, as bin/bangban.js
// does) for each file the parent sends, and answers with the exit code and what it printed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await import(join(root, 'dist/cli.js'));
const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

process.on('message', async ({ file }) => {
  let stdout = '';
  let stderr = '';
  process.stdout.write = (s) => ((stdout += String(s)), true);
  process.stderr.write = (s) => ((stderr += String(s)), true);
  let code;
  try {
    code = await main(['parse', file]);
  } catch (e) {
    code = `threw ${e?.name}`;
    stderr += String(e?.stack ?? e);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  process.send({ code, stdout: stdout.slice(0, 20000), stderr: stderr.slice(0, 2000) });
});
process.send({ ready: true });
