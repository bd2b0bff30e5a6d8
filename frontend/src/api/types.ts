/**
 * The API's shapes, written once. Each interface tagged `@openapi Name` is checked field by field, both
 * ways, against the schema of that name in the app's OpenAPI document (e2e/openApiContract.e2e.test.ts).
 * Instants are ISO-8601 strings; `| null` marks fields the server documents as nullable.
 */

/** @openapi ExpertTableView — GET /api/admin/experts and the answer of every expert change. */
export interface ExpertTableView {
  model: string;
  expertsPerToken: number;
  layers: ExpertLayer[];
  /** The version of the expert configuration the replicas share that this table matches (0: as loaded). */
  configurationVersion: number;
}

/** @openapi Layer */
export interface ExpertLayer {
  layer: number;
  numExperts: number;
  experts: Expert[];
  /** A dense layer (Qwen's mlp_only_layers): its one expert is the layer's MLP, run by every token; not editable. */
  dense: boolean;
  /** The layer's always-on shared expert (Qwen2-MoE), not routed and not in numExperts; null when none. */
  sharedExpert: SharedExpert | null;
}

/** @openapi SharedExpert */
export interface SharedExpert {
  kind: string;
  plugin: string | null;
  parameters: number;
  memoryBytes: number;
}

export type ExpertState = 'enabled' | 'disabled' | 'failed';

/** @openapi Expert */
export interface Expert {
  index: number;
  kind: string;
  plugin: string | null;
  origin: string;
  parameters: number;
  memoryBytes: number;
  state: ExpertState;
  selectionBias: number;
  reason: string | null;
}

export type PluginState = 'DISCOVERED' | 'VALIDATED' | 'STARTED' | 'DRAINING' | 'UNLOADED' | 'FAILED';

/** @openapi PluginView — GET /api/admin/plugins. */
export interface PluginView {
  id: string;
  version: string;
  source: string;
  requiresSpi: string;
  hostSpi: string;
  state: PluginState;
  reason: string;
  kinds: string[];
  contributedExperts: string[];
  liveExperts: number;
}

/** @openapi ReplaceRequest — POST /api/admin/experts/layers/{layer}/replace. */
export interface ReplaceRequest {
  kind: string;
  expert: number | null;
  /** The kind's options (e.g. quantisation settings); null for the kind's defaults. */
  options: Record<string, string> | null;
}

/** @openapi AddRequest — POST /api/admin/experts/contributed. */
export interface AddRequest {
  plugin: string;
  name: string;
  selectionBias: number | null;
  /** Options for the contributed expert's kind, over the plugin's own; null for none. */
  options: Record<string, string> | null;
}

/** @openapi ExpertUsage — GET /api/stats/utilisation. */
export interface ExpertUsage {
  bucketStart: string;
  domain: string;
  layer: number;
  expert: number;
  firstChoice: number;
  anyChoice: number;
  routerProbabilitySum: number;
  share: number;
}

/** @openapi BalanceGauges — GET /api/stats/balance. */
export interface BalanceGauges {
  bucketStart: string;
  layer: number;
  numExperts: number;
  tokens: number;
  dropRate: number;
  cvLoad: number;
  cvImportance: number;
  maxMeanLoad: number;
  maxVio: number;
  jainIndex: number;
  deadExpertFraction: number;
  loadDiversity: number;
  routerPerplexityRatio: number;
  auxLossPerStep: number;
  auxLoss: number;
  zLoss: number;
}

/** @openapi ExpertEvent — GET /api/stats/events. */
export interface ExpertEvent {
  occurredAt: string;
  instanceId: string;
  modelId: string | null;
  layer: number | null;
  expert: number | null;
  plugin: string | null;
  kind: string;
  reason: string | null;
}

/** @openapi DomainDistribution — GET /api/stats/domains. */
export interface DomainDistribution {
  domain: string;
  layer: number;
  assignments: number;
  uniformShare: number;
  shares: number[];
}

/** @openapi ConsecutiveRates — GET /api/stats/consecutive. */
export interface ConsecutiveRates {
  domain: string;
  layer: number;
  pairs: number;
  sameFirstRate: number;
  firstOrSecondRate: number;
  randomSameFirstRate: number;
  randomFirstOrSecondRate: number;
}

/** @openapi TokenCount — GET /api/stats/top-tokens. */
export interface TokenCount {
  token: string;
  count: number;
}

/** @openapi LiveLayer */
export interface LiveLayer {
  model: string;
  domain: string;
  layer: number;
  tokens: number;
  dropped: number;
  firstChoice: number[];
  anyChoice: number[];
}

/** @openapi LiveWindow — one frame of GET /api/stats/live (SSE). */
export interface LiveWindow {
  windowStart: string;
  layers: LiveLayer[];
}

/** @openapi ServingFigures — GET /api/stats/serving. */
export interface ServingFigures {
  at: string;
  requestsFinished: number;
  requestsRejected: number;
  generatedTokens: number;
  promptTokens: number;
  queued: number;
  running: number;
  timeToFirstTokenP50Seconds: number;
  timeToFirstTokenP90Seconds: number;
  interTokenLatencyP50Seconds: number;
  interTokenLatencyP90Seconds: number;
}

/** @openapi RouteTrace — POST /api/route. */
export interface RouteTrace {
  model: string;
  layers: number;
  experts: number;
  experts_per_token: number;
  /** Layers whose one MLP every token runs (weight 1). */
  dense_layers: number[];
  /** Layers where a shared expert also runs on every token, beside the routed experts. */
  shared_expert_layers: number[];
  tokens: RoutedToken[];
}

/** @openapi RoutedToken */
export interface RoutedToken {
  position: number;
  id: number;
  text: string;
  layers: LayerRoute[];
}

/** @openapi LayerRoute */
export interface LayerRoute {
  layer: number;
  experts: number[];
  weights: number[];
  probabilities: number[];
}

/**
 * The Switchboard extension `routing_override` of POST /api/route and the completion endpoints ("what if",
 * docs/API.md, admin token only): k, experts masked and a router-logit bias per expert, in every layer, plus
 * per-layer additions. Request bodies are untyped in the OpenAPI document, so this one is not checked there.
 */
export interface RoutingOverride {
  experts_per_token?: number;
  masked_experts?: number[];
  logit_bias?: number[];
  layers?: LayerRoutingOverride[];
}

/** One layer's additions to the every-layer mask and bias. */
export interface LayerRoutingOverride {
  layer: number;
  masked_experts?: number[];
  logit_bias?: number[];
}

/**
 * The answer of a non-streamed POST /v1/chat/completions with `"routing": true`: the text and the routing of
 * every generated token (`[tokens][layers][k]`). Untyped in the OpenAPI document, like the chunks.
 */
export interface ChatCompletion {
  id: string;
  choices: {
    index: number;
    message: { role: string; content: string };
    finish_reason: string;
    routed_experts?: number[][][];
    routed_weights?: number[][][];
  }[];
}

/** @openapi ReplicaView — one entry of GET /api/admin/instances (from the replica's last heartbeat). */
export interface ReplicaView {
  instance: string;
  version: string;
  model: string | null;
  expertConfigurationVersion: number;
  /** Why the replica could not apply the newest expert configuration; null when it did. */
  expertConfigurationError: string | null;
  queued: number;
  running: number;
  startedAt: string;
  lastHeartbeat: string;
}

/** @openapi InstanceUsage — one replica's usage (or the fleet's, instance `*`). */
export interface InstanceUsage {
  instance: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  routedTokens: number;
}

/** @openapi FleetUsage — GET /api/stats/instances; `total` is the exact sum of `instances`. */
export interface FleetUsage {
  total: InstanceUsage;
  instances: InstanceUsage[];
}

/** @openapi Rebuilt */
export interface RebuiltExpert {
  layer: number;
  expert: number;
  kind: string;
  options: Record<string, string>;
}

/** @openapi Contributed */
export interface ContributedExpert {
  plugin: string;
  name: string;
  selectionBias: number;
  options: Record<string, string>;
  /** Router rows [layer][hidden] fitted by calibration, which every replica installs; null: derived from the jar. */
  gateRows: number[][] | null;
}

/** @openapi Disabled */
export interface DisabledExpert {
  layer: number;
  expert: number;
}

/** @openapi ExpertConfiguration — what differs from the model as loaded. */
export interface ExpertConfiguration {
  rebuilt: RebuiltExpert[];
  contributed: ContributedExpert[];
  disabled: DisabledExpert[];
}

/** @openapi Pending — a replica behind the newest expert configuration. */
export interface PendingReplica {
  instance: string;
  appliedVersion: number;
  error: string | null;
}

/** @openapi ExpertConfigurationView — GET /api/admin/experts/configuration. */
export interface ExpertConfigurationView {
  model: string;
  /** The newest version (0: the model as loaded, nothing stored yet). */
  version: number;
  changedAt: string | null;
  changedBy: string | null;
  configuration: ExpertConfiguration;
  appliedBy: string[];
  pending: PendingReplica[];
}

/** @openapi CalibrationRequest — POST /api/admin/experts/contributed/{plugin}/{name}/calibrate. */
export interface CalibrationRequest {
  /** Text from the expert's domain: fitted on, its last fifth held out and measured. */
  text: string | null;
  /** Other text, measured only; null: the built-in sample. */
  other: string | null;
  steps: number | null;
  learningRate: number | null;
}

/** @openapi CalibrationMeasure — one text with one choice of router rows. */
export interface CalibrationMeasure {
  /** Mean next-token cross-entropy, nats per token. */
  loss: number;
  /** The expert's share of the text's top-k places, averaged over layers. */
  share: number;
}

/** @openapi CalibrationRows — one choice of rows; the changes are against the model without the expert. */
export interface CalibrationRows {
  calibration: CalibrationMeasure;
  other: CalibrationMeasure;
  calibrationLossChange: number;
  otherLossChange: number;
}

/** @openapi CalibrationBaseline — the expert masked out of routing. */
export interface CalibrationBaseline {
  calibration: CalibrationMeasure;
  other: CalibrationMeasure;
}

/** @openapi CalibrationTokens */
export interface CalibrationTokens {
  fit: number;
  heldOut: number;
  other: number;
}

/** @openapi CalibrationReport — the answer of a calibration: the fitted rows are installed on every replica. */
export interface CalibrationReport {
  origin: string;
  expert: number;
  steps: number;
  fitSeconds: number;
  totalSeconds: number;
  tokens: CalibrationTokens;
  otherSource: string;
  withoutExpert: CalibrationBaseline;
  heuristic: CalibrationRows;
  calibrated: CalibrationRows;
  configurationVersion: number;
}

/** @openapi HeldOutDomain — one domain's held-out loss as eval measured it. */
export interface HeldOutDomain {
  domain: string;
  windows: number;
  /** Predicted positions evaluated. */
  tokens: number;
  natsPerToken: number;
  bitsPerByte: number;
}

/** @openapi HeldOutLosses */
export interface HeldOutLosses {
  natsPerToken: number;
  domains: HeldOutDomain[];
}

/** @openapi HeldOutReport — the model folder's eval-report.json (eval --json --output). */
export interface HeldOutReport {
  /** The model folder as eval was given it. */
  model: string;
  /** The recipe whose held-out split was measured. */
  recipe: string;
  window: number;
  windowsPerDomain: number;
  /** When eval ran; null for a report written before eval recorded it. */
  measuredAt: string | null;
  heldOut: HeldOutLosses;
}

/** @openapi ModelEvaluationView — GET /api/stats/eval; 404 when the model folder has no eval-report.json. */
export interface ModelEvaluationView {
  model: string;
  source: string;
  report: HeldOutReport;
}

/** A chat message of the OpenAI API. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * One streamed chunk of POST /v1/chat/completions with `"routing": true` (docs/API.md): `routed_experts`
 * and `routed_weights` are `[tokens][layers][k]`, one entry per generated token behind the chunk's text.
 * The completion endpoints answer untyped JSON in the OpenAPI document, so this one is not checked there.
 */
export interface ChatChunk {
  id: string;
  choices: {
    index: number;
    delta: { role?: string; content?: string };
    finish_reason: string | null;
    routed_experts?: number[][][];
    routed_weights?: number[][][];
  }[];
}

/** The OpenAI-shaped error body every route answers on failure. */
export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
