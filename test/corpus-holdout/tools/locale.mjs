// How each mail client writes dates, reply attributions, header blocks and taglines, per UI language.
import { pad2 } from './mime.mjs';

export const NAMES = {
  nl: {
    days: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
    dd: ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'],
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    mm: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  },
  en: {
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    dd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    mm: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  },
  de: {
    days: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
    dd: ['So.', 'Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.'],
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
    mm: ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'],
  },
  fr: {
    days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
    dd: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    mm: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  },
  es: {
    days: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    dd: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    mm: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
  },
  it: {
    days: ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'],
    dd: ['dom', 'lun', 'mar', 'mer', 'gio', 'ven', 'sab'],
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    mm: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  },
};

const hm = (t) => `${pad2(t.h)}:${pad2(t.mi)}`;
const h12 = (t) => `${((t.h + 11) % 12) + 1}:${pad2(t.mi)} ${t.h < 12 ? 'AM' : 'PM'}`;
const yy = (t) => String(t.y).slice(2);

/** "Name <addr>" as shown in attributions. */
const who = (name, addr) => (name ? `${name} <${addr}>` : addr);

export const gmailAttribution = {
  nl: (t, n, a) => `Op ${NAMES.nl.dd[t.wd]} ${t.d} ${NAMES.nl.mm[t.mo - 1]} ${t.y} om ${hm(t)} schreef ${who(n, a)}:`,
  en: (t, n, a) => `On ${NAMES.en.dd[t.wd]}, ${NAMES.en.mm[t.mo - 1]} ${t.d}, ${t.y} at ${h12(t)} ${who(n, a)} wrote:`,
  de: (t, n, a) => `Am ${NAMES.de.dd[t.wd]}, ${t.d}. ${NAMES.de.mm[t.mo - 1]} ${t.y} um ${hm(t)} Uhr schrieb ${who(n, a)}:`,
  fr: (t, n, a) => `Le ${NAMES.fr.dd[t.wd]} ${t.d} ${NAMES.fr.mm[t.mo - 1]} ${t.y} à ${hm(t)}, ${who(n, a)} a écrit :`,
  es: (t, n, a) => `El ${NAMES.es.dd[t.wd]}, ${t.d} ${NAMES.es.mm[t.mo - 1]} ${t.y} a las ${t.h}:${pad2(t.mi)}, ${n} (<${a}>) escribió:`,
  it: (t, n, a) => `Il giorno ${NAMES.it.dd[t.wd]} ${t.d} ${NAMES.it.mm[t.mo - 1]} ${t.y} alle ore ${hm(t)} ${who(n, a)} ha scritto:`,
};

export const appleAttribution = {
  nl: (t, n, a) => `Op ${t.d} ${NAMES.nl.mm[t.mo - 1]} ${t.y} om ${hm(t)} heeft ${who(n, a)} het volgende geschreven:`,
  en: (t, n, a) => `On ${t.d} ${NAMES.en.mm[t.mo - 1]} ${t.y}, at ${hm(t)}, ${who(n, a)} wrote:`,
  de: (t, n, a) => `Am ${pad2(t.d)}.${pad2(t.mo)}.${t.y} um ${hm(t)} schrieb ${who(n, a)}:`,
  fr: (t, n, a) => `Le ${t.d} ${NAMES.fr.mm[t.mo - 1]} ${t.y} à ${hm(t)}, ${who(n, a)} a écrit :`,
  es: (t, n, a) => `El ${t.d} ${NAMES.es.mm[t.mo - 1]} ${t.y}, a las ${t.h}:${pad2(t.mi)}, ${who(n, a)} escribió:`,
  it: (t, n, a) => `Il giorno ${t.d} ${NAMES.it.mm[t.mo - 1]} ${t.y}, alle ore ${hm(t)}, ${who(n, a)} ha scritto:`,
};

export const thunderbirdAttribution = {
  nl: (t, n) => `Op ${pad2(t.d)}-${pad2(t.mo)}-${t.y} om ${hm(t)} schreef ${n}:`,
  en: (t, n) => `On ${pad2(t.d)}/${pad2(t.mo)}/${t.y} ${hm(t)}, ${n} wrote:`,
  de: (t, n) => `Am ${pad2(t.d)}.${pad2(t.mo)}.${yy(t)} um ${hm(t)} schrieb ${n}:`,
  fr: (t, n) => `Le ${pad2(t.d)}/${pad2(t.mo)}/${t.y} à ${hm(t)}, ${n} a écrit :`,
  es: (t, n) => `El ${pad2(t.d)}/${pad2(t.mo)}/${yy(t)} a las ${t.h}:${pad2(t.mi)}, ${n} escribió:`,
  it: (t, n) => `Il ${pad2(t.d)}/${pad2(t.mo)}/${yy(t)} ${hm(t)}, ${n} ha scritto:`,
};

export const yahooAttribution = {
  nl: (t, n, a) => `Op ${NAMES.nl.days[t.wd]} ${t.d} ${NAMES.nl.months[t.mo - 1]} ${t.y} om ${hm(t)}:00 CET heeft ${who(n, a)} het volgende geschreven:`,
  en: (t, n, a) => `On ${NAMES.en.days[t.wd]}, ${NAMES.en.months[t.mo - 1]} ${t.d}, ${t.y} at ${h12(t).replace(' ', ':00 ')} GMT+1, ${who(n, a)} wrote:`,
  de: (t, n, a) => `Am ${NAMES.de.days[t.wd]}, ${t.d}. ${NAMES.de.months[t.mo - 1]} ${t.y} um ${hm(t)}:00 MEZ hat ${who(n, a)} Folgendes geschrieben:`,
  fr: (t, n, a) => `Le ${NAMES.fr.days[t.wd]} ${t.d} ${NAMES.fr.months[t.mo - 1]} ${t.y} à ${hm(t)}:00 UTC+1, ${who(n, a)} a écrit :`,
  es: (t, n, a) => `El ${NAMES.es.days[t.wd]}, ${t.d} de ${NAMES.es.months[t.mo - 1]} de ${t.y}, ${hm(t)}:00 CET, ${who(n, a)} escribió:`,
  it: (t, n, a) => `In data ${NAMES.it.days[t.wd]} ${t.d} ${NAMES.it.months[t.mo - 1]} ${t.y}, ${hm(t)}:00 CET, ${who(n, a)} ha scritto:`,
};

/** Outlook desktop / web header block: labels and the date as Outlook spells it. */
export const outlookBlock = {
  nl: { from: 'Van:', sent: 'Verzonden:', to: 'Aan:', cc: 'CC:', subject: 'Onderwerp:', date: (t) => `${NAMES.nl.days[t.wd]} ${t.d} ${NAMES.nl.months[t.mo - 1]} ${t.y} ${hm(t)}`, orig: '-----Oorspronkelijk bericht-----', re: 'RE: ', fw: 'FW: ' },
  en: { from: 'From:', sent: 'Sent:', to: 'To:', cc: 'Cc:', subject: 'Subject:', date: (t) => `${NAMES.en.days[t.wd]}, ${NAMES.en.months[t.mo - 1]} ${t.d}, ${t.y} ${h12(t)}`, orig: '-----Original Message-----', re: 'RE: ', fw: 'FW: ' },
  de: { from: 'Von:', sent: 'Gesendet:', to: 'An:', cc: 'Cc:', subject: 'Betreff:', date: (t) => `${NAMES.de.days[t.wd]}, ${t.d}. ${NAMES.de.months[t.mo - 1]} ${t.y} ${hm(t)}`, orig: '-----Ursprüngliche Nachricht-----', re: 'AW: ', fw: 'WG: ' },
  fr: { from: 'De :', sent: 'Envoyé :', to: 'À :', cc: 'Cc :', subject: 'Objet :', date: (t) => `${NAMES.fr.days[t.wd]} ${t.d} ${NAMES.fr.months[t.mo - 1]} ${t.y} ${hm(t)}`, orig: "-----Message d'origine-----", re: 'RE : ', fw: 'TR : ' },
  es: { from: 'De:', sent: 'Enviado el:', to: 'Para:', cc: 'CC:', subject: 'Asunto:', date: (t) => `${NAMES.es.days[t.wd]}, ${t.d} de ${NAMES.es.months[t.mo - 1]} de ${t.y} ${t.h}:${pad2(t.mi)}`, orig: '-----Mensaje original-----', re: 'RE: ', fw: 'RV: ' },
  it: { from: 'Da:', sent: 'Inviato:', to: 'A:', cc: 'Cc:', subject: 'Oggetto:', date: (t) => `${NAMES.it.days[t.wd]} ${t.d} ${NAMES.it.months[t.mo - 1]} ${t.y} ${hm(t)}`, orig: '-----Messaggio originale-----', re: 'R: ', fw: 'I: ' },
};

/** Samsung Email / Android "original message" block. */
export const samsungBlock = {
  nl: { head: '-------- Oorspronkelijk bericht --------', from: 'Van:', date: 'Datum:', to: 'Aan:', subject: 'Onderwerp:', d: (t) => `${pad2(t.d)}-${pad2(t.mo)}-${yy(t)} ${hm(t)} (GMT+01:00)`, tag: 'Verzonden vanaf mijn Galaxy' },
  en: { head: '-------- Original message --------', from: 'From:', date: 'Date:', to: 'To:', subject: 'Subject:', d: (t) => `${pad2(t.d)}/${pad2(t.mo)}/${t.y} ${hm(t)} (GMT+00:00)`, tag: 'Sent from my Galaxy' },
  de: { head: '-------- Ursprüngliche Nachricht --------', from: 'Von:', date: 'Datum:', to: 'An:', subject: 'Betreff:', d: (t) => `${pad2(t.d)}.${pad2(t.mo)}.${yy(t)} ${hm(t)} (GMT+01:00)`, tag: 'Von meinem Galaxy gesendet' },
  fr: { head: "-------- Message d'origine --------", from: 'De :', date: 'Date :', to: 'À :', subject: 'Objet :', d: (t) => `${pad2(t.d)}/${pad2(t.mo)}/${t.y} ${hm(t)} (GMT+01:00)`, tag: 'Envoyé depuis mon appareil Galaxy' },
  es: { head: '-------- Mensaje original --------', from: 'De:', date: 'Fecha:', to: 'Para:', subject: 'Asunto:', d: (t) => `${pad2(t.d)}/${pad2(t.mo)}/${yy(t)} ${t.h}:${pad2(t.mi)} (GMT+01:00)`, tag: 'Enviado desde mi Galaxy' },
  it: { head: '-------- Messaggio originale --------', from: 'Da:', date: 'Data:', to: 'A:', subject: 'Oggetto:', d: (t) => `${pad2(t.d)}/${pad2(t.mo)}/${yy(t)} ${hm(t)} (GMT+01:00)`, tag: 'Inviato dal mio Galaxy' },
};

export const iphoneTag = {
  nl: 'Verstuurd vanaf mijn iPhone', en: 'Sent from my iPhone', de: 'Von meinem iPhone gesendet',
  fr: 'Envoyé de mon iPhone', es: 'Enviado desde mi iPhone', it: 'Inviato da iPhone',
};

export const outlookMobileTag = {
  nl: ['Outlook voor iOS downloaden', 'https://aka.ms/o0ukef'], en: ['Get Outlook for iOS', 'https://aka.ms/o0ukef'],
  de: ['Outlook für Android herunterladen', 'https://aka.ms/AAb9ysg'], fr: ['Télécharger Outlook pour Android', 'https://aka.ms/AAb9ysg'],
  es: ['Obtener Outlook para iOS', 'https://aka.ms/o0ukef'], it: ['Scarica Outlook per iOS', 'https://aka.ms/o0ukef'],
};

/** GMX / WEB.DE quote header (German and English UI). */
export const gmxBlock = {
  de: (t, n, a, to, s) => [`Gesendet: ${NAMES.de.days[t.wd]}, ${pad2(t.d)}. ${NAMES.de.months[t.mo - 1]} ${t.y} um ${hm(t)} Uhr`, `Von: "${n}" <${a}>`, `An: ${to}`, `Betreff: ${s}`],
  en: (t, n, a, to, s) => [`Sent: ${NAMES.en.days[t.wd]}, ${NAMES.en.months[t.mo - 1]} ${pad2(t.d)}, ${t.y} at ${h12(t)}`, `From: "${n}" <${a}>`, `To: ${to}`, `Subject: ${s}`],
  fr: (t, n, a, to, s) => [`Envoyé: ${NAMES.fr.days[t.wd]} ${pad2(t.d)} ${NAMES.fr.months[t.mo - 1]} ${t.y} à ${hm(t)}`, `De: "${n}" <${a}>`, `À: ${to}`, `Objet: ${s}`],
};

/** Open-Xchange webmails (Orange, KPN, Telekom): their reply header lines. */
export const oxBlock = {
  fr: (t, n, a, to, s) => [`> Message du ${pad2(t.d)}/${pad2(t.mo)}/${yy(t)} ${hm(t)}`, `> De : "${n}" <${a}>`, `> A : ${to}`, `> Objet : ${s}`],
  nl: (t, n, a) => [`> Op ${pad2(t.d)}-${pad2(t.mo)}-${t.y} ${hm(t)} schreef ${n} <${a}>:`],
  de: (t, n, a, to, s) => ['-----Original-Nachricht-----', `Betreff: ${s}`, `Datum: ${t.y}-${pad2(t.mo)}-${pad2(t.d)}T${hm(t)}:00+0100`, `Von: "${n}" <${a}>`, `An: ${to}`],
  it: (t, n, a, to, s) => ['----Messaggio originale----', `Da: ${a}`, `Data: ${pad2(t.d)}/${pad2(t.mo)}/${t.y} ${hm(t)}`, `A: ${to}`, `Ogg: ${s}`],
  es: (t, n, a, to, s) => ['----- Mensaje original -----', `De: "${n}" <${a}>`, `Para: ${to}`, `Enviado: ${NAMES.es.days[t.wd]}, ${t.d} de ${NAMES.es.months[t.mo - 1]} de ${t.y} ${hm(t)}`, `Asunto: ${s}`],
  en: (t, n, a) => [`> On ${pad2(t.d)}/${pad2(t.mo)}/${t.y} ${hm(t)} ${n} <${a}> wrote:`],
};

export const replyPrefix = { gmail: 'Re: ', apple: 'Re: ', thunderbird: 'Re: ', samsung: 'Re: ', gmx: { de: 'Aw: ', en: 'Re: ', fr: 'Re: ' } };
export const forwardPrefix = { gmail: 'Fwd: ', apple: 'Fwd: ', thunderbird: 'Fwd: ', samsung: 'Fwd: ' };
