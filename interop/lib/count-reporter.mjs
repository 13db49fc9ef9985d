// A node:test reporter that prints nothing and writes "PASSED FAILED" (tests, not suites) to
// $INTEROP_COUNTS_FILE when the run ends; run.sh turns that into its closing summary line.
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    if (data.details?.type === 'suite') continue;
    if (data.skip || data.todo) continue;
    if (event.type === 'test:pass') passed++;
    else failed++;
  }
  const file = process.env.INTEROP_COUNTS_FILE;
  if (file) writeFileSync(file, `${passed} ${failed}\n`);
  yield '';
}
