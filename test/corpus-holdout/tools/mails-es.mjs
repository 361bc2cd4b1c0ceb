// Spanish-speaking senders.
import { when } from './mime.mjs';
import { newsletter } from './shop.mjs';
import { about, act, hold } from './spec.mjs';

const reply = (to, date, toName = '') => ({ kind: 'reply', msg: newsletter('es', 0, to, date, { toName }) });
const ES1 = when(2026, 11, 19, 9, 0);

const DISCLAIMER_ES = 'Este mensaje y sus archivos adjuntos van dirigidos exclusivamente a su destinatario y pueden contener información confidencial. Si usted no es el destinatario, le rogamos que lo comunique al remitente y proceda a su borrado. De conformidad con el RGPD y la LOPDGDD, le informamos de que sus datos forman parte de un fichero responsabilidad de Construcciones Navarro S.L.; puede ejercer sus derechos de acceso, rectificación, supresión y oposición escribiendo a protecciondatos@navarro-construcciones.example.';

export const ES = [
  {
    file: 'h085-unsubscribe-es-gmail-denme-de-baja.eml',
    label: act('unsubscribe', 'es', 'lucia.gomez.m@gmail.com', 'unsubscribe', "'denme de baja de su lista' over the quoted Spanish newsletter"),
    client: 'gmail', from: ['Lucía Gómez', 'lucia.gomez.m@gmail.com'], subject: 'Re: Novedades: ya está aquí la colección de invierno', date: when(2026, 11, 19, 13, 25),
    text: 'Hola:\n\nPor favor, denme de baja de su lista de correo.\n\nGracias,\nLucía',
    quote: reply('lucia.gomez.m@gmail.com', ES1),
  },
  {
    file: 'h086-unsubscribe-es-iphone-baja.eml',
    label: act('unsubscribe', 'es', 'jmfernandez@icloud.com', 'unsubscribe', 'subject BAJA in capitals, empty body apart from Enviado desde mi iPhone'),
    client: 'iphone', from: ['José Manuel Fernández', 'jmfernandez@icloud.com'], subject: 'BAJA', date: when(2026, 11, 20, 8, 16),
    text: '',
  },
  {
    file: 'h087-unsubscribe-es-outlook-lopd-disclaimer.eml',
    label: act('unsubscribe', 'es', 'a.navarro@navarro-construcciones.example', 'unsubscribe', "'no deseo seguir recibiendo comunicaciones comerciales'; the disclaimer lists supresión and oposición rights"),
    client: 'outlook', from: ['Alberto Navarro', 'a.navarro@navarro-construcciones.example'], subject: 'RE: Novedades: ya está aquí la colección de invierno', date: when(2026, 11, 19, 17, 2),
    text: 'Buenas tardes:\n\nNo deseo seguir recibiendo comunicaciones comerciales de su empresa en esta dirección.\n\nUn saludo,',
    sig: 'Alberto Navarro\nJefe de obra\nConstrucciones Navarro S.L.\nC/ Mayor 23, 50001 Zaragoza\nTel. 976 00 00 00',
    disclaimer: DISCLAIMER_ES,
    quote: reply('a.navarro@navarro-construcciones.example', ES1, 'Alberto Navarro'),
  },
  {
    file: 'h088-erase-es-outlook-derecho-supresion.eml',
    label: act('erase', 'es', 'm.ortega@ortega-abogados.example', 'erase', 'formal derecho de supresión under art. 17 RGPD, with the AEPD as fallback'),
    client: 'outlook', from: ['María Ortega Ruiz', 'm.ortega@ortega-abogados.example'], subject: 'Ejercicio del derecho de supresión (art. 17 RGPD)', date: when(2026, 11, 23, 10, 30),
    text: 'Estimados señores:\n\nPor medio del presente escrito ejerzo el derecho de supresión previsto en el artículo 17 del Reglamento General de Protección de Datos, y les solicito que eliminen todos los datos personales que sobre mí figuran en sus ficheros, incluida mi cuenta de cliente.\n\nLes ruego que me confirmen la supresión en el plazo de un mes. En caso contrario, me reservo el derecho de presentar una reclamación ante la Agencia Española de Protección de Datos.\n\nAtentamente,\nMaría Ortega Ruiz',
  },
  {
    file: 'h089-erase-es-gmail-borren-datos.eml',
    label: act('erase', 'es', 'pablo.sanz.1990@gmail.com', 'erase', "informal 'quiero que borren todos mis datos', including the account"),
    client: 'gmail', from: ['Pablo Sanz', 'pablo.sanz.1990@gmail.com'], subject: 'Mis datos', date: when(2026, 11, 25, 21, 5),
    text: 'Hola, quiero que borren todos mis datos de su sistema, incluida mi cuenta. Ya no voy a comprar más en su tienda.\n\nSaludos',
  },
  {
    file: 'h090-erase-es-yahoo-mobile-olvido.eml',
    label: act('erase', 'es', 'carmen.vidal@yahoo.es', 'erase', "'derecho al olvido' from Yahoo Mail for Android"),
    client: 'yahoo', mobile: true, from: ['Carmen Vidal', 'carmen.vidal@yahoo.es'], subject: 'Derecho al olvido', date: when(2026, 11, 28, 11, 42),
    text: 'Ejerzo mi derecho al olvido: eliminen toda la información que tengan sobre mí.\n\nCarmen Vidal',
  },
  {
    file: 'h091-access-es-telefonica-derecho-acceso.eml',
    label: hold('access', 'es', 'r.castillo@telefonica.net', 'access', 'derecho de acceso: which data, for what, to whom'),
    client: 'ox', mailerHost: 'telefonica.net', from: ['Ramón Castillo', 'r.castillo@telefonica.net'], subject: 'Derecho de acceso a mis datos', date: when(2026, 11, 22, 9, 58),
    text: 'Buenos días:\n\nDe acuerdo con el artículo 15 del RGPD, solicito acceso a mis datos personales: qué datos tienen, con qué finalidad los tratan y a quién se los han comunicado.\n\nUn saludo,\nRamón Castillo',
  },
  {
    file: 'h092-objection-es-gmail-mercadotecnia.eml',
    label: act('unsubscribe', 'es', 'elena.moreno.b@gmail.com', 'objection', "'me opongo al tratamiento ... con fines de mercadotecnia directa (art. 21 RGPD)'"),
    client: 'gmail', from: ['Elena Moreno', 'elena.moreno.b@gmail.com'], subject: 'Oposición al tratamiento', date: when(2026, 11, 24, 16, 27),
    text: 'Buenas tardes:\n\nMe opongo al tratamiento de mis datos personales con fines de mercadotecnia directa, conforme al artículo 21 del RGPD.\n\nAtentamente,\nElena Moreno',
  },
  {
    file: 'h093-negation-es-samsung-no-baja-idioma.eml',
    label: hold('unknown', 'es', 'diego.herrera@hotmail.com', 'negation', "'no quiero darme de baja', wants the newsletter in Spanish instead of English"),
    client: 'samsung', from: ['Diego Herrera', 'diego.herrera@hotmail.com'], subject: 'Re: Black Friday at De Winkel: 25% off everything', date: when(2026, 11, 27, 19, 33),
    text: 'Hola, no quiero darme de baja, solo que me lleguen los correos en español en vez de en inglés. ¿Se puede?',
    quote: { kind: 'reply', msg: newsletter('en', 0, 'diego.herrera@hotmail.com', when(2026, 11, 27, 6, 0)) },
  },
  {
    file: 'h094-other-es-gmail-marido-fallecido.eml',
    label: about('erase', 'es', 'jruiz1961@telefonica.net', "a widow asks to delete her late husband's account; his address in the body"),
    client: 'gmail', from: ['Rosa Ruiz', 'rosaruiz.bcn@gmail.com'], subject: 'Cuenta de mi marido', date: when(2026, 11, 26, 12, 10),
    text: 'Buenos días:\n\nMi marido, Javier Ruiz, falleció en septiembre. Les ruego que eliminen su cuenta (jruiz1961@telefonica.net) y dejen de enviarle correos.\n\nMuchas gracias,\nRosa Ruiz',
  },
  {
    file: 'h095-question-es-outlook-datos-tarjeta.eml',
    label: hold('unknown', 'es', 'i.molina@molina-asesores.example', 'question', 'how long card data is kept; the disclaimer lists supresión'),
    client: 'outlook', from: ['Isabel Molina', 'i.molina@molina-asesores.example'], subject: 'Datos de pago', date: when(2026, 11, 29, 10, 14),
    text: 'Hola:\n\n¿Cuánto tiempo guardan los datos de mi tarjeta después de una compra? ¿Los guardan ustedes o la pasarela de pago?\n\nGracias,\nIsabel Molina',
    disclaimer: DISCLAIMER_ES.replace('Construcciones Navarro S.L.', 'Molina Asesores S.L.').replace('protecciondatos@navarro-construcciones.example', 'lopd@molina-asesores.example'),
  },
];
