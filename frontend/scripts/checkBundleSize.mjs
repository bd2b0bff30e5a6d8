// The dashboard's size budget, checked after every build: the gzipped JavaScript and CSS the first view
// loads. The budget is written down in docs/DASHBOARD.md; raise it there and here together, with a reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = { js: 80 * 1024, css: 10 * 1024 };
const assets = 'target/classes/META-INF/resources/assets';

const totals = { js: 0, css: 0 };
for (const file of readdirSync(assets)) {
  const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : null;
  if (kind !== null) {
    totals[kind] += gzipSync(readFileSync(join(assets, file))).length;
  }
}
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
let over = false;
for (const kind of ['js', 'css']) {
  const line = `${kind}: ${kib(totals[kind])} gzipped (budget ${kib(BUDGET_GZIP_BYTES[kind])})`;
  if (totals[kind] > BUDGET_GZIP_BYTES[kind]) {
    console.error(`Bundle over budget: ${line}`);
    over = true;
  } else {
    console.log(`Bundle size ${line}`);
  }
}
process.exit(over ? 1 : 0);
