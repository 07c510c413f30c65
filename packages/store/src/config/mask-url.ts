/**
 * A connection URL as it may appear in a message: the password replaced by `***`. Works on
 * URLs too malformed to parse, which are exactly the ones that end up in an error message.
 */
const USERINFO_PASSWORD = /^([^:/?#\s]+:\/\/[^:@/?#]*:)(.*)(@[^@]*)$/s;

export function maskUrlPassword(url: string): string {
  return url.replace(
    USERINFO_PASSWORD,
    (_all, head: string, _pw: string, tail: string) => `${head}***${tail}`,
  );
}
