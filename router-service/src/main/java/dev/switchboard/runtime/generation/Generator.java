package dev.switchboard.runtime.generation;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.model.StepResult;
import dev.switchboard.runtime.model.TokenTrace;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.tokenizer.TextStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates one sequence: prefill the prompt, then sample, stream and feed back one token per step
 * until EOS, a stop string, the token limit or cancellation. The serving layer batches many sequences
 * with its own scheduler over {@link MoeModel#forward}; this is the single-sequence path for the CLI,
 * benchmarks and tests.
 */
public final class Generator {

    private final MoeModel model;
    private final MoeTokenizer tokenizer;

    public Generator(MoeModel model, MoeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        SamplingParams sampling = request.sampling();
        ForwardOptions options = request.trace() ? ForwardOptions.TRACE : ForwardOptions.DEFAULT;
        Sampler sampler = new Sampler(sampling);
        StopMatcher stops = new StopMatcher(sampling.stop());
        TextStream textStream = tokenizer.textStream();
        StringBuilder text = new StringBuilder();
        List<TokenTrace> routing = new ArrayList<>();
        int[] generated = new int[sampling.maxTokens()];
        int count = 0;
        FinishReason finish = FinishReason.LENGTH;
        int eos = model.config().eosTokenId();

        try (SequenceState sequence = model.newSequence()) {
            long start = System.nanoTime();
            StepResult prefill = step(sequence, request.promptIds(), options, routing);
            long prefillNanos = System.nanoTime() - start;
            float[] promptLogits = prefill.lastLogits(0);
            float[] logits = promptLogits;
            long decodeStart = System.nanoTime();
            // Each token is handed to the listener one step late: by then its routing is known (it was
            // fed back), and at the end the stop matcher's held-back text can still join the last token.
            GeneratedToken pending = null;
            while (true) {
                if (request.cancelled().getAsBoolean()) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                int token = sampler.sample(logits);
                generated[count++] = token;
                String delta = token == eos ? "" : textStream.push(token);
                StopMatcher.Emission emission = stops.accept(delta);
                text.append(emission.text());
                boolean stopped = token == eos || emission.stopped();
                boolean last = stopped || count == generated.length;
                if (stopped) {
                    finish = FinishReason.STOP;
                }
                TokenTrace trace = null;
                if (!last || request.trace()) { // the last token is fed back only to learn its routing
                    StepResult fed = step(sequence, new int[] {token}, options, routing);
                    logits = fed.lastLogits(0);
                    trace = request.trace() ? routing.get(routing.size() - 1) : null;
                }
                if (pending != null) {
                    listener.onToken(pending);
                }
                pending = new GeneratedToken(count - 1, token, emission.text(), trace);
                if (last) {
                    break;
                }
            }
            if (!stops.stopped()) {
                String held = stops.flush(); // ended without a stop string: held-back text is real output
                text.append(held);
                if (pending != null) {
                    pending = new GeneratedToken(pending.index(), pending.tokenId(), pending.text() + held, pending.routing());
                }
            }
            if (pending != null) {
                listener.onToken(pending);
            }
            long decodeNanos = System.nanoTime() - decodeStart;
            return new GenerationResult(request.promptIds(), Arrays.copyOf(generated, count), text.toString(), finish,
                    promptLogits, List.copyOf(routing), prefillNanos, decodeNanos);
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
