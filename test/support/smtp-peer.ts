import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (smtp-server, the nodemailer family) that keeps what it
 * receives, parsed, and can be told to refuse the next N deliveries (to test retries).
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  /** Deliveries accepted, also when they are not kept (`keep: false`). */
  accepted = 0;
  private keep = true;
  private failures = 0;
  private failCode = 451;
  private server?: SMTPServer;
  port = 0;

  /** `keep: false` only counts what arrives (a sink for benchmarks: no parsing, no memory). */
  static async start(options: { keep?: boolean } = {}): Promise<SmtpPeer> {
    const peer = new SmtpPeer();
    peer.keep = options.keep ?? true;
    await peer.listen();
    return peer;
  }

  private listen(): Promise<void> {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      size: 50 * 1024 * 1024,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => this.onData(stream, session, callback),
    });
    this.server.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      this.server!.listen(0, '127.0.0.1', () => {
        this.port = (this.server!.server.address() as AddressInfo).port;
        resolve();
      });
      this.server!.server.once('error', reject);
    });
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => {
      if (this.keep) chunks.push(c);
    });
    stream.on('end', async () => {
      if (this.failures > 0) {
        this.failures--;
        const error = Object.assign(new Error(this.failCode >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: this.failCode });
        callback(error);
        return;
      }
      this.accepted++;
      if (!this.keep) {
        callback(null);
        return;
      }
      const raw = Buffer.concat(chunks);
      const parsed = await simpleParser(raw);
      const envelope = session.envelope;
      this.received.push({
        from: envelope.mailFrom ? envelope.mailFrom.address : '',
        to: envelope.rcptTo.map((r) => r.address),
        raw,
        parsed,
      });
      callback(null);
    });
  }

  /** The next `count` deliveries are refused with `code` (451: try again later; 550: refused for good). */
  failNext(count: number, code = 451): void {
    this.failures = count;
    this.failCode = code;
  }

  settings() {
    return { host: '127.0.0.1', port: this.port, secure: false, rejectUnauthorized: false };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** One header of a received mail as it was sent (unfolded), e.g. List-Unsubscribe, which the parser turns into other fields. */
export function rawHeader(raw: Buffer, name: string): string | undefined {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0];
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head);
  return match?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();
}
