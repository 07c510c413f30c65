/** A power_sample row for tests: `s` seconds after `t0`, `w` watts, no currents. */
export function powerRow(meter: string, t0: number, s: number, w: number) {
  return {
    meter,
    time: new Date(t0 + s * 1000),
    power_w: w,
    current_r_a: null,
    current_t_a: null,
  } as const;
}
