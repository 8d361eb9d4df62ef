/**
 * Runs the test files in name order (01-auth ... 90-secrets-scan). Vitest's default order is by
 * cached duration and size, which would let the final secrets scan run first. Wire it in
 * vitest.config.ts with `test: { sequence: { sequencer: ByNameSequencer } }`.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

export class ByNameSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.project.name.localeCompare(b.project.name) || a.moduleId.localeCompare(b.moduleId));
  }
}
