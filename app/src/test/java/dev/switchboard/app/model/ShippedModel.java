package dev.switchboard.app.model;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.file.Path;
import java.util.stream.IntStream;

/** The shipped default model installed as the app installs it, served by the runtime, for tests that ask it things. */
final class ShippedModel implements AutoCloseable {

    private final MoeTokenizer tokenizer;
    private final Checkpoint checkpoint;
    private final MoeModel model;

    ShippedModel(Path dataDir) {
        Path directory = DefaultModel.install(DefaultModel.directory(dataDir));
        tokenizer = MoeTokenizer.load(directory);
        checkpoint = Checkpoint.open(directory);
        model = MoeModel.load(checkpoint, ModelOptions.defaults());
    }

    /** Up to {@code maxTokens} greedy tokens after BOS and {@code prompt}, decoded, stopping at EOS. */
    String continuation(String prompt, int maxTokens) {
        int[] ids = IntStream.concat(IntStream.of(checkpoint.config().bosTokenId()), IntStream.of(tokenizer.encode(prompt)))
                .toArray();
        return tokenizer.decode(GreedyDecoding.decode(model, ids, maxTokens, checkpoint.config().eosTokenId()));
    }

    @Override
    public void close() {
        model.close();
        checkpoint.close();
        tokenizer.close();
    }
}
