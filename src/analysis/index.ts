/** Analyses of what models compute: the per-word information measure (Guan et al. 2019). */
export * from './information/index.js';
