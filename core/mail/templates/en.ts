import type { TemplateSet } from './index';

/** English texts; placeholders as in nl.ts. */
const greeting = '{{#name}}Dear {{name}},{{/name}}{{^name}}Hello,{{/name}}';
const privacy = '{{#privacyUrl}}\n\nHow we handle your data: {{privacyUrl}}{{/privacyUrl}}';
const signOff = `\n\nKind regards,\n{{organisation}}${privacy}`;

export const en: TemplateSet = {
  confirmation: {
    subject: 'Please confirm your subscription to {{organisation}}',
    text: `${greeting}

You signed up for messages from {{organisation}}. Please confirm it was you by opening this link:

{{confirmUrl}}

Did not sign up? Then there is nothing to do: without your confirmation we send you nothing.

Unsubscribe or change your preferences: {{preferencesUrl}}${signOff}`,
  },
  invitation: {
    subject: 'Would you like to keep hearing from {{organisation}}?',
    text: `${greeting}

Now and then you receive messages from {{organisation}}. We will only keep sending them with your explicit permission. Would you like to keep receiving them? Please confirm with this link:

{{confirmUrl}}

If you do nothing, we will stop sending you messages.

Unsubscribe right away: {{unsubscribeUrl}}
Your preferences: {{preferencesUrl}}${signOff}`,
  },
  reminder: {
    subject: 'Reminder: would you like to keep hearing from {{organisation}}?',
    text: `${greeting}

We recently asked whether you would like to keep receiving messages from {{organisation}}, and have not seen an answer yet. Would you like to keep receiving them? Please confirm with this link:

{{confirmUrl}}

If you do nothing, we will stop sending you messages.

Unsubscribe right away: {{unsubscribeUrl}}${signOff}`,
  },
  'erase-verification': {
    subject: 'Please confirm the erasure of your data at {{organisation}}',
    text: `${greeting}

We received a request to erase your data. To be sure the request comes from you, please confirm it: open this link and press the button:

{{eraseUrl}}

Did not ask for this? Then there is nothing to do: nothing will be erased.${signOff}`,
  },
  'privacy-request': {
    subject: 'Please confirm your request to {{organisation}}',
    text: `${greeting}

We received a request about your data on our privacy request form: to see it, to erase it, or to stop mailing you. To be sure the request comes from you, please confirm it: open this link and press the button:

{{privacyRequestUrl}}

The link works for one day. Did not ask for this? Then there is nothing to do: nothing will change.${signOff}`,
  },
  'ack-unsubscribed': {
    subject: 'You are unsubscribed from {{organisation}}',
    text: `${greeting}

Your unsubscribe request has been processed. You will receive no more messages from {{organisation}} at this address.${signOff}`,
  },
  'ack-erased': {
    subject: 'Your data at {{organisation}} has been erased',
    text: `${greeting}

We carried out your request: your data has been erased. We keep only a one-way code of your address, so that you never receive messages from us again, not even after a new import.${signOff}`,
  },
  'ack-suppressed': {
    subject: 'Your erasure request at {{organisation}}',
    text: `${greeting}

We received your request. The law requires us to keep part of your data for a while (for example for tax records). We use that data for nothing else and erase it as soon as we may. Your address is blocked: you will receive no more messages from us.${signOff}`,
  },
  'ack-access': {
    subject: 'We received your access request at {{organisation}}',
    text: `${greeting}

We received your request for access to your personal data. You will hear from us within one month. We may first ask you to confirm that the request comes from you.${signOff}`,
  },
  'ack-no-data': {
    subject: 'Your request at {{organisation}}',
    text: `${greeting}

We received and carried out your request. We hold no data about you (any more) and send you no messages.${signOff}`,
  },
  'access-link': {
    subject: 'Your data at {{organisation}}',
    text: `${greeting}

We received your request for access to your personal data. This link shows what we hold about you, and lets you download it as a file (JSON):

{{accessUrl}}

The link works for a few days and only shows: it changes nothing. Keep it to yourself: whoever has the link can see your data. Did not ask for this? Then there is nothing to do.${signOff}`,
  },
  welcome: {
    subject: 'Welcome to {{organisation}}',
    text: `${greeting}

Thank you for confirming: you are subscribed and will receive messages from {{organisation}}.

Unsubscribe at any time, in one click: {{unsubscribeUrl}}
Choose what we email you about: {{preferencesUrl}}${signOff}`,
  },
  goodbye: {
    subject: 'You are unsubscribed from {{organisation}}',
    text: `${greeting}

You are unsubscribed: you will no longer receive these messages from {{organisation}}. This is the last mail about it; there is nothing you need to do.{{#preferencesUrl}}

Changed your mind? Choose what we email you about: {{preferencesUrl}}{{/preferencesUrl}}${signOff}`,
  },
};
