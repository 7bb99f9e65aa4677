import { readFileSync } from 'node:fs';

/** A text of the corpus: as it is, or one character (or more) repeated to a length no file should hold. */
export type CorpusText = string | { repeat: string; times: number };

export function corpusText(text: CorpusText): string {
  return typeof text === 'string' ? text : text.repeat.repeat(text.times);
}

export interface TerminalSequence {
  name: string;
  text: string;
}

export interface PoisonMessage {
  name: string;
  value?: string;
  valueBase64?: string;
  /** The reason pix gives when it skips the message. */
  rule: string;
}

export interface FileLine {
  name: string;
  line?: string;
  lineBase64?: string;
  rule: string;
}

export interface FlagCase {
  args: CorpusText[];
  exit: number;
  stderr: string;
}

export interface HttpRequestCase {
  name: string;
  method: string;
  path: string;
  /** `{host}` and `{port}` stand for the dashboard's address. */
  headers: Record<string, string>;
  body?: CorpusText;
  status: number;
}

export interface WebSocketFrameCase {
  name: string;
  payload?: CorpusText;
  payloadHex?: string;
  opcode?: number;
  masked?: boolean;
  rsv1?: boolean;
  fin?: boolean;
  /** The ws error code, as pix_websocket_frames_refused_total{reason} counts it. */
  reason: string;
  close: number;
}

/** The standing corpus of bad inputs in test/fixtures/bad-inputs (its README says what each file holds). */
function corpus<T>(file: string): T[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/bad-inputs/${file}`, import.meta.url), 'utf8')) as T[];
}

export const badInputs = {
  terminalSequences: (): TerminalSequence[] => corpus('terminal-sequences.json'),
  poisonMessages: (): PoisonMessage[] => corpus('poison-messages.json'),
  fileLines: (): FileLine[] => corpus('file-lines.json'),
  flagCases: (): FlagCase[] => corpus('flag-cases.json'),
  httpRequests: (): HttpRequestCase[] => corpus('http-requests.json'),
  webSocketFrames: (): WebSocketFrameCase[] => corpus('websocket-frames.json'),
};

/** A poison message's value as bytes, exactly as the corpus gives it. */
export function messageBytes(message: PoisonMessage): Buffer {
  return message.valueBase64 !== undefined
    ? Buffer.from(message.valueBase64, 'base64')
    : Buffer.from(message.value ?? '', 'utf8');
}

/** A file line as bytes, exactly as the corpus gives it. */
export function lineBytes(line: FileLine): Buffer {
  return line.lineBase64 !== undefined ? Buffer.from(line.lineBase64, 'base64') : Buffer.from(line.line ?? '', 'utf8');
}
