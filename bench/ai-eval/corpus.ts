import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { classify } from "../../src/insights/analyzer";
import { FAILURE_CATEGORIES, type FailureCategory } from "../../src/insights/verdict";

export interface CorpusEntry {
  label: FailureCategory;
  name: string;
  message: string;
  code?: string;
}

/** The labelled corpus in test/fixtures/error-corpus.json. */
export function loadCorpus(): CorpusEntry[] {
  const path = fileURLToPath(new URL("../../test/fixtures/error-corpus.json", import.meta.url));
  const { entries } = JSON.parse(readFileSync(path, "utf8")) as { entries: [FailureCategory, string, string, string?][] };
  return entries.map(([label, name, message, code]) => ({ label, name, message, code }));
}

/** The built-in analyzer's accuracy on the corpus, per category, and the entries it got wrong. */
export function evaluateCorpus(corpus: CorpusEntry[]) {
  const perCategory = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, { total: 0, correct: 0 }]));
  const misses: { entry: CorpusEntry; got: FailureCategory }[] = [];
  for (const entry of corpus) {
    const got = classify({ error: { name: entry.name, message: entry.message, code: entry.code, retryable: true }, timedOut: false }).category;
    perCategory[entry.label]!.total++;
    if (got === entry.label) perCategory[entry.label]!.correct++;
    else misses.push({ entry, got });
  }
  return { total: corpus.length, correct: corpus.length - misses.length, accuracy: (corpus.length - misses.length) / corpus.length, perCategory, misses };
}
