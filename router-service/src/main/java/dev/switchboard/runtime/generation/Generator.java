package dev.switchboard.runtime.generation;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.model.StepResult;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates one sequence for the command line, benchmarks and tests: prefill the prompt, then one forward step
 * per token, with the {@link SequenceDecoder} deciding each token, its text and when to stop. The server runs
 * the same decoder over a batch of sequences in its own scheduler.
 */
public final class Generator {

    private final MoeModel model;
    private final MoeTokenizer tokenizer;

    public Generator(MoeModel model, MoeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        ForwardOptions options = request.trace() ? ForwardOptions.TRACE : ForwardOptions.DEFAULT;
        SequenceDecoder decoder = new SequenceDecoder(tokenizer.textStream(), request.sampling(),
                model.config().eosTokenId(), model.config().maxPositionEmbeddings() - request.promptIds().length);
        StringBuilder text = new StringBuilder();
        List<TokenTrace> routing = new ArrayList<>();
        List<Integer> generated = new ArrayList<>();
        try (SequenceState sequence = model.newSequence()) {
            long start = System.nanoTime();
            float[] promptLogits = step(sequence, request.promptIds(), options, routing).lastLogits(0);
            long prefillNanos = System.nanoTime() - start;
            float[] logits = promptLogits;
            long decodeStart = System.nanoTime();
            // Each token is handed to the listener one step late: by then its routing is known (it was fed
            // back), and text released when the sequence ends can still join the last token.
            GeneratedToken pending = null;
            FinishReason finish;
            while (true) {
                if (request.cancelled().getAsBoolean()) {
                    SequenceDecoder.Ending ending = decoder.end(FinishReason.CANCELLED);
                    finish = ending.finish();
                    text.append(ending.text());
                    if (pending != null) {
                        pending = new GeneratedToken(pending.index(), pending.tokenId(), pending.text() + ending.text(),
                                pending.routing());
                    }
                    break;
                }
                SequenceDecoder.Step next = decoder.next(logits);
                generated.add(next.tokenId());
                text.append(next.text());
                TokenTrace trace = null;
                if (next.finish() == null || request.trace()) { // the last token is fed back only to learn its routing
                    logits = step(sequence, new int[] {next.tokenId()}, options, routing).lastLogits(0);
                    trace = request.trace() ? routing.get(routing.size() - 1) : null;
                }
                if (pending != null) {
                    listener.onToken(pending);
                }
                pending = new GeneratedToken(generated.size() - 1, next.tokenId(), next.text(), trace);
                if (next.finish() != null) {
                    finish = next.finish();
                    break;
                }
            }
            if (pending != null) {
                listener.onToken(pending);
            }
            long decodeNanos = System.nanoTime() - decodeStart;
            return new GenerationResult(request.promptIds(), generated.stream().mapToInt(Integer::intValue).toArray(),
                    text.toString(), finish, promptLogits, List.copyOf(routing), prefillNanos, decodeNanos);
        }
    }

    private StepResult step(SequenceState sequence, int[] tokens, ForwardOptions options, List<TokenTrace> routing) {
        StepResult result = model.forward(List.of(new StepInput(sequence, tokens)), options);
        if (options.trace()) {
            routing.addAll(result.trace().get(0));
        }
        return result;
    }
}
