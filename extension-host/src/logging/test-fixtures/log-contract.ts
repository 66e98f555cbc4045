// Contract and cookie shared by the log intake tests and the log fixture plugin.
import { defineService } from '@tether/sdk';

export interface LogFixture {
  /** Sends `n` records of `messageChars` characters on tether.logs, in batches; the last batch says `suppressed`. */
  records(n: number, messageChars: number, suppressed: number): Promise<number>;
  /** Writes `n` lines of `lineChars` characters to stderr (and every 10th through console.error) at full speed. */
  stderrLines(n: number, lineChars: number): Promise<number>;
  /** Logs a record and a stderr warning, then dies of an uncaught TypeError. */
  logThenCrash(): void;
}

export const logFixture = defineService<LogFixture>()('logfix', {
  methods: { records: {}, stderrLines: {}, logThenCrash: {} },
});

export const logFixtureHandshake = { cookieKey: 'TETHER_LOG_FIXTURE', cookieValue: 'log-fixture-1' };
