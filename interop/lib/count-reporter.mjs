// A node:test reporter that prints nothing and keeps "PASSED FAILED" (tests, not suites) in
// $INTEROP_COUNTS_FILE, rewritten after every result so that the count survives
// --test-force-exit; run.sh turns it into its closing summary line.
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  const file = process.env.INTEROP_COUNTS_FILE;
  let passed = 0;
  let failed = 0;
  const save = () => file && writeFileSync(file, `${passed} ${failed}\n`);
  save();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    if (data.details?.type === 'suite') continue;
    if (data.skip || data.todo) continue;
    if (event.type === 'test:pass') passed++;
    else failed++;
    save();
  }
  yield '';
}
