import { connect } from 'node:net';

/**
 * A deliberately naive HTTP/1.1 client on a raw socket, so that hostile requests reach the server
 * byte for byte: any method, any request target, header names and values as raw bytes (control
 * characters, UTF-8, duplicates), any body, with or without chunked framing. `fetch` and
 * `http.request` refuse most of that before it leaves the process. (Not a test file itself.)
 */

export type HeaderValue = string | Buffer;

export interface RawRequest {
  readonly method: string;
  /** The request target exactly as written on the request line. */
  readonly target: string | Buffer;
  /** In order, duplicates allowed; values are written as given (a Buffer byte for byte). */
  readonly headers: ReadonlyArray<readonly [HeaderValue, HeaderValue]>;
  readonly body?: Buffer;
  /** Sends the body with `Transfer-Encoding: chunked` instead of `Content-Length`. */
  readonly chunked?: boolean;
  /** Leaves out the automatic `Content-Length` / `Transfer-Encoding` header. */
  readonly noFraming?: boolean;
  /** Leaves out the automatic `Host` header. */
  readonly noHost?: boolean;
  readonly httpVersion?: '1.0' | '1.1';
  /** Bytes sent as they are, instead of a request built from the fields above. */
  readonly rawBytes?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-cased names; duplicates joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly text: string;
  /** The status line and headers as received. */
  readonly head: string;
}

const CRLF = '\r\n';

const asBuffer = (value: HeaderValue) =>
  typeof value === 'string' ? Buffer.from(value, 'latin1') : value;

/** The bytes of a request. */
export const requestBytes = (request: RawRequest): Buffer => {
  if (request.rawBytes) return request.rawBytes;
  const body = request.body ?? Buffer.alloc(0);
  const parts: Buffer[] = [
    Buffer.from(`${request.method} `, 'latin1'),
    asBuffer(request.target),
    Buffer.from(` HTTP/${request.httpVersion ?? '1.1'}${CRLF}`, 'latin1'),
  ];
  const names = request.headers.map(([name]) => asBuffer(name).toString('latin1').toLowerCase());
  if (!request.noHost && !names.includes('host')) parts.push(Buffer.from(`Host: 127.0.0.1${CRLF}`));
  for (const [name, value] of request.headers)
    parts.push(asBuffer(name), Buffer.from(': '), asBuffer(value), Buffer.from(CRLF));
  if (!request.noFraming) {
    if (request.chunked) parts.push(Buffer.from(`Transfer-Encoding: chunked${CRLF}`));
    else if (body.length > 0 || !['GET', 'HEAD'].includes(request.method))
      parts.push(Buffer.from(`Content-Length: ${body.length}${CRLF}`));
  }
  parts.push(Buffer.from(`Connection: close${CRLF}${CRLF}`));
  if (request.chunked && !request.noFraming) {
    const size = 4096;
    for (let start = 0; start < body.length; start += size) {
      const chunk = body.subarray(start, start + size);
      parts.push(Buffer.from(`${chunk.length.toString(16)}${CRLF}`), chunk, Buffer.from(CRLF));
    }
    parts.push(Buffer.from(`0${CRLF}${CRLF}`));
  } else {
    parts.push(body);
  }
  return Buffer.concat(parts);
};

const decodeChunked = (data: Buffer): Buffer => {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf(CRLF, offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
};

/** Parses the last final (non-1xx) response in what the server sent. */
export const parseResponse = (data: Buffer): RawResponse => {
  let rest = data;
  for (;;) {
    const headEnd = rest.indexOf(`${CRLF}${CRLF}`);
    if (headEnd < 0)
      throw new Error(
        `no complete response: ${JSON.stringify(rest.toString('latin1').slice(0, 200))}`,
      );
    const head = rest.subarray(0, headEnd).toString('latin1');
    const afterHead = rest.subarray(headEnd + 4);
    const [statusLine = '', ...lines] = head.split(CRLF);
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 100 && status < 200) {
      rest = afterHead;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const length = headers['content-length'];
    const body = /chunked/i.test(headers['transfer-encoding'] ?? '')
      ? decodeChunked(afterHead)
      : length !== undefined
        ? afterHead.subarray(0, Number(length))
        : afterHead;
    return { status, headers, body, text: body.toString('utf8'), head };
  }
};

/**
 * Sends one request on a fresh connection and reads the answer until the server closes it.
 * A server that closes the connection while the request is still being written (as Node does
 * after refusing a request) is fine as long as it answered first.
 */
export const sendRaw = (
  port: number,
  request: RawRequest,
  timeoutMs = 20_000,
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(received);
      if (data.length === 0) {
        reject(error ?? new Error('the server closed the connection without answering'));
        return;
      }
      try {
        resolve(parseResponse(data));
      } catch (parseError) {
        reject(parseError);
      }
    };
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(requestBytes(request));
    });
    const timer = setTimeout(() => {
      socket.destroy();
      finish(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error) => finish(error));
  });
