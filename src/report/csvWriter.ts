/**
 * The main thread's handle on the CSV writer thread (csvThread.ts), so that loading danfojs-node never
 * blocks the thread that hands tasks to the study's workers.
 */
import type { Columns } from './csv.ts';
import type { CsvRequest } from './csvThread.ts';
import { typescriptPool } from '../threads/pool.ts';

/** A writer thread, started at once. */
export class CsvWriter {
  private readonly pool = typescriptPool({ module: new URL('./csvThread.ts', import.meta.url), threads: 1, warmUp: { warmUp: true } satisfies CsvRequest });

  /** Writes (or appends to) a CSV file. */
  write(path: string, columns: Columns, append = false): Promise<void> {
    return this.pool.run({ path, columns, append } satisfies CsvRequest);
  }

  /** Stops the thread. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}
