/**
 * Math.random refused while a study's code runs. It cannot be seeded, so a draw from it would make a
 * replicate's results differ from run to run, and with the number of workers; a study draws from the
 * seeded streams it is handed instead (`rng`).
 */

/**
 * Runs `body` with Math.random throwing an error that says what to draw from instead (`advice`), and puts
 * Math.random back however `body` ends.
 */
export function withoutMathRandom<T>(advice: string, body: () => T): T {
  const original = Math.random;
  Math.random = () => {
    throw new Error(`Math.random is not seeded, so its draws would differ from run to run: ${advice}`);
  };
  try {
    return body();
  } finally {
    Math.random = original;
  }
}
