package dev.switchboard.app.routingstats;

import dev.switchboard.app.experts.ExpertLifecycleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes routing statistics to PostgreSQL. Every write is idempotent, so the flusher may retry any of
 * them after a failure whose outcome it cannot know (a lost commit acknowledgement):
 *
 * <ul>
 *   <li>a window replaces this instance's rows inside its span and upserts absolute values, and the 5-minute
 *       and hourly aggregates of that span are recomputed ({@link AggregateRefresh}), in one transaction: a
 *       retry, or a later write of a merged window that contains it, leaves exact totals;
 *   <li>requests, traces and events are keyed (request id; request, position, layer; event id) and
 *       inserted with {@code ON CONFLICT DO NOTHING}; the token counts grow by the traces actually inserted, in
 *       the same statement.
 * </ul>
 *
 * Each table gets one statement per batch: the rows travel as arrays and are expanded with {@code unnest}.
 * Every method only describes its write: nothing happens until the returned {@link Mono} is subscribed, and it
 * fails with a {@link java.util.concurrent.TimeoutException} when the database has not answered within the
 * writer's timeout (cancelling the write, which needs nothing of a frozen server). The flusher runs them one at a
 * time; no thread waits for them (docs/adr/0001-jdbc-for-flyway-r2dbc-for-the-app.md).
 */
final class RoutingStatsWriter {

    private static final String DELETE_EXPERT_SPAN =
            "DELETE FROM expert_window WHERE instance_id = $1 AND window_start >= $2 AND window_start < $3";
    private static final String DELETE_LAYER_SPAN =
            "DELETE FROM layer_window WHERE instance_id = $1 AND window_start >= $2 AND window_start < $3";
    private static final String UPSERT_EXPERTS = """
            INSERT INTO expert_window (window_start, window_seconds, instance_id, model_id, layer, expert, domain,
                                       first_choice, any_choice, router_prob_sum, dropped)
            SELECT $1, $2, $3, m, l, e, d, f, a, p, 0
              FROM unnest($4::text[], $5::int[], $6::int[], $7::text[], $8::bigint[], $9::bigint[], $10::float8[]) AS r(m, l, e, d, f, a, p)
            ON CONFLICT (window_start, instance_id, model_id, layer, expert, domain) DO UPDATE SET
                window_seconds = excluded.window_seconds, first_choice = excluded.first_choice,
                any_choice = excluded.any_choice, router_prob_sum = excluded.router_prob_sum, dropped = excluded.dropped
            """;
    private static final String UPSERT_LAYERS = """
            INSERT INTO layer_window (window_start, window_seconds, instance_id, model_id, layer, domain, num_experts,
                                      steps, tokens, dropped, aux_loss_sum, z_loss_sum, entropy_sum,
                                      consecutive_pairs, same_first_pairs, first_or_second_pairs)
            SELECT $1, $2, $3, m, l, d, n, s, t, dr, ax, z, en, cp, sf, fs
              FROM unnest($4::text[], $5::int[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[],
                          $11::float8[], $12::float8[], $13::float8[], $14::bigint[], $15::bigint[], $16::bigint[])
                   AS r(m, l, d, n, s, t, dr, ax, z, en, cp, sf, fs)
            ON CONFLICT (window_start, instance_id, model_id, layer, domain) DO UPDATE SET
                window_seconds = excluded.window_seconds, num_experts = excluded.num_experts, steps = excluded.steps,
                tokens = excluded.tokens, dropped = excluded.dropped, aux_loss_sum = excluded.aux_loss_sum,
                z_loss_sum = excluded.z_loss_sum, entropy_sum = excluded.entropy_sum,
                consecutive_pairs = excluded.consecutive_pairs, same_first_pairs = excluded.same_first_pairs,
                first_or_second_pairs = excluded.first_or_second_pairs
            """;
    // Timestamps travel as epoch microseconds: exact, and arrays of numbers bind everywhere.
    private static final String INSERT_REQUESTS = """
            INSERT INTO completion_request (id, received_at, instance_id, model_id, prompt_tokens, completion_tokens,
                                            latency_ms, finish_reason, domain)
            SELECT i, TIMESTAMPTZ 'epoch' + us * INTERVAL '1 microsecond', $1, m, p, c, ms, f, d
              FROM unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::float8[], $8::text[], $9::text[])
                   AS r(i, us, m, p, c, ms, f, d)
            ON CONFLICT (id) DO NOTHING
            """;
    // Experts and weights are jagged: each row's array travels as its text form ('{3,5}') and is cast.
    // The same statement counts the traces it inserted (RETURNING leaves out those a retry finds already there) per
    // hour and per UTC day, once per distinct expert of each trace and as first choice for experts[1] (V7); rows are
    // upserted in key order, so writers upserting the same counts lock them in the same order.
    private static final String INSERT_TRACES = """
            WITH inserted AS (
                INSERT INTO token_trace (request_id, position, layer, traced_at, model_id, domain, token_text, experts, weights)
                SELECT i, p, l, TIMESTAMPTZ 'epoch' + us * INTERVAL '1 microsecond', m, d, t, e::int[], w::real[]
                  FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                       AS r(i, p, l, us, m, d, t, e, w)
                ON CONFLICT (request_id, position, layer) DO NOTHING
                RETURNING traced_at, model_id, layer, token_text, experts),
            hourly AS (
                SELECT date_bin('1 hour', i.traced_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket_start, i.model_id, i.layer,
                       x.expert, i.token_text, count(*) FILTER (WHERE i.experts[1] = x.expert) AS first_choice, count(*) AS any_choice
                  FROM inserted i CROSS JOIN LATERAL (SELECT DISTINCT e AS expert FROM unnest(i.experts) AS e) x
                 GROUP BY 1, i.model_id, i.layer, x.expert, i.token_text),
            counted_hours AS (
                INSERT INTO token_count_1h
                SELECT bucket_start, model_id, layer, expert, token_text, first_choice, any_choice FROM hourly
                 ORDER BY model_id, layer, expert, bucket_start, token_text
                ON CONFLICT (model_id, layer, expert, bucket_start, token_text) DO UPDATE SET
                    first_choice = token_count_1h.first_choice + excluded.first_choice,
                    any_choice = token_count_1h.any_choice + excluded.any_choice)
            INSERT INTO token_count_1d
            SELECT date_bin('1 day', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), model_id, layer, expert, token_text,
                   sum(first_choice), sum(any_choice)
              FROM hourly GROUP BY 1, model_id, layer, expert, token_text ORDER BY model_id, layer, expert, 1, token_text
            ON CONFLICT (model_id, layer, expert, bucket_start, token_text) DO UPDATE SET
                first_choice = token_count_1d.first_choice + excluded.first_choice,
                any_choice = token_count_1d.any_choice + excluded.any_choice
            """;
    private static final String INSERT_EVENT = """
            INSERT INTO expert_event (event_id, occurred_at, instance_id, model_id, layer, expert, plugin, kind, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (event_id) DO NOTHING
            """;

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final String instanceId;
    private final Duration timeout;

    RoutingStatsWriter(DatabaseClient database, TransactionalOperator transactions, String instanceId, Duration timeout) {
        this.database = database;
        this.transactions = transactions;
        this.instanceId = instanceId;
        this.timeout = timeout;
    }

    String instanceId() {
        return instanceId;
    }

    /** The same writer with another limit per write (the shutdown flush has a budget of its own). */
    RoutingStatsWriter withTimeout(Duration limit) {
        return new RoutingStatsWriter(database, transactions, instanceId, limit);
    }

    Mono<Void> writeWindow(ClosedWindow window) {
        WindowRows rows = WindowRows.of(window);
        Mono<Void> replace = Flux.concat(
                        span(DELETE_EXPERT_SPAN, window), span(DELETE_LAYER_SPAN, window),
                        withWindow(UPSERT_EXPERTS, window).bind(3, rows.expertModels()).bind(4, rows.expertLayers())
                                .bind(5, rows.experts()).bind(6, rows.expertDomains()).bind(7, rows.firstChoice())
                                .bind(8, rows.anyChoice()).bind(9, rows.routerProbabilitySum()).fetch().rowsUpdated(),
                        withWindow(UPSERT_LAYERS, window).bind(3, rows.layerModels()).bind(4, rows.layers())
                                .bind(5, rows.layerDomains()).bind(6, rows.numExperts()).bind(7, rows.steps())
                                .bind(8, rows.tokens()).bind(9, rows.dropped()).bind(10, rows.auxLossSum())
                                .bind(11, rows.zLossSum()).bind(12, rows.entropySum()).bind(13, rows.consecutivePairs())
                                .bind(14, rows.sameFirstPairs()).bind(15, rows.firstOrSecondPairs()).fetch().rowsUpdated(),
                        AggregateRefresh.statements(database, window.start(), window.end(), rows.models()))
                .then();
        return transactions.transactional(replace).timeout(timeout);
    }

    Mono<Void> writeRequests(List<CompletedRequest> requests) {
        if (requests.isEmpty()) return Mono.empty();
        int n = requests.size();
        String[] ids = new String[n], models = new String[n], reasons = new String[n], domains = new String[n];
        Long[] micros = new Long[n];
        Integer[] prompt = new Integer[n], completion = new Integer[n];
        Double[] latency = new Double[n];
        for (int i = 0; i < n; i++) {
            CompletedRequest r = requests.get(i);
            ids[i] = r.id();
            micros[i] = epochMicros(r.receivedAt());
            models[i] = r.modelId();
            prompt[i] = r.promptTokens();
            completion[i] = r.completionTokens();
            latency[i] = r.latency().toNanos() / 1e6;
            reasons[i] = r.finishReason();
            domains[i] = LayerKey.domainOrEmpty(r.domain());
        }
        return database.sql(INSERT_REQUESTS).bind(0, instanceId).bind(1, ids).bind(2, micros).bind(3, models).bind(4, prompt)
                .bind(5, completion).bind(6, latency).bind(7, reasons).bind(8, domains)
                .fetch().rowsUpdated().timeout(timeout).then();
    }

    Mono<Void> writeTraces(List<SampledRoute> traces) {
        if (traces.isEmpty()) return Mono.empty();
        int n = traces.size();
        String[] ids = new String[n], models = new String[n], domains = new String[n], texts = new String[n];
        String[] experts = new String[n], weights = new String[n];
        Integer[] positions = new Integer[n], layers = new Integer[n];
        Long[] micros = new Long[n];
        for (int i = 0; i < n; i++) {
            SampledRoute t = traces.get(i);
            ids[i] = t.requestId();
            positions[i] = t.position();
            layers[i] = t.layer();
            micros[i] = epochMicros(t.tracedAt());
            models[i] = t.modelId();
            domains[i] = LayerKey.domainOrEmpty(t.domain());
            texts[i] = t.tokenText();
            experts[i] = arrayLiteral(t.experts());
            weights[i] = arrayLiteral(t.weights());
        }
        return database.sql(INSERT_TRACES).bind(0, ids).bind(1, positions).bind(2, layers).bind(3, micros).bind(4, models)
                .bind(5, domains).bind(6, texts).bind(7, experts).bind(8, weights)
                .fetch().rowsUpdated().timeout(timeout).then();
    }

    Mono<Void> writeEvents(List<ExpertLifecycleEvent> events) {
        if (events.isEmpty()) return Mono.empty();
        return Flux.fromIterable(events)
                .concatMap(e -> bindNullable(database.sql(INSERT_EVENT).bind(0, e.id()).bind(1, e.occurredAt()).bind(2, instanceId),
                                Map.of(3, nullable(e.modelId(), String.class), 4, nullable(e.layer(), Integer.class),
                                        5, nullable(e.expert(), Integer.class), 6, nullable(e.plugin(), String.class),
                                        8, nullable(e.reason(), String.class)))
                        .bind(7, e.kind().name()).fetch().rowsUpdated())
                .then().timeout(timeout);
    }

    private Mono<Long> span(String sql, ClosedWindow window) {
        return database.sql(sql).bind(0, instanceId).bind(1, window.start()).bind(2, window.end()).fetch().rowsUpdated();
    }

    private DatabaseClient.GenericExecuteSpec withWindow(String sql, ClosedWindow window) {
        return database.sql(sql).bind(0, window.start()).bind(1, window.seconds()).bind(2, instanceId);
    }

    private record NullableValue(Object value, Class<?> type) {}

    private static NullableValue nullable(Object value, Class<?> type) {
        return new NullableValue(value, type);
    }

    private static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, Map<Integer, NullableValue> values) {
        for (Map.Entry<Integer, NullableValue> entry : values.entrySet()) {
            NullableValue v = entry.getValue();
            spec = v.value() == null ? spec.bindNull(entry.getKey(), v.type()) : spec.bind(entry.getKey(), v.value());
        }
        return spec;
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static String arrayLiteral(int[] values) {
        List<String> parts = new ArrayList<>(values.length);
        for (int v : values) parts.add(Integer.toString(v));
        return "{" + String.join(",", parts) + "}";
    }

    private static String arrayLiteral(float[] values) {
        List<String> parts = new ArrayList<>(values.length);
        for (float v : values) parts.add(Float.toString(v)); // shortest text that reads back as the same float
        return "{" + String.join(",", parts) + "}";
    }
}
