/**
 * Fault convergence figures: 3 seeds × 10/20/30 % faults (503, resets, failed jobs each), 30 create+delete rounds
 * of a customer gateway + connection. Prints, per run: operations, how many needed a retry, the most attempts one
 * needed, names that did not converge within 10 attempts, duplicates, orphans, and wall time.
 */
import { runConvergence, summarize, type ConvergenceResult } from "../resources/helpers/convergence";

async function main(): Promise<void> {
  const results: ConvergenceResult[] = [];
  for (const rate of [0.1, 0.2, 0.3]) results.push(...(await Promise.all([1, 2, 3].map((seed) => runConvergence({ seed, rate, rounds: 30, maxAttempts: 10 })))));
  for (const line of summarize(results)) console.log(line);
  const all = results.flatMap((r) => r.attempts);
  const unconverged = results.reduce((n, r) => n + r.unconverged.length, 0);
  const histogram = new Map<number, number>();
  for (const a of all) histogram.set(a, (histogram.get(a) ?? 0) + 1);
  console.log(`total: ${all.length} operations, attempts histogram ${[...histogram].sort(([a], [b]) => a - b).map(([a, n]) => `${a}:${n}`).join(" ")}, unconverged ${unconverged}, duplicates ${results.reduce((n, r) => n + r.duplicates, 0)}, orphans ${results.reduce((n, r) => n + r.orphans, 0)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
