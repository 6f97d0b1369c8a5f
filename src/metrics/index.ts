/** Catalog section 9: metrics and information theory. */
export const metricEntries = [] as const;
