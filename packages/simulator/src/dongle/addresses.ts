/**
 * Address spelling as the SK stacks print it: IPv6 as 8 groups of 4 upper-case hex digits,
 * MAC (EUI-64) as 16 upper-case hex digits.
 */

const IPV6_FULL = /^[0-9A-Fa-f]{4}(?::[0-9A-Fa-f]{4}){7}$/;
const MAC64 = /^[0-9A-Fa-f]{16}$/;

/** `FE80:0000:…` spelling of `text` if it is a full 8-group IPv6 address, else null. */
export function parseSkIpv6(text: string): string | null {
  return IPV6_FULL.test(text) ? text.toUpperCase() : null;
}

/** Upper-case MAC if `text` is 16 hex digits, else null. */
export function parseMac64(text: string): string | null {
  return MAC64.test(text) ? text.toUpperCase() : null;
}

/**
 * Link-local address of a MAC (RFC 4291 appendix A, as SKLL64 prints it): FE80::/64 with the
 * EUI-64 as interface identifier and the universal/local bit (0x02 of the first byte) inverted.
 * `001C6400601421A3` → `FE80:0000:0000:0000:021C:6400:6014:21A3`.
 */
export function macToLinkLocal(mac: string): string {
  const m = mac.toUpperCase();
  const first = (Number.parseInt(m.slice(0, 2), 16) ^ 0x02).toString(16).toUpperCase().padStart(2, '0');
  const iid = first + m.slice(2);
  const groups = [0, 4, 8, 12].map((i) => iid.slice(i, i + 4));
  return `FE80:0000:0000:0000:${groups.join(':')}`;
}

/** Inverse of `macToLinkLocal` for a link-local address; null for any other address. */
export function linkLocalToMac(ipv6: string): string | null {
  const a = parseSkIpv6(ipv6);
  if (!a?.startsWith('FE80:0000:0000:0000:')) return null;
  const iid = a.slice(20).replaceAll(':', '');
  const first = (Number.parseInt(iid.slice(0, 2), 16) ^ 0x02).toString(16).toUpperCase().padStart(2, '0');
  return first + iid.slice(2);
}
