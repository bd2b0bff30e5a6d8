/**
 * The playground's calls: POST /api/route (the prompt's full routing trace) and chat completions with
 * `"routing": true` (streamed, whose chunks carry each generated token's experts and weights, or whole for the
 * what-if comparison); both optionally with a `routing_override` (admin token only).
 */
import { authorisedFetch, errorOf, sendJson } from '../../api/http';
import { readSseData } from '../../api/sseEvents';
import type { ChatChunk, ChatCompletion, RouteTrace, RoutingOverride } from '../../api/types';

/**
 * Routes plain text (tokenized with BOS), or the text as one user message rendered with the model's chat template;
 * with `override`, routed as that what-if asks for this request only.
 */
export function routePrompt(text: string, asChat: boolean, override?: RoutingOverride): Promise<RouteTrace> {
  const body = asChat ? { messages: [{ role: 'user', content: text }] } : { input: text };
  return sendJson<RouteTrace>('POST', '/api/route', override === undefined ? body : { ...body, routing_override: override });
}

/** A greedy completion and the routing of every generated token, whole (not streamed). */
export interface Completion {
  text: string;
  experts: number[][][];
}

export async function completeOnce(model: string, prompt: string, maxTokens: number, override?: RoutingOverride): Promise<Completion> {
  const body = {
    model, messages: [{ role: 'user', content: prompt }], routing: true, max_tokens: maxTokens, temperature: 0,
    ...(override === undefined ? {} : { routing_override: override }),
  };
  const answer = await sendJson<ChatCompletion>('POST', '/v1/chat/completions', body);
  const choice = answer.choices[0];
  return { text: choice?.message.content ?? '', experts: choice?.routed_experts ?? [] };
}

/** One streamed piece of text and the routing of the tokens behind it ([tokens][layers][k]). */
export interface GeneratedPiece {
  text: string;
  experts: number[][][];
  weights: number[][][];
}

export async function generate(model: string, prompt: string, maxTokens: number, onPiece: (piece: GeneratedPiece) => void,
  signal: AbortSignal): Promise<void> {
  const response = await authorisedFetch('/v1/chat/completions', {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({
      model, messages: [{ role: 'user', content: prompt }], stream: true, routing: true, max_tokens: maxTokens, temperature: 0,
    }),
  });
  if (!response.ok) {
    throw await errorOf(response);
  }
  await readSseData(response, (data) => {
    if (data === '[DONE]') return;
    const chunk = JSON.parse(data) as ChatChunk | { error: { message: string } };
    if ('error' in chunk) throw new Error(chunk.error.message);
    for (const choice of chunk.choices) {
      const experts = choice.routed_experts ?? [];
      const text = choice.delta.content ?? '';
      if (text !== '' || experts.length > 0) {
        onPiece({ text, experts, weights: choice.routed_weights ?? [] });
      }
    }
  });
}
