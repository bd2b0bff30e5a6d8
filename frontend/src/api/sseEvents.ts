/**
 * Reads a `text/event-stream` response body and hands each event's data to `onData`. Parsing is
 * eventsource-parser's (the spec's algorithm); this only pumps the body through it.
 */
import { createParser } from 'eventsource-parser';

export async function readSseData(response: Response, onData: (data: string) => void): Promise<void> {
  if (response.body === null) {
    return;
  }
  const parser = createParser({ onEvent: (event) => { onData(event.data); } });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return;
    }
    parser.feed(value);
  }
}
