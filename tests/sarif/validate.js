// Validates SARIF files against the official SARIF 2.1.0 schema (draft-04) shipped in @microsoft/jest-sarif.
// Usage: node tests/sarif/validate.js FILE...   Exit 0 when every file is valid; otherwise prints the errors, exit 1.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schema = require(path.join(__dirname, '..', '..', 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas',
                                 'sarif-2.1.0-rtm.5.json'));
// The schema's language-tag pattern is not a valid regular expression in unicode mode.
const ajv = new Ajv({strict: false, allErrors: true, unicodeRegExp: false});
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = false;
for (const file of process.argv.slice(2)) {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    failed = true;
    continue;
  }
  if (validate(data)) {
    console.log(`${file}: valid SARIF 2.1.0`);
  } else {
    failed = true;
    for (const err of validate.errors) console.error(`${file}: ${err.instancePath || '/'} ${err.message}`);
  }
}
process.exit(failed ? 1 : 0);
