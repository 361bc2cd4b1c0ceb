// Every mail a person wrote, by the language of the person's own words.
import { DE } from './mails-de.mjs';
import { EN } from './mails-en.mjs';
import { ES } from './mails-es.mjs';
import { FR } from './mails-fr.mjs';
import { IT } from './mails-it.mjs';
import { NL } from './mails-nl.mjs';

export const PEOPLE = [...NL, ...EN, ...DE, ...FR, ...ES, ...IT];
