package dev.switchboard.app.model;

import dev.switchboard.runtime.model.DeviceChoice;
import dev.switchboard.runtime.model.DeviceRouting;
import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.runtime.serving.ModelRuntime;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loads a Mixtral-format checkpoint through the runtime's {@link ModelRuntime}. Experts are built through
 * {@code kinds} (the plugin registry's kinds, so every expert is tracked by the plugin whose code it runs); runtime
 * faults go to {@code faults}. {@code switchboard.device} ({@code cpu}, {@code gpu}, {@code auto}: the GPU when the
 * engine reports one) says where the model, its caches and experts live; {@code switchboard.routing.on-device}
 * ({@code auto}, {@code on}, {@code off}: by default on the device whenever it is not the CPU) whether the top-k routing
 * runs there, so that only the chosen experts cross to the host (docs/adr/0008-routing-decisions-on-the-device.md).
 */
@Component
class MoeModelLoader implements ServedModelLoader {

    private final ExpertKindResolver kinds;
    private final ExpertFaultListener faults;
    private final DeviceChoice device;
    private final DeviceRouting routing;

    MoeModelLoader(ExpertKindResolver kinds, ExpertFaultListener faults,
            @Value("${switchboard.device:auto}") String device,
            @Value("${switchboard.routing.on-device:auto}") String routingOnDevice) {
        this.kinds = kinds;
        this.faults = faults;
        this.device = DeviceChoice.parse(device); // a wrong value stops the start with the accepted values
        this.routing = DeviceRouting.parse(routingOnDevice); // likewise
    }

    @Override
    public ServedModel load(Path directory, String id) {
        ChatTemplate template = ChatTemplate.fromModelDirectory(directory);
        ModelRuntime runtime = ModelRuntime.load(directory, device, routing, kinds, (fault, expert) -> faults.onFault(id, fault, expert));
        return new ServedModel(id, Instant.now().getEpochSecond(), runtime.shape(),
                new MoeModelTokenizer(runtime.tokenizer(), runtime.shape().promptBos()), template, runtime.engine(),
                runtime.experts());
    }
}
