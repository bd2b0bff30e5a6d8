/** Direct calls to the app from the test (traffic for the heatmap, the served routing), with the admin token. */
import { inject } from 'vitest';

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${inject('appUrl')}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${inject('adminToken')}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export async function complete(model: string, content: string): Promise<void> {
  await post('/v1/chat/completions', { model, messages: [{ role: 'user', content }], max_tokens: 8, temperature: 0 });
}

export async function firstChoices(input: string, layer: number): Promise<number[]> {
  const trace = (await post('/api/route', { input })) as { tokens: { layers: { experts: number[] }[] }[] };
  return trace.tokens.map((token) => token.layers[layer]?.experts[0] ?? -1);
}

export async function enableExpert(layer: number, expert: number): Promise<void> {
  await post(`/api/admin/experts/layers/${layer}/experts/${expert}/enable`, {});
}

/** A greedy chat completion's text and the routing of its tokens ([tokens][layers][k]). */
export async function completion(model: string, content: string): Promise<{ text: string; experts: number[][][] }> {
  const answer = (await post('/v1/chat/completions', {
    model, messages: [{ role: 'user', content }], max_tokens: 12, temperature: 0, routing: true,
  })) as { choices: { message: { content: string }; routed_experts: number[][][] }[] };
  return { text: answer.choices[0]?.message.content ?? '', experts: answer.choices[0]?.routed_experts ?? [] };
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${inject('appUrl')}${path}`, { headers: { Authorization: `Bearer ${inject('adminToken')}` } });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
