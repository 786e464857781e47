// The pool's worker file. A worker thread does not inherit the main thread's TypeScript loader (Node 20),
// so it registers tsx's loader for itself, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { default: runChunk } = await import('./worker.ts');
export default runChunk;
