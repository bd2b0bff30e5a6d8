package dev.switchboard.app.model;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Loads a Mixtral-format checkpoint with the runtime's {@link MoeModel} and {@link MoeTokenizer}. */
@Component
class MoeModelLoader implements ModelLoader {

    @Override
    public ServedModel load(Path directory, String id) {
        MoeTokenizer tokenizer = MoeTokenizer.load(directory);
        try {
            ChatTemplate template = ChatTemplate.fromModelDirectory(directory);
            MoeModel model;
            try (Checkpoint checkpoint = Checkpoint.open(directory)) {
                model = MoeModel.load(checkpoint, ModelOptions.defaults());
            }
            MixtralConfig config = model.config();
            ModelShape shape = new ModelShape(config.maxPositionEmbeddings(), config.numHiddenLayers(),
                    config.numLocalExperts(), config.numExpertsPerTok(), config.eosTokenId(), config.vocabSize());
            return new ServedModel(id, Instant.now().getEpochSecond(), shape,
                    new MoeModelTokenizer(tokenizer, config.bosTokenId()), template, new MoeBatchModel(model, tokenizer));
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }
}
