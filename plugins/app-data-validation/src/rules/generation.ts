/**
 * A counter bumped by every rule write in this process. Rule caches note the value they loaded
 * at and reload when it moves, so a rule saved through this process applies to its next write;
 * other processes (more server processes, workers) reload when their cache's TTL runs out.
 */
let generation = 0;

export const ruleGeneration = {
  current(): number {
    return generation;
  },
  bump(): void {
    generation++;
  },
};
