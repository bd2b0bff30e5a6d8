package dev.switchboard.app.generation;

import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the served model (an empty list while none is loaded). */
@RestController
class ModelsController {

    private final JsonMapper json;
    private final ModelHolder models;

    ModelsController(JsonMapper json, ModelHolder models) {
        this.json = json;
        this.models = models;
    }

    @GetMapping("/v1/models")
    ObjectNode list() {
        ObjectNode root = json.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        models.current().ifPresent(model -> data.add(describe(model)));
        return root;
    }

    @GetMapping("/v1/models/{id}")
    ObjectNode get(@PathVariable String id) {
        return describe(models.require(id));
    }

    private ObjectNode describe(ServedModel model) {
        ObjectNode node = json.createObjectNode();
        node.put("id", model.id());
        node.put("object", "model");
        node.put("created", model.createdEpochSeconds());
        node.put("owned_by", "switchboard");
        node.put("context_length", model.shape().contextLength());
        return node;
    }

}
