/**
 * The seed study: how biased are the fixed effects, and how good are their standard errors, when a
 * random-intercept model is fitted to data that have random slopes? (A published statsmodels + joblib
 * bias study, here with both models, 5 and 50 groups, and Monte Carlo standard errors.)
 */
import { defineStudy, lmm, simulateMixedData } from '../src/index.ts';

export default defineStudy({
  name: 'mixedlm',
  description: 'Random-intercept vs random-slope REML fits to random-intercept/slope data, N = 5000 rows',
  design: { n_groups: [5, 50], slope_sd: [0, 0.25] },
  replications: 500,
  seed: 20240501,
  generate: (c, rng) => simulateMixedData({
    rows: 5000, groups: c.n_groups, assignment: 'uniform',
    intercept: 10, slope: -0.5, interceptSd: 1, slopeSd: c.slope_sd, residualSd: 1,
  }, rng),
  // Fixed-effect intervals two ways: Wald (z) and Satterthwaite t (lmerTest's df), so coverage of both is one table.
  estimators: {
    ri: lmm('response ~ X + (1 | group)', { intervals: ['wald', 'satterthwaite'] }),
    rs: lmm('response ~ X + (1 + X | group)', { intervals: ['wald', 'satterthwaite'] }),
  },
  truth: (c) => ({
    '(Intercept)': 10,
    X: -0.5,
    'sd:group:(Intercept)': 1,
    'sd:group:X': c.slope_sd,
    'cor:group:(Intercept):X': c.slope_sd > 0 ? 0 : NaN,
    sigma: 1,
  }),
});
