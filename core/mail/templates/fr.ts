import type { TemplateSet } from './index';

/** French texts; placeholders as in nl.ts. Formal address (vous). */
const greeting = '{{#name}}Bonjour {{name}},{{/name}}{{^name}}Bonjour,{{/name}}';
const privacy = '{{#privacyUrl}}\n\nComment nous traitons vos données : {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nCordialement,\n{{organisation}}${privacy}`;

export const fr: TemplateSet = {
  confirmation: {
    subject: 'Veuillez confirmer votre inscription auprès de {{organisation}}',
    text: `${greeting}

Vous vous êtes inscrit(e) pour recevoir des messages de {{organisation}}. Veuillez confirmer que c'était bien vous en ouvrant ce lien :

{{confirmUrl}}

Vous ne vous êtes pas inscrit(e) ? Vous n'avez rien à faire : sans votre confirmation, nous ne vous envoyons rien.

Se désinscrire ou modifier vos préférences : {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: 'Souhaitez-vous continuer à recevoir des nouvelles de {{organisation}} ?',
    text: `${greeting}

Vous recevez de temps en temps des messages de {{organisation}}. Nous ne continuerons à vous les envoyer qu'avec votre accord explicite. Souhaitez-vous continuer à les recevoir ? Veuillez le confirmer avec ce lien :

{{confirmUrl}}

Si vous ne faites rien, nous ne vous enverrons plus de messages.

Vous désinscrire tout de suite : {{unsubscribeUrl}}
Vos préférences : {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Rappel : souhaitez-vous continuer à recevoir des nouvelles de {{organisation}} ?',
    text: `${greeting}

Nous vous avons récemment demandé si vous souhaitiez continuer à recevoir des messages de {{organisation}}, et nous n'avons pas encore vu de réponse. Souhaitez-vous continuer à les recevoir ? Veuillez le confirmer avec ce lien :

{{confirmUrl}}

Si vous ne faites rien, nous ne vous enverrons plus de messages.

Vous désinscrire tout de suite : {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: "Veuillez confirmer l'effacement de vos données chez {{organisation}}",
    text: `${greeting}

Nous avons reçu une demande d'effacement de vos données. Pour être sûrs qu'elle vient de vous, veuillez la confirmer : ouvrez ce lien et appuyez sur le bouton :

{{eraseUrl}}

Vous n'avez rien demandé ? Vous n'avez rien à faire : rien ne sera effacé.${signOff}`,
  },
  'privacy-request': {
    subject: "Veuillez confirmer votre demande à {{organisation}}",
    text: `${greeting}

Nous avons reçu, via notre formulaire de confidentialité, une demande concernant vos données : les consulter, les effacer ou ne plus vous écrire. Pour être sûrs qu'elle vient de vous, veuillez la confirmer : ouvrez ce lien et appuyez sur le bouton :

{{privacyRequestUrl}}

Le lien est valable un jour. Vous n'avez rien demandé ? Vous n'avez rien à faire : rien ne changera.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'Vous êtes désinscrit(e) de {{organisation}}',
    text: `${greeting}

Votre demande de désinscription a été traitée. Vous ne recevrez plus de messages de {{organisation}} à cette adresse.${signOff}`,
  },
  'ack-erased': {
    subject: 'Vos données chez {{organisation}} ont été effacées',
    text: `${greeting}

Nous avons exécuté votre demande : vos données ont été effacées. Nous ne gardons qu'un code irréversible de votre adresse, pour que vous ne receviez plus jamais de messages de notre part, même après un nouvel import.${signOff}`,
  },
  'ack-suppressed': {
    subject: "Votre demande d'effacement auprès de {{organisation}}",
    text: `${greeting}

Nous avons reçu votre demande. La loi nous oblige à conserver une partie de vos données pendant un certain temps (par exemple pour la comptabilité). Nous n'utilisons ces données à aucune autre fin et les effaçons dès que nous le pouvons. Votre adresse est bloquée : vous ne recevrez plus de messages de notre part.${signOff}`,
  },
  'ack-access': {
    subject: "Nous avons reçu votre demande d'accès auprès de {{organisation}}",
    text: `${greeting}

Nous avons reçu votre demande d'accès à vos données personnelles. Vous aurez de nos nouvelles dans un délai d'un mois. Nous pourrons d'abord vous demander de confirmer que la demande vient bien de vous.${signOff}`,
  },
  'ack-no-data': {
    subject: 'Votre demande auprès de {{organisation}}',
    text: `${greeting}

Nous avons reçu et traité votre demande. Nous ne détenons (plus) aucune donnée vous concernant et ne vous envoyons aucun message.${signOff}`,
  },
  'access-link': {
    subject: 'Vos données chez {{organisation}}',
    text: `${greeting}

Nous avons reçu votre demande d'accès à vos données personnelles. Ce lien vous montre les données que nous détenons sur vous et vous permet de les télécharger sous forme de fichier (JSON) :

{{accessUrl}}

Le lien est valable quelques jours et ne fait qu'afficher : il ne modifie rien. Ne le transmettez pas : toute personne qui a le lien peut voir vos données. Vous n'avez rien demandé ? Alors vous n'avez rien à faire.${signOff}`,
  },
  welcome: {
    subject: 'Bienvenue chez {{organisation}}',
    text: `${greeting}

Merci de votre confirmation : vous êtes inscrit et recevrez désormais les messages de {{organisation}}.

Désinscription à tout moment, en un clic : {{unsubscribeUrl}}
Choisir les sujets sur lesquels nous vous écrivons : {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: 'Vous êtes désinscrit de {{organisation}}',
    text: `${greeting}

Vous êtes désinscrit : vous ne recevrez plus ces messages de {{organisation}}. Ceci est le dernier e-mail à ce sujet ; vous n'avez rien à faire.{{#preferencesUrl}}

Vous avez changé d'avis ? Choisissez ici les sujets sur lesquels nous vous écrivons : {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
