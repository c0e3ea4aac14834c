#!/usr/bin/env node
import { main } from '../dist/cli.js';
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // the command is done: a library's stray handle (a pdf.js render that never settles …) must not keep the process alive
  setTimeout(() => process.exit(), 2000).unref();
});
