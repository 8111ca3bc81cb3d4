// Validates SARIF files against the SARIF 2.1.0 JSON schema (the OASIS final,
// 2.1.0-rtm.5, as @microsoft/jest-sarif ships it) with ajv 6, which reads that
// schema's draft-04 dialect. Usage: node validate.js FILE...; exit 1 when any
// file is not valid SARIF 2.1.0, with ajv's messages naming the failing paths.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas',
                             'sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({schemaId: 'auto', allErrors: true});
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));

let failed = 0;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(doc)) {
    console.log(`${file}: valid SARIF 2.1.0`);
  } else {
    failed++;
    console.log(`${file}: not valid SARIF 2.1.0`);
    for (const e of validate.errors) console.log(`  ${e.dataPath || '/'} ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
