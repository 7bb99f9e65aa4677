/**
 * A URL as it may be shown in a message or a log: user name, password and every query value
 * masked, since Pushgateway and proxy URLs often carry credentials. Text that is not a URL is
 * returned as it is.
 */
export function shownUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
  // URLSearchParams escapes the asterisks; they are shown as typed.
  return url.href.replaceAll('%2A', '*');
}

/** A message with every occurrence of `url` in it masked as shownUrl does. */
export function withoutSecrets(message: string, url: string): string {
  return message.replaceAll(url, shownUrl(url));
}
