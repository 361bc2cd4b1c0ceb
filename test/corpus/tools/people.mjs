// Shared pieces: the entry helper, signatures and disclaimers as people's mail really carries them.
import { at, unsubscribeUrl } from './render.mjs';
import { newsletter } from './compose.mjs';

export const ACTING = new Set(['unsubscribe', 'erase']);
const NO_ANSWER = new Set(['list', 'spam', 'phishing', 'loop']);
const INTENT_OF = { unsubscribe: 'unsubscribe', erase: 'erase', access: 'access', objection: 'unsubscribe' };

/**
 * One corpus mail. `label` overrides the defaults: a request's intent follows its category, the
 * address is the sender's, the language is the one it is written in, and acting is wrong on anything
 * that is not an unsubscribe or erase request.
 */
export function entry(id, cat, lang, client, from, subject, text, opts = {}, label = {}) {
  const intent = label.intent ?? INTENT_OF[cat] ?? 'unknown';
  const l = {
    intent,
    address: label.address !== undefined ? label.address : (INTENT_OF[cat] ? from[1].toLowerCase() : null),
    // Nobody answers a list post, spam, phishing or our own mail, so its language is not scored.
    language: label.language !== undefined ? label.language : NO_ANSWER.has(cat) ? null : lang,
    mustNotAct: label.mustNotAct ?? !ACTING.has(intent),
    category: label.category ?? cat,
    why: label.why,
  };
  if (label.alsoAccept) l.alsoAccept = label.alsoAccept;
  if (label.mayVerifyAbout) l.mayVerifyAbout = true;
  if (!l.why) throw new Error(`${id}: a label needs its why`);
  return { id, cat, lang, client, from, subject, text, t: opts.t ?? at(21 + (hash(id) % 9), 8 + (hash(id) % 12), hash(id) % 60), ...opts, label: l };
}
function hash(s) { let h = 7; for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0; return h; }

/** A reply to our newsletter: the original quoted below. */
export const replyTo = (lang, seed, first = '') => {
  const n = newsletter(lang, seed, first);
  return { quote: n, subject: (pre) => `${pre} ${n.subject}` };
};
export const nl = (lang, seed, first) => newsletter(lang, seed, first);
export { unsubscribeUrl, at };

export const DISCLAIMER = {
  nl: 'Dit e-mailbericht is uitsluitend bestemd voor de geadresseerde(n). Het kan vertrouwelijke informatie bevatten. Indien u dit bericht ten onrechte heeft ontvangen, verzoeken wij u de afzender direct te informeren en het bericht te verwijderen. Het is niet toegestaan dit bericht te gebruiken, te kopiëren of aan derden te verstrekken. Aan dit bericht kunnen geen rechten worden ontleend.',
  nlShort: 'Dit bericht is vertrouwelijk en alleen bestemd voor de geadresseerde. Heeft u het per abuis ontvangen? Verwijder het dan en laat het ons weten.',
  en: 'This e-mail and any attachments are confidential and intended solely for the addressee. If you have received this e-mail in error, please notify the sender and delete it from your system. Any unauthorised use, disclosure or copying is strictly prohibited. We do not accept liability for any loss or damage caused by viruses.',
  de: 'Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort den Absender und vernichten Sie diese E-Mail. Das unerlaubte Kopieren sowie die unbefugte Weitergabe dieser E-Mail ist nicht gestattet.',
  fr: 'Ce message et toutes les pièces jointes sont confidentiels et établis à l\'intention exclusive de ses destinataires. Toute utilisation ou diffusion non autorisée est interdite. Si vous avez reçu ce message par erreur, merci de le supprimer et d\'en avertir immédiatement l\'expéditeur.',
  es: 'Este mensaje y sus archivos adjuntos son confidenciales y están dirigidos exclusivamente a su destinatario. Si ha recibido este mensaje por error, le rogamos que lo comunique al remitente y proceda a su eliminación. Queda prohibida cualquier divulgación, copia o distribución no autorizada.',
  it: 'Questo messaggio e gli eventuali allegati sono riservati e destinati esclusivamente al destinatario indicato. Se avete ricevuto questa e-mail per errore, vi preghiamo di avvisare il mittente e di cancellarla. Ogni utilizzo, copia o diffusione non autorizzati sono vietati.',
};

/** A company signature whose own footer invites to its newsletter and has an "Afmelden" link. */
export const companySig = {
  nl: (name, role, company, domain) => `Met vriendelijke groet,\n\n${name}\n${role}\n\n${company}\nT +31 (0)30 ${200 + name.length * 7} 44 ${10 + name.length}\nwww.${domain}\n\nBlijf op de hoogte: schrijf je in voor onze nieuwsbrief https://www.${domain}/nieuwsbrief | Afmelden: https://www.${domain}/afmelden\nBezoek ons op LinkedIn | Instagram | Facebook`,
  en: (name, role, company, domain) => `Best regards,\n\n${name} | ${role}\n${company}\nM: +44 7700 900${100 + name.length * 3}\nW: https://www.${domain}\n\nSign up for our monthly newsletter: https://www.${domain}/newsletter\nTo unsubscribe from our mailings click here: https://www.${domain}/unsubscribe`,
  de: (name, role, company, domain) => `Mit freundlichen Grüßen\n\n${name}\n${role}\n\n${company}\nTel.: +49 30 ${1000 + name.length * 13}\nhttps://www.${domain}\nGeschäftsführer: Thomas Berger · Amtsgericht Charlottenburg HRB 12${name.length}45\n\nNewsletter abonnieren: https://www.${domain}/newsletter · Abmelden: https://www.${domain}/abmelden`,
};
