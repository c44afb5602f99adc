// Validates leakhound's JSON outputs against one of the schemas in schemas/ (JSON Schema draft 2020-12), with the
// ajv and ajv-formats packages pinned in package-lock.json.
//
//   node tests/schemas/validate.js SCHEMA_FILE FILE...
//
// A FILE is one JSON document, or JSON lines (one document per non-empty line: `leakhound watch --format json`);
// a .jsonl or .ndjson file is always read as JSON lines, any other file as one document when it parses as one.
// Prints every validation error as FILE[:LINE]: INSTANCE_PATH: message, and on success one line per file and
// "validate: OK: N documents valid against SCHEMA_ID". Exit 0 when every document is valid, 1 when any is not (or
// a file cannot be read or parsed, or holds no document), 2 on a usage error or a schema that does not compile.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const Ajv2020 = require(path.join(root, 'node_modules', 'ajv', 'dist', '2020'));
const addFormats = require(path.join(root, 'node_modules', 'ajv-formats'));

const args = process.argv.slice(2);
if (args.length < 2) {
  console.error('usage: node tests/schemas/validate.js SCHEMA_FILE FILE...');
  process.exit(2);
}
const [schemaFile, ...files] = args;

let validate;
let schemaId;
try {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  schemaId = schema.$id || schemaFile;
  // strict: a schema keyword ajv does not know, or a type that does not fit a keyword, is a mistake in the schema.
  // (strictRequired off: if/then names fields the enclosing schema defines.)
  const ajv = new Ajv2020({strict: true, strictRequired: false, allErrors: true});
  addFormats(ajv);
  validate = ajv.compile(schema);
} catch (e) {
  console.error(`${schemaFile}: ${e.message}`);
  process.exit(2);
}

// "must NOT have additional properties" says which one; other errors name what they expected.
function describe(err) {
  const p = err.params || {};
  if (err.keyword === 'additionalProperties') return `${err.message}: "${p.additionalProperty}"`;
  if (err.keyword === 'enum') return `${err.message}: ${JSON.stringify(p.allowedValues)}`;
  if (err.keyword === 'const') return `${err.message}: ${JSON.stringify(p.allowedValue)}`;
  if (err.keyword === 'propertyNames') return `${err.message}: "${p.propertyName}"`;
  return err.message;
}

// Ajv reports an if/then failure twice (the inner error, then "must match \"then\" schema"), and a failed anyOf or
// oneOf with an error per branch: the value is printed to tell which.
function value(doc, pointer) {
  let v = doc;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

// The documents of a file: [{where, doc}] or throws with a message.
function documents(file) {
  const text = fs.readFileSync(file, 'utf8');
  let whole = null;  // why the file is not one document
  if (!/\.(jsonl|ndjson)$/.test(file)) {
    try {
      return [{where: file, doc: JSON.parse(text)}];
    } catch (e) {
      whole = e;
    }
  }
  // JSON lines, if every non-empty line is a document.
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      out.push({where: `${file}:${i + 1}`, doc: JSON.parse(lines[i])});
    } catch (e) {
      // A broken pretty-printed document fails on its first line: its own error says more.
      if (whole !== null && out.length === 0) throw new Error(`not JSON: ${whole.message}`);
      throw new Error(`line ${i + 1}: not JSON: ${e.message}`);
    }
  }
  return out;
}

let failed = false;
let valid = 0;
for (const file of files) {
  let docs;
  try {
    docs = documents(file);
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    failed = true;
    continue;
  }
  if (docs.length === 0) {
    console.error(`${file}: no JSON document`);
    failed = true;
    continue;
  }
  let bad = 0;
  for (const {where, doc} of docs) {
    if (validate(doc)) continue;
    bad++;
    for (const err of validate.errors) {
      const at = err.instancePath || '/';
      let shown = JSON.stringify(value(doc, err.instancePath));
      if (shown !== undefined && shown.length > 120) shown = shown.slice(0, 117) + '...';
      console.error(`${where}: ${at}: ${describe(err)} (schema ${err.schemaPath}; value ${shown})`);
    }
  }
  if (bad > 0) {
    failed = true;
    console.error(`${file}: ${bad} of ${docs.length} document(s) invalid against ${schemaId}`);
  } else {
    valid += docs.length;
    console.log(`${file}: ${docs.length} document(s) valid`);
  }
}
if (failed) process.exit(1);
console.log(`validate: OK: ${valid} documents valid against ${schemaId}`);
