package dev.switchboard.tools.loadgen;

import java.util.List;
import java.util.stream.LongStream;

/**
 * The numbers of one concurrency level.
 *
 * @param generatedTokens completion tokens of the successful requests (from their usage chunks)
 * @param wallNanos from the first request sent to the last stream ended
 * @param timeToFirstToken per successful request
 * @param interToken every gap between consecutive text chunks of the successful requests, pooled
 * @param firstError one error message as an example, or null
 */
record LevelResult(int concurrency, int requests, int errors, long generatedTokens, double meanPromptTokens, long wallNanos,
        Percentiles timeToFirstToken, Percentiles interToken, String firstError) {

    static LevelResult of(int concurrency, List<StreamResult> results, long wallNanos) {
        List<StreamResult> ok = results.stream().filter(r -> !r.failed()).toList();
        long tokens = ok.stream().mapToLong(StreamResult::completionTokens).sum();
        double prompt = ok.stream().mapToInt(StreamResult::promptTokens).filter(p -> p >= 0).average().orElse(Double.NaN);
        long[] ttft = ok.stream().mapToLong(StreamResult::timeToFirstTokenNanos).filter(t -> t >= 0).toArray();
        long[] itl = ok.stream().flatMapToLong(r -> LongStream.of(r.interTokenNanos())).toArray();
        String firstError = results.stream().filter(StreamResult::failed).map(StreamResult::error).findFirst().orElse(null);
        return new LevelResult(concurrency, results.size(), results.size() - ok.size(), tokens, prompt, wallNanos,
                new Percentiles(ttft), new Percentiles(itl), firstError);
    }

    double tokensPerSecond() {
        return generatedTokens / (wallNanos / 1e9);
    }
}
