/**
 * A cluster-randomised trial with few clusters: the arm is assigned to whole groups (half of them), so its
 * effect is estimated between groups, and its Wald z interval, which takes the SE as known, undercovers
 * when there are few. Satterthwaite's t interval (lmerTest's df, about groups - 2 here) and the profile
 * likelihood interval are the alternatives a trialist reports; this study measures all three.
 */
import { defineStudy, lmm, simulateMixedData } from '../src/index.ts';

export default defineStudy({
  name: 'clustertrial',
  description: 'Cluster-randomised trial: arm effect by REML, Wald vs Satterthwaite vs profile intervals, 20 rows per cluster',
  design: { clusters: [6, 10, 20, 40], cluster_sd: [0.3, 0.6] },
  replications: 1000,
  seed: 20261122,
  generate: (c, rng) => simulateMixedData({
    rows: 20 * c.clusters, groups: c.clusters, assignment: 'balanced',
    intercept: 0, slope: 0.4, interceptSd: c.cluster_sd, residualSd: 1,
    covariate: { distribution: 'treatment', share: 0.5, level: 'group' },
    names: { covariate: 'arm', group: 'cluster' },
  }, rng),
  estimators: {
    lmm: lmm('response ~ arm + (1 | cluster)', { intervals: ['wald', 'satterthwaite', 'profile'] }),
  },
  truth: (c) => ({ '(Intercept)': 0, arm: 0.4, 'sd:cluster:(Intercept)': c.cluster_sd, sigma: 1 }),
});
