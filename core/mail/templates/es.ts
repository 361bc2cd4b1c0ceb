import type { TemplateSet } from './index';

/** Spanish texts; placeholders as in nl.ts. Formal address (usted). */
const greeting = '{{#name}}Hola, {{name}}:{{/name}}{{^name}}Hola:{{/name}}';
const privacy = '{{#privacyUrl}}\n\nCómo tratamos sus datos: {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nUn saludo,\n{{organisation}}${privacy}`;

export const es: TemplateSet = {
  confirmation: {
    subject: 'Confirme su suscripción a {{organisation}}',
    text: `${greeting}

Se ha suscrito a los mensajes de {{organisation}}. Confirme que fue usted abriendo este enlace:

{{confirmUrl}}

¿No se ha suscrito? Entonces no tiene que hacer nada: sin su confirmación no le enviamos nada.

Darse de baja o cambiar sus preferencias: {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: '¿Quiere seguir recibiendo noticias de {{organisation}}?',
    text: `${greeting}

De vez en cuando recibe mensajes de {{organisation}}. Solo seguiremos enviándolos con su consentimiento expreso. ¿Quiere seguir recibiéndolos? Confírmelo con este enlace:

{{confirmUrl}}

Si no hace nada, dejaremos de enviarle mensajes.

Darse de baja ahora: {{unsubscribeUrl}}
Sus preferencias: {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Recordatorio: ¿quiere seguir recibiendo noticias de {{organisation}}?',
    text: `${greeting}

Hace poco le preguntamos si quería seguir recibiendo mensajes de {{organisation}} y aún no hemos visto su respuesta. ¿Quiere seguir recibiéndolos? Confírmelo con este enlace:

{{confirmUrl}}

Si no hace nada, dejaremos de enviarle mensajes.

Darse de baja ahora: {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: 'Confirme la supresión de sus datos en {{organisation}}',
    text: `${greeting}

Hemos recibido una solicitud para suprimir sus datos. Para estar seguros de que viene de usted, confírmela: abra este enlace y pulse el botón:

{{eraseUrl}}

¿No lo ha pedido usted? Entonces no tiene que hacer nada: no se suprimirá nada.${signOff}`,
  },
  'privacy-request': {
    subject: 'Confirme su solicitud a {{organisation}}',
    text: `${greeting}

Hemos recibido, a través de nuestro formulario de privacidad, una solicitud sobre sus datos: verlos, suprimirlos o dejar de enviarle correos. Para estar seguros de que viene de usted, confírmela: abra este enlace y pulse el botón:

{{privacyRequestUrl}}

El enlace vale un día. ¿No lo ha pedido usted? Entonces no tiene que hacer nada: no cambiará nada.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'Se ha dado de baja de {{organisation}}',
    text: `${greeting}

Hemos tramitado su baja. No recibirá más mensajes de {{organisation}} en esta dirección.${signOff}`,
  },
  'ack-erased': {
    subject: 'Sus datos en {{organisation}} han sido suprimidos',
    text: `${greeting}

Hemos atendido su solicitud: sus datos han sido suprimidos. Solo conservamos un código irreversible de su dirección, para que nunca vuelva a recibir mensajes nuestros, ni siquiera tras una nueva importación.${signOff}`,
  },
  'ack-suppressed': {
    subject: 'Su solicitud de supresión en {{organisation}}',
    text: `${greeting}

Hemos recibido su solicitud. La ley nos obliga a conservar parte de sus datos durante un tiempo (por ejemplo, a efectos fiscales). No usamos esos datos para nada más y los suprimiremos en cuanto podamos. Su dirección está bloqueada: no recibirá más mensajes nuestros.${signOff}`,
  },
  'ack-access': {
    subject: 'Hemos recibido su solicitud de acceso en {{organisation}}',
    text: `${greeting}

Hemos recibido su solicitud de acceso a sus datos personales. Le responderemos en el plazo de un mes. Puede que antes le pidamos que confirme que la solicitud es suya.${signOff}`,
  },
  'ack-no-data': {
    subject: 'Su solicitud en {{organisation}}',
    text: `${greeting}

Hemos recibido y atendido su solicitud. No tenemos (ya) ningún dato suyo y no le enviamos mensajes.${signOff}`,
  },
  'access-link': {
    subject: 'Sus datos en {{organisation}}',
    text: `${greeting}

Hemos recibido su solicitud de acceso a sus datos personales. Este enlace le muestra los datos que tenemos sobre usted y le permite descargarlos como archivo (JSON):

{{accessUrl}}

El enlace funciona durante unos días y solo muestra: no cambia nada. No lo comparta: quien tenga el enlace puede ver sus datos. ¿No lo ha solicitado? Entonces no tiene que hacer nada.${signOff}`,
  },
  welcome: {
    subject: 'Bienvenido a {{organisation}}',
    text: `${greeting}

Gracias por su confirmación: está suscrito y recibirá los mensajes de {{organisation}}.

Puede darse de baja en cualquier momento, con un clic: {{unsubscribeUrl}}
Elija sobre qué le escribimos: {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: 'Se ha dado de baja de {{organisation}}',
    text: `${greeting}

Se ha dado de baja: ya no recibirá estos mensajes de {{organisation}}. Este es el último correo sobre ello; no tiene que hacer nada.{{#preferencesUrl}}

¿Ha cambiado de opinión? Elija aquí sobre qué le escribimos: {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
