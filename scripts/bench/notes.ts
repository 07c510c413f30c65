/** What each benchmark figure measures, for the notes column (first matching pattern wins). */

const NOTES: readonly (readonly [RegExp, string])[] = [
  [
    /^client\.first-reading\.cold-start/,
    'SKRESET, active scan, PANA join, first Get of E7; simulator timings',
  ],
  [/^client\.first-reading\.warm-start/, 'PAN cached: no scan, join and first Get'],
  [/^client\.frames-per-poll/, 'target 1: the four properties in one Get'],
  [/^client\.readings-per-minute/, 'back-to-back polls of E7+E8+E0+E3, simulated minutes'],
  [/^client\.frames-per-minute/, 'the client keeps ≥ 1 s between frames'],
  [/^decode\.records_per_second/, '`pnpm --filter echonet decode` core: SK parser + frame description'],
  [/^decode\.megabytes_per_second/, 'generated transcript, hex ERXUDP, 64 KiB chunks, median of 3'],
  [/^decode\.transcript_records/, 'SKSENDTO echo, EVENT 21, OK, ERXUDP per poll'],
  [
    /^poller\.cpu_per_simulated_hour/,
    'default schedule; poller + in-process simulator + pg client, not the server',
  ],
  [/^poller\.peak_rss/, 'whole process (poller, simulator, pg client) while polling'],
  [/^poller\.frames_per_simulated_hour/, 'E7+E8 every 30 s; E0+E3 and D3/D7/E1 ride along'],
  [/^poller\.polls_per_simulated_hour/, '120 boundaries an hour; fewer when a late answer skips one'],
  [/^poller\.rows_per_simulated_hour/, 'all rows written (meter only, no sensors)'],
  [/^poller\.meter_rows_per_simulated_hour/, 'rows from meter polls'],
  [/^poller\.startup_backfill_cpu/, '45 days of E2/E4 history at start'],
  [/^poller\.bench_real_time/, 'real time of the poller benchmark'],
  [
    /^poller-process\.first_reading\.cold/,
    'spawn → first power_sample row: initdb-free start, scan (duration 6), join, first Get',
  ],
  [
    /^poller-process\.first_reading\.cached_pan/,
    'second start: PAN from the cache, no scan; join and first Get',
  ],
  [/^poller-process\.cpu_per_request/, 'utime+stime over the steady window ÷ meter requests in it'],
  [/^poller-process\.cpu_per_hour/, 'steady window scaled to an hour, default schedule'],
  [/^poller-process\.requests_in_window/, 'E7+E8 polls (E0+E3, D3/D7/E1 ride along)'],
  [/^poller-process\.startup_cpu/, 'start to the end of the 45-day history backfill'],
  [/^poller-process\.rss_steady/, 'median VmRSS over the steady window'],
  [/^poller-process\.rss_peak/, 'VmHWM of the first run (start-up and backfill included)'],
  [/^graph\.seed\.rows/, 'a year: 10-s power, 5-min readings, 30-min slots, 1-min BME280'],
  [/^graph\.seed\.time/, 'generate_series into a scratch database'],
  [/^graph\.\w+\.(day|month|year)\.query/, 'median of 3 after a warm-up'],
  [/^graph\.\w+\.(day|month|year)\.render/, 'chart.js on node-canvas, 1280×720 PNG'],
  [/^graph\.\w+\.(day|month|year)\.total/, 'query + render'],
  [/^graph\.\w+\.(day|month|year)\.points/, 'points drawn for the power series'],
  [/^legacy\.year\.power_log_rows/, "a year of the original power-consumption's power_log, one row a minute"],
  [/^legacy\.year\.all_rows/, 'power_log + temp_log, co2_log, bme280_log every 5 min'],
  [/^legacy\.year\.import/, 'import-legacy of all five tables into the same database, batches of 20000'],
  [/^legacy\.year\.power_log_import/, 'power_log alone: power_sample, energy_reading, energy_interval'],
  [/^legacy\.year\.reimport/, 'second run with the progress table emptied: every row skipped by key'],
];

export function noteFor(figure: string): string {
  return NOTES.find(([pattern]) => pattern.test(figure))?.[1] ?? '';
}
