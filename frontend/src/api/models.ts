/** The served model's id, which every statistics call names. */
import { getJson } from './http';

interface ModelList {
  data: { id: string; context_length: number }[];
}

/** The served model's id, or null while none is loaded (the list is empty then). */
export async function servedModel(signal?: AbortSignal): Promise<string | null> {
  const list = await getJson<ModelList>('/v1/models', signal);
  return list.data[0]?.id ?? null;
}
