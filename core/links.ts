/**
 * The links in mails and on pages. The base URL is where n8n's Webhook node (or any other host)
 * answers; the paths below it are fixed so the sample workflows and the pages agree.
 */
export const LINK_PATHS = {
  confirm: 'confirm',
  unsubscribe: 'unsubscribe',
  preferences: 'preferences',
  erase: 'erase',
  access: 'access',
  /** The privacy request form (see, erase, stop all mail) and, with a token, its confirmation link. */
  privacy: 'privacy',
} as const;
export type LinkKind = keyof typeof LINK_PATHS;

export function linkFor(baseUrl: string, kind: LinkKind, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${LINK_PATHS[kind]}?token=${encodeURIComponent(token)}`;
}
