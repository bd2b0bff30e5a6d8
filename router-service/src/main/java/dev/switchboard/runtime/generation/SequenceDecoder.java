package dev.switchboard.runtime.generation;

import dev.switchboard.runtime.tokenizer.TextStream;
import java.util.Objects;

/**
 * The decode loop of one sequence, one token at a time: sample the next token from the logits, turn it into
 * text (streaming detokenizer), hold back text that may begin a stop string, and end the sequence on its
 * end-of-sequence token, a completed stop string or its token limit. Whoever runs the forward steps drives it
 * (the {@link Generator} for the command line, the server's scheduler for a batch of many sequences): feed it
 * each step's logits, send the text it returns, feed the token back. This is the one place the token limit
 * ({@code max_tokens}, and the room left in the context) is enforced.
 *
 * <p>One instance per sequence; not thread-safe.
 */
public final class SequenceDecoder {

    /**
     * One decoded token.
     *
     * @param tokenId the token sampled; feed it to the next step unless {@code finish} is set
     * @param text the text it releases (may be empty: an incomplete character, or text that may begin a stop
     *     string); never includes a stop string
     * @param finish why the sequence ended with this token, or {@code null} while it goes on
     */
    public record Step(int tokenId, String text, FinishReason finish) {}

    /**
     * How a sequence ended early.
     *
     * @param text held-back text released at the end (empty when nothing was held)
     * @param finish the reason given, or {@link FinishReason#STOP} when the released text completed a stop string
     */
    public record Ending(String text, FinishReason finish) {}

    private final Sampler sampler;
    private final TextStream text;
    private final StopMatcher stops;
    private final int eosTokenId;
    private final int limit;
    private int generated;
    private FinishReason finish;

    /**
     * @param text a fresh detokenizer for this sequence ({@code MoeTokenizer.textStream()})
     * @param sampling how to pick tokens, the stop strings and {@code maxTokens}
     * @param eosTokenId the model's end-of-sequence token; never turned into text
     * @param contextRoom how many tokens the context holds after the prompt; the limit is the smaller of this and
     *     {@code maxTokens} (at least one: the first token needs no room, it is sampled from the prompt's logits)
     */
    public SequenceDecoder(TextStream text, SamplingParams sampling, int eosTokenId, int contextRoom) {
        this.text = Objects.requireNonNull(text, "text");
        this.sampler = new Sampler(sampling);
        this.stops = new StopMatcher(sampling.stop());
        this.eosTokenId = eosTokenId;
        if (contextRoom < 0) {
            throw new IllegalArgumentException("the prompt is " + -contextRoom
                    + " tokens longer than the context; shorten the prompt");
        }
        this.limit = Math.min(sampling.maxTokens(), Math.max(1, contextRoom)); // the first token is sampled from the prompt's logits
    }

    /** Samples the next token from {@code logits} (one value per vocabulary entry) and decodes it. */
    public Step next(float[] logits) {
        if (finish != null) {
            throw new IllegalStateException("the sequence has ended (" + finish + "); no more tokens may be decoded");
        }
        int token = sampler.sample(logits);
        generated++;
        if (token == eosTokenId) {
            return new Step(token, end(FinishReason.STOP).text(), FinishReason.STOP);
        }
        StopMatcher.Emission emission = stops.accept(text.push(token));
        if (emission.stopped()) {
            finish = FinishReason.STOP;
            return new Step(token, emission.text(), finish);
        }
        if (generated >= limit) {
            Ending ending = end(FinishReason.LENGTH);
            return new Step(token, emission.text() + ending.text(), ending.finish());
        }
        return new Step(token, emission.text(), null);
    }

    /**
     * Ends the sequence for {@code reason} (cancelled, past its deadline, the server stopping) and releases the
     * text still held back: an incomplete character (as U+FFFD) and a possible stop string's beginning.
     * Returns nothing new once the sequence has ended.
     */
    public Ending end(FinishReason reason) {
        if (finish != null) {
            return new Ending("", finish);
        }
        StopMatcher.Emission rest = stops.accept(text.flush());
        finish = rest.stopped() ? FinishReason.STOP : reason;
        return new Ending(rest.stopped() ? rest.text() : rest.text() + stops.flush(), finish);
    }

    /** Tokens sampled so far, an end-of-sequence token included. */
    public int generated() {
        return generated;
    }

    /** Why the sequence ended, or {@code null} while it goes on. */
    public FinishReason finish() {
        return finish;
    }
}
