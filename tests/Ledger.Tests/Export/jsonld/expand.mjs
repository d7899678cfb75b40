// Expands a JSON-LD document read from standard input with jsonld.js, and prints the expanded form.
// Contexts are served from contexts/ beside this script: the test reaches no network, and a context
// the export names that is not kept here fails the expansion instead of being fetched.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';

const here = fileURLToPath(new URL('.', import.meta.url));
const contexts = {
  'http://www.w3.org/ns/anno.jsonld': 'contexts/anno.jsonld',
  'https://www.w3.org/ns/anno.jsonld': 'contexts/anno.jsonld',
};

const documentLoader = async (url) => {
  const file = contexts[url];
  if (!file) {
    throw new Error(`no local copy of the context ${url}`);
  }
  return { contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(here + file, 'utf8')) };
};

const input = JSON.parse(readFileSync(0, 'utf8'));
// Safe mode fails on any term no context defines, rather than dropping it without a word.
const expanded = await jsonld.expand(input, { documentLoader, safe: true });
process.stdout.write(JSON.stringify(expanded));
