/** Demo data: a small realistic Qingdao database (`seedDemo`) and a benchmark-sized one (`seedScale`). */
export { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, type DemoSummary } from './seed-demo';
export { SCALE_DEFAULTS, seedScale, type ScaleOptions, type ScaleSummary } from './seed-scale';
export { loadCatalogue, type CatalogueItem } from './catalogue';
export { parseCsv, csvRecords } from './csv';
