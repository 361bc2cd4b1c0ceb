// De Winkel's own mail: its newsletter (quoted by replies, embedded in bounces and ARF reports,
// and once delivered to the privacy mailbox itself) and its privacy desk's replies.
import { escapeHtml, fakeToken, header, leaf, mailbox, message, multipart, prng, rfcDate, unstructured } from './mime.mjs';

export const LINKS = 'https://n8n.shop.example/webhook/consent';

const ISSUES = {
  nl: [
    {
      subject: 'Nieuw binnen: de wintercollectie',
      lines: ['Hallo,', '', 'De wintercollectie is binnen! Warme truien, sjaals en wollen mutsen, en deze week 15% korting voor abonnees met de code WINTER15.', '', 'Bekijk de collectie: https://shop.example/winter', '', 'Tot snel,', 'Team De Winkel'],
    },
    {
      subject: 'Alleen dit weekend: gratis verzending op alles',
      lines: ['Hoi,', '', 'Van vrijdag tot en met zondag betaal je geen verzendkosten, ook niet op kleine bestellingen. Op = op.', '', 'Naar de webshop: https://shop.example/', '', 'Groeten,', 'Team De Winkel'],
    },
    {
      subject: 'Jouw cadeautips voor Sinterklaas',
      lines: ['Beste klant,', '', 'Nog geen idee wat je in de schoen stopt? We zetten twintig cadeaus onder de 25 euro voor je op een rij.', '', 'Bekijk de cadeautips: https://shop.example/sinterklaas', '', 'Hartelijke groet,', 'De Winkel'],
    },
  ],
  en: [{
    subject: 'Black Friday at De Winkel: 25% off everything',
    lines: ['Hi there,', '', 'Our Black Friday sale has started: 25% off the whole shop until Monday midnight, no code needed.', '', 'Shop now: https://shop.example/en/black-friday', '', 'Happy shopping,', 'The De Winkel team'],
  }],
  de: [{
    subject: 'Neu eingetroffen: unsere Winterkollektion',
    lines: ['Hallo,', '', 'die Winterkollektion ist da: warme Pullover, Schals und Mützen aus Wolle. Diese Woche erhalten Abonnenten 15 % Rabatt mit dem Code WINTER15.', '', 'Zur Kollektion: https://shop.example/de/winter', '', 'Bis bald,', 'Ihr Team von De Winkel'],
  }],
  fr: [{
    subject: "Nouveautés : la collection d'hiver est arrivée",
    lines: ['Bonjour,', '', "La collection d'hiver est arrivée : pulls chauds, écharpes et bonnets en laine. Cette semaine, -15 % pour les abonnés avec le code HIVER15.", '', 'Découvrir la collection : https://shop.example/fr/hiver', '', 'À bientôt,', "L'équipe De Winkel"],
  }],
  es: [{
    subject: 'Novedades: ya está aquí la colección de invierno',
    lines: ['Hola:', '', 'Ya ha llegado la colección de invierno: jerséis, bufandas y gorros de lana. Esta semana, un 15 % de descuento para suscriptores con el código INVIERNO15.', '', 'Ver la colección: https://shop.example/es/invierno', '', 'Hasta pronto,', 'El equipo de De Winkel'],
  }],
  it: [{
    subject: 'Novità: è arrivata la collezione invernale',
    lines: ['Ciao,', '', 'È arrivata la collezione invernale: maglioni caldi, sciarpe e berretti di lana. Questa settimana sconto del 15% per gli iscritti con il codice INVERNO15.', '', 'Scopri la collezione: https://shop.example/it/inverno', '', 'A presto,', 'Il team di De Winkel'],
  }],
};

const FOOTER = {
  nl: (u, p) => ['Je ontvangt deze e-mail omdat je je hebt aangemeld voor de nieuwsbrief van De Winkel.', `Afmelden: ${u}`, `Voorkeuren aanpassen: ${p}`, 'Privacyverklaring: https://shop.example/privacy', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · KvK 12345678'],
  en: (u, p) => ['You are receiving this email because you subscribed to the De Winkel newsletter.', `Unsubscribe: ${u}`, `Manage preferences: ${p}`, 'Privacy policy: https://shop.example/en/privacy', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · The Netherlands'],
  de: (u, p) => ['Sie erhalten diese E-Mail, weil Sie den Newsletter von De Winkel abonniert haben.', `Abmelden: ${u}`, `Einstellungen ändern: ${p}`, 'Datenschutzerklärung: https://shop.example/de/datenschutz', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Niederlande'],
  fr: (u, p) => ["Vous recevez cet e-mail car vous êtes inscrit(e) à la newsletter de De Winkel.", `Se désinscrire : ${u}`, `Gérer mes préférences : ${p}`, 'Politique de confidentialité : https://shop.example/fr/confidentialite', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Pays-Bas'],
  es: (u, p) => ['Recibes este correo porque te suscribiste al boletín de De Winkel.', `Darse de baja: ${u}`, `Gestionar preferencias: ${p}`, 'Política de privacidad: https://shop.example/es/privacidad', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Países Bajos'],
  it: (u, p) => ['Ricevi questa email perché ti sei iscritto/a alla newsletter di De Winkel.', `Annulla l'iscrizione: ${u}`, 'Gestisci le preferenze: ' + p, 'Informativa privacy: https://shop.example/it/privacy', 'De Winkel B.V. · Marktstraat 12 · 3511 AB Utrecht · Paesi Bassi'],
};

/**
 * One newsletter sent to `to`: the fields a reply quotes (text, html, subject, date, Message-ID)
 * and `raw`, the whole message as our sender wrote it (for bounces, ARF reports, loops).
 */
export function newsletter(lang, issue, to, date, { toName = '', seed = to } = {}) {
  const rng = prng(`newsletter:${lang}:${issue}:${to}:${seed}`);
  const { subject, lines } = ISSUES[lang][issue];
  const token = fakeToken(rng, 'u');
  const unsub = `${LINKS}/unsubscribe?token=${token}`;
  const prefs = `${LINKS}/preferences?token=${token}`;
  const footer = FOOTER[lang](unsub, prefs);
  const text = [...lines, '', '--', ...footer].join('\n');
  const footHtml = footer.map((l) => escapeHtml(l).replace(/(https:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')).join('<br>');
  const html = `<div style="max-width:600px;margin:0 auto;font-family:Arial,Helvetica,sans-serif;color:#222"><h1 style="font-size:22px">De Winkel</h1>${lines.filter(Boolean).map((l) => `<p>${escapeHtml(l).replace(/(https:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</p>`).join('')}<hr style="border:0;border-top:1px solid #ddd"><p style="font-size:12px;color:#666">${footHtml}</p></div>`;
  const messageId = `${date.y}${String(date.mo).padStart(2, '0')}${String(date.d).padStart(2, '0')}.${rng.hex(16)}@shop.example`;
  const bnd = `----=_NmP-${rng.hex(16)}-Part_1`;
  const root = multipart('alternative', bnd, [
    leaf({ type: 'text/plain', charset: 'utf-8', cte: 'quoted-printable', text: `${text}\n` }),
    leaf({ type: 'text/html', charset: 'utf-8', cte: 'quoted-printable', text: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${html}</body></html>\n` }),
  ]);
  const top = [
    header('From', 'De Winkel <nieuwsbrief@shop.example>'),
    header('To', mailbox(toName, to)),
    header('Subject', unstructured(subject)),
    `Message-ID: <${messageId}>`,
    `Date: ${rfcDate(date)}`,
    header('List-Unsubscribe', `<${unsub}>, <mailto:privacy@shop.example?subject=unsubscribe%20${token}>`),
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    'Precedence: bulk',
    `Feedback-ID: nl-${date.y}${String(date.mo).padStart(2, '0')}:newsletter:shop.example`,
    'MIME-Version: 1.0',
  ];
  const dkim = header('DKIM-Signature', `v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=nl2026; h=from:to:subject:message-id:date:list-unsubscribe:list-unsubscribe-post:mime-version; bh=${rng.alnum(43)}=; b=${rng.alnum(60)}${rng.alnum(60)}${rng.alnum(52)}==`);
  const raw = message([dkim, ...top], root);
  return { fromName: 'De Winkel', from: 'nieuwsbrief@shop.example', to, toName, date, subject, text, html, messageId, token, raw, headers: [dkim, ...top] };
}
