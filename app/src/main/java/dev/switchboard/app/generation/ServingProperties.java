package dev.switchboard.app.generation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admission, batching and streaming limits, under {@value #PREFIX}.
 *
 * @param maxRunning most sequences decoded together in one batch
 * @param maxQueued most requests waiting for a place in the batch; beyond it: 429 with {@code Retry-After}
 * @param maxQueueWait longest a request waits for a place; then 503 and it leaves the queue
 * @param prefillChunkTokens most prompt tokens one prefill step runs; a longer prompt (or several waiting ones) is
 *     prefilled over several steps with a decode step of the running sequences between two of them, so a long prompt
 *     delays running streams by one chunk's step at a time (docs/PERFORMANCE.md#chunked-prefill)
 * @param requestTimeout server-side deadline of one request from arrival; a running generation then ends
 *     with {@code finish_reason: "length"}
 * @param keepAlive interval of SSE comment lines ({@code : keep-alive}) while a stream has nothing to send
 * @param drainTimeout at shutdown, how long running streams may go on before they are ended; 10 s keeps the whole
 *     shutdown within Kubernetes' default 30 s grace period (the budget is in docs/API.md)
 * @param defaultMaxTokens cap on a chat completion's length when the request sets none (also bounded by the context)
 * @param maxPreparing most requests waiting for a preparation thread (parse, template, tokenize; one thread per
 *     core); beyond it: 429 with {@code Retry-After}
 */
@ConfigurationProperties(ServingProperties.PREFIX)
public record ServingProperties(
        @DefaultValue("8") int maxRunning,
        @DefaultValue("32") int maxQueued,
        @DefaultValue("30s") Duration maxQueueWait,
        @DefaultValue("128") int prefillChunkTokens,
        @DefaultValue("5m") Duration requestTimeout,
        @DefaultValue("10s") Duration keepAlive,
        @DefaultValue("10s") Duration drainTimeout,
        @DefaultValue("1024") int defaultMaxTokens,
        @DefaultValue("16") int maxPreparing) {

    public static final String PREFIX = "switchboard.serving";

    public ServingProperties {
        if (maxRunning < 1 || maxQueued < 0 || prefillChunkTokens < 1 || defaultMaxTokens < 1 || maxPreparing < 1) {
            throw new IllegalArgumentException(PREFIX + ": max-running, prefill-chunk-tokens, default-max-tokens and "
                    + "max-preparing must be >= 1 and max-queued >= 0; found " + maxRunning + ", " + prefillChunkTokens + ", "
                    + defaultMaxTokens + ", " + maxPreparing + " and " + maxQueued);
        }
    }
}
