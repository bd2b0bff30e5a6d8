package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.ModelList;
import dev.switchboard.app.generation.openai.ModelList.ModelCard;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the served model (an empty list while none is loaded). */
@RestController
class ModelsController {

    private final ModelHolder models;

    ModelsController(ModelHolder models) {
        this.models = models;
    }

    @GetMapping("/v1/models")
    ModelList list() {
        return ModelList.of(models.current().map(ModelsController::describe).map(List::of).orElse(List.of()));
    }

    @GetMapping("/v1/models/{id}")
    ModelCard get(@PathVariable String id) {
        return describe(models.require(id));
    }

    private static ModelCard describe(ServedModel model) {
        return ModelCard.of(model.id(), model.createdEpochSeconds(), model.shape().contextLength());
    }
}
