// French-speaking senders.
import { when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { about, act, hold } from './spec.mjs';

const reply = (to, date, toName = '') => ({ kind: 'reply', msg: newsletter('fr', 0, to, date, { toName }) });
const FR1 = when(2026, 11, 18, 8, 0);

const DISCLAIMER_FR = "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires. Si vous avez reçu ce message par erreur, merci d'en avertir immédiatement l'émetteur et de le supprimer. Toute utilisation ou diffusion non autorisée est interdite.";

export const FR = [
  {
    file: 'h070-unsubscribe-fr-gmail-desinscrire.eml',
    label: act('unsubscribe', 'fr', 'camille.lefevre@gmail.com', 'unsubscribe', "polite 'merci de me désinscrire' over the quoted newsletter with its Se désinscrire link"),
    client: 'gmail', from: ['Camille Lefèvre', 'camille.lefevre@gmail.com'], subject: "Re: Nouveautés : la collection d'hiver est arrivée", date: when(2026, 11, 18, 12, 4),
    text: 'Bonjour,\n\nMerci de me désinscrire de votre newsletter.\n\nCordialement,\nCamille Lefèvre',
    quote: reply('camille.lefevre@gmail.com', FR1),
  },
  {
    file: 'h071-unsubscribe-fr-orange-latin1-desabonnement.eml',
    label: act('unsubscribe', 'fr', 'jp.moreau@orange.fr', 'unsubscribe', "webmail in ISO-8859-1, 'désabonnement svp', subject without accents"),
    client: 'ox', charset: 'ISO-8859-1', mailerHost: 'wwinf1f31.orange.fr', from: ['Jean-Pierre Moreau', 'jp.moreau@orange.fr'], subject: 'desabonnement', date: when(2026, 11, 19, 18, 32),
    text: 'désabonnement svp\n\nJ-P Moreau',
  },
  {
    file: 'h072-unsubscribe-fr-outlook-ne-plus-recevoir.eml',
    label: act('unsubscribe', 'fr', 'n.girard@cabinet-girard.example', 'unsubscribe', "Outlook in French, 'ne souhaite plus recevoir', 'supprimer mon adresse de votre liste'; disclaimer says supprimer", { alsoAccept: ['erase'] }),
    client: 'outlook', from: ['Nathalie Girard', 'n.girard@cabinet-girard.example'], subject: 'Vos courriels commerciaux', date: when(2026, 11, 23, 9, 41),
    text: 'Madame, Monsieur,\n\nJe ne souhaite plus recevoir vos offres commerciales par courriel. Je vous remercie de supprimer mon adresse de votre liste de diffusion.\n\nBien cordialement,\nNathalie Girard',
    sig: 'Cabinet Girard – Expertise comptable\n12, rue de la République – 69002 Lyon\nTél. : 04 72 00 00 00',
    disclaimer: DISCLAIMER_FR,
  },
  {
    file: 'h073-erase-fr-orange-rgpd-article17.eml',
    label: act('erase', 'fr', 'sylvie.bernard@wanadoo.fr', 'erase', 'formal letter, effacement under article 17 RGPD, with the CNIL as the fallback'),
    client: 'ox', mailerHost: 'wwinf1f22.orange.fr', from: ['Sylvie Bernard', 'sylvie.bernard@wanadoo.fr'], subject: "Demande d'effacement de données personnelles (article 17 du RGPD)", date: when(2026, 11, 20, 10, 55),
    text: "Madame, Monsieur,\n\nConformément à l'article 17 du Règlement général sur la protection des données, je vous demande de procéder à l'effacement de l'ensemble des données à caractère personnel me concernant que vous détenez, y compris mon compte client.\n\nJe vous remercie de me confirmer la suppression dans un délai d'un mois. À défaut de réponse, je me réserve le droit de saisir la CNIL.\n\nVeuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.\n\nSylvie Bernard",
  },
  {
    file: 'h074-erase-fr-gmail-android-supprimez-compte.eml',
    label: act('erase', 'fr', 'lucas.petit33@gmail.com', 'erase', "mobile: 'supprimez mon compte svp'"),
    client: 'gmail', android: true, from: ['Lucas Petit', 'lucas.petit33@gmail.com'], subject: 'Compte', date: when(2026, 11, 25, 22, 14),
    text: "Supprimez mon compte svp, je ne l'utilise plus",
  },
  {
    file: 'h075-erase-fr-thunderbird-droit-oubli.eml',
    label: act('erase', 'fr', 'a.rousseau@free.fr', 'erase', "'droit à l'oubli', asks to erase all information"),
    client: 'thunderbird', from: ['Antoine Rousseau', 'a.rousseau@free.fr'], subject: "Droit à l'oubli", date: when(2026, 11, 27, 14, 8),
    text: "Bonjour,\n\nJe souhaite exercer mon droit à l'oubli. Pourriez-vous effacer toutes les informations me concernant de vos fichiers ?\n\nMerci d'avance,\nAntoine Rousseau",
  },
  {
    file: 'h076-access-fr-outlook-droit-acces.eml',
    label: hold('access', 'fr', 'e.fontaine@fontaine-immo.example', 'access', "droit d'accès under article 15 RGPD; disclaimer says supprimer"),
    client: 'outlook', from: ['Émilie Fontaine', 'e.fontaine@fontaine-immo.example'], subject: "Exercice de mon droit d'accès", date: when(2026, 11, 24, 15, 17),
    text: "Bonjour,\n\nEn application de l'article 15 du RGPD, je souhaite obtenir la communication de l'ensemble des données personnelles me concernant que vous conservez, ainsi que leur origine et les destinataires auxquels elles ont été transmises.\n\nCordialement,\nÉmilie Fontaine",
    disclaimer: DISCLAIMER_FR,
  },
  {
    file: 'h077-objection-fr-iphone-prospection.eml',
    label: act('unsubscribe', 'fr', 'marc.dubois@icloud.com', 'objection', "'je m'oppose' to commercial prospecting, from an iPhone"),
    client: 'iphone', from: ['Marc Dubois', 'marc.dubois@icloud.com'], subject: 'Opposition', date: when(2026, 11, 21, 8, 2),
    text: "Bonjour,\nJe m'oppose à l'utilisation de mes données à des fins de prospection commerciale.\nMarc Dubois",
  },
  {
    file: 'h078-negation-fr-gmail-pas-desabonner.eml',
    label: hold('unknown', 'fr', 'isabelle.roux@gmail.com', 'negation', "'je ne veux pas me désabonner', only fewer mails"),
    client: 'gmail', from: ['Isabelle Roux', 'isabelle.roux@gmail.com'], subject: "Re: Nouveautés : la collection d'hiver est arrivée", date: when(2026, 11, 18, 20, 47),
    text: "Bonjour,\n\nJe ne veux pas me désabonner ! Je voudrais seulement recevoir moins de mails, une fois par mois me suffirait. C'est possible ?\n\nIsabelle",
    quote: reply('isabelle.roux@gmail.com', FR1),
  },
  {
    file: 'h079-other-fr-applemail-epouse.eml',
    label: about('unsubscribe', 'fr', 'claire.martin@orange.fr', "a husband asks to unsubscribe his wife's address"),
    client: 'applemail', from: ['Philippe Martin', 'philippe.martin@orange.fr'], subject: 'Newsletter de mon épouse', date: when(2026, 11, 26, 11, 30),
    text: 'Bonjour,\n\nMon épouse, Claire Martin (claire.martin@orange.fr), ne souhaite plus recevoir votre newsletter. Pouvez-vous la désinscrire ?\n\nMerci,\nPhilippe Martin',
  },
  {
    file: 'h080-question-fr-orange-adresse-livraison.eml',
    label: hold('unknown', 'fr', 'g.lambert@orange.fr', 'question', 'how to change the delivery address; the reply block of the webmail is prefixed'),
    client: 'ox', mailerHost: 'wwinf1f40.orange.fr', from: ['Gérard Lambert', 'g.lambert@orange.fr'], subject: "Re: Nouveautés : la collection d'hiver est arrivée", date: when(2026, 11, 18, 16, 21),
    text: "Bonjour,\n\nComment modifier mon adresse de livraison ? J'ai déménagé et je ne trouve pas où la changer sur le site.\n\nMerci,\nG. Lambert",
    quote: reply('g.lambert@orange.fr', FR1),
  },
];
