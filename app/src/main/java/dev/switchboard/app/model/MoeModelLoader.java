package dev.switchboard.app.model;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.DeviceChoice;
import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loads a Mixtral-format checkpoint with the runtime's {@link MoeModel} and {@link MoeTokenizer}. Experts are
 * built through {@code kinds} (the plugin registry's kinds, so every expert is tracked by the plugin whose code
 * it runs); runtime faults go to {@code faults}. The checkpoint stays open with the model
 * ({@link ServedExperts}) so experts can be rebuilt from it with another kind. {@code switchboard.device} ({@code cpu},
 * {@code gpu}, {@code auto}: the GPU when the engine reports one) says where the model, its caches and experts live.
 */
@Component
class MoeModelLoader implements ModelLoader {

    private final ExpertKindResolver kinds;
    private final ExpertFaultListener faults;
    private final DeviceChoice device;

    MoeModelLoader(ExpertKindResolver kinds, ExpertFaultListener faults,
            @Value("${switchboard.device:auto}") String device) {
        this.kinds = kinds;
        this.faults = faults;
        this.device = DeviceChoice.parse(device); // a wrong value stops the start with the accepted values
    }

    @Override
    public ServedModel load(Path directory, String id) {
        MoeTokenizer tokenizer = MoeTokenizer.load(directory);
        Checkpoint checkpoint = null;
        try {
            ChatTemplate template = ChatTemplate.fromModelDirectory(directory);
            checkpoint = Checkpoint.open(directory);
            AtomicReference<MoeModel> loaded = new AtomicReference<>();
            ModelOptions options = ModelOptions.defaults().withDevice(device.resolve()).withExpertKinds(kinds).withFaultListener(fault -> {
                MoeModel model = loaded.get();
                if (model != null) {
                    faults.onFault(id, fault, model.experts().layer(fault.layer()).expert(fault.expert()));
                }
            });
            MoeModel model = MoeModel.load(checkpoint, options);
            loaded.set(model);
            MixtralConfig config = model.config();
            ModelShape shape = new ModelShape(config.maxPositionEmbeddings(), config.numHiddenLayers(),
                    config.numLocalExperts(), config.numExpertsPerTok(), config.eosTokenId(), config.vocabSize());
            return new ServedModel(id, Instant.now().getEpochSecond(), shape,
                    new MoeModelTokenizer(tokenizer, config), template, new MoeBatchModel(model, tokenizer),
                    new ServedExperts(model, checkpoint, config.expertKind()));
        } catch (RuntimeException e) {
            tokenizer.close();
            if (checkpoint != null) {
                checkpoint.close();
            }
            throw e;
        }
    }
}
