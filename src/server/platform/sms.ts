import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../../shared/mask.ts';

/**
 * Text messages to people without the app (a hotline caller, a resident who asked for SMS).
 * Installations plug in their gateway (运营商/云短信) by implementing this; the default only logs.
 */
export interface SmsSender {
  readonly name: string;
  send(message: { to: string; text: string; reference: string }): Promise<void>;
}

/** The default: writes each message to the log with the number masked, sends nothing. */
export function loggingSmsSender(log: FastifyBaseLogger): SmsSender {
  return {
    name: 'log',
    async send({ to, text, reference }) {
      log.info({ sms: { to: maskPhone(to), reference, length: text.length } }, `SMS (not sent, logging sender): ${text}`);
    },
  };
}
