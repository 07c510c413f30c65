/** Chart words in Japanese (default) and English. */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@b-route/core';

export type Lang = 'ja' | 'en';

export type TempTitlePart = 'temperature' | 'humidity' | 'pressure' | 'co2';

export interface Labels {
  readonly time: string;
  readonly date: string;
  readonly powerAxis: string;
  readonly energyAxis: string;
  readonly currentAxis: string;
  readonly barAxis: (periodMs: number) => string;
  readonly power: string;
  readonly powerRange: string;
  readonly average: (name: string) => string;
  readonly currentR: string;
  readonly currentT: string;
  readonly normalKwh: string;
  readonly reverseKwh: string;
  readonly bought: (periodMs: number) => string;
  readonly sold: (periodMs: number) => string;
  readonly powerTitle: (range: string, boughtKwh: number | null, soldKwh: number | null) => string;
  readonly tempAxis: string;
  readonly humidityAxis: string;
  readonly pressureAxis: string;
  readonly co2Axis: string;
  readonly cpu: string;
  readonly temperature: string;
  readonly co2Temperature: string;
  readonly humidity: string;
  readonly pressure: string;
  readonly co2: string;
  /** `parts`: which of temperature, humidity, pressure, CO2 the chart shows. */
  readonly tempTitle: (range: string, parts: TempTitlePart[]) => string;
}

const kwh = (v: number): string => `${v.toFixed(2)} kWh`;

function duration(ms: number, lang: Lang): string {
  if (ms % DAY_MS === 0)
    return lang === 'ja' ? `${ms / DAY_MS}日` : ms === DAY_MS ? 'day' : `${ms / DAY_MS} days`;
  if (ms % HOUR_MS === 0) return lang === 'ja' ? `${ms / HOUR_MS}時間` : `${ms / HOUR_MS} h`;
  return lang === 'ja' ? `${ms / MINUTE_MS}分` : `${ms / MINUTE_MS} min`;
}

const ja: Labels = {
  time: '時刻',
  date: '日付',
  powerAxis: '電力[W]',
  energyAxis: '電力量[kWh]',
  currentAxis: '電流[A]',
  barAxis: (p) => `電力量[kWh/${duration(p, 'ja')}]`,
  power: '瞬時電力',
  powerRange: '瞬時電力(最小〜最大)',
  average: (name) => `${name}(移動平均)`,
  currentR: '電流 R相',
  currentT: '電流 T相',
  normalKwh: '積算電力量 買電',
  reverseKwh: '積算電力量 売電',
  bought: (p) => `買電量/${duration(p, 'ja')}`,
  sold: (p) => `売電量/${duration(p, 'ja')}`,
  powerTitle: (range, b, s) =>
    [`電力 ${range}`, b === null ? '' : `買電 ${kwh(b)}`, s === null ? '' : `売電 ${kwh(s)}`]
      .filter((x) => x)
      .join('  '),
  tempAxis: '温度[℃]',
  humidityAxis: '湿度[%]',
  pressureAxis: '気圧[hPa]',
  co2Axis: 'CO2[ppm]',
  cpu: 'CPU温度',
  temperature: '気温',
  co2Temperature: 'CO2センサー温度',
  humidity: '湿度',
  pressure: '気圧',
  co2: 'CO2濃度',
  tempTitle: (range, parts) =>
    `${parts.map((p) => ({ temperature: '温度', humidity: '湿度', pressure: '気圧', co2: 'CO2' })[p]).join('・')} ${range}`,
};

const en: Labels = {
  time: 'Time',
  date: 'Date',
  powerAxis: 'Power [W]',
  energyAxis: 'Energy [kWh]',
  currentAxis: 'Current [A]',
  barAxis: (p) => `Energy [kWh/${duration(p, 'en')}]`,
  power: 'Power',
  powerRange: 'Power (min–max)',
  average: (name) => `${name} (moving average)`,
  currentR: 'Current R',
  currentT: 'Current T',
  normalKwh: 'Cumulative bought',
  reverseKwh: 'Cumulative sold',
  bought: (p) => `Bought per ${duration(p, 'en')}`,
  sold: (p) => `Sold per ${duration(p, 'en')}`,
  powerTitle: (range, b, s) =>
    [`Power ${range}`, b === null ? '' : `bought ${kwh(b)}`, s === null ? '' : `sold ${kwh(s)}`]
      .filter((x) => x)
      .join('  '),
  tempAxis: 'Temperature [°C]',
  humidityAxis: 'Humidity [%]',
  pressureAxis: 'Pressure [hPa]',
  co2Axis: 'CO2 [ppm]',
  cpu: 'CPU temperature',
  temperature: 'Temperature',
  co2Temperature: 'CO2 sensor temperature',
  humidity: 'Humidity',
  pressure: 'Pressure',
  co2: 'CO2',
  tempTitle: (range, parts) => {
    const words = parts.map(
      (p) => ({ temperature: 'temperature', humidity: 'humidity', pressure: 'pressure', co2: 'CO2' })[p],
    );
    const text = words.join(', ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)} ${range}`;
  },
};

export function labelsFor(lang: Lang): Labels {
  return lang === 'en' ? en : ja;
}
