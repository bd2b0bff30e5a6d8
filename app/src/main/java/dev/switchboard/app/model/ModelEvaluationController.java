package dev.switchboard.app.model;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.runtime.serving.HeldOutReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/stats/eval?model=}: the held-out losses per domain that {@code eval} measured for the served model,
 * read from the model folder's {@value HeldOutReport#FILE} at each request (a file written there later shows at once).
 * 404 in the error shape when the folder has none, or another model is named.
 */
@RestController
class ModelEvaluationController {

    // The file's names are snake_case (HeldOutReport); it holds more than the record, which is skipped.
    private static final JsonMapper FILE_FORMAT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ModelHolder holder;

    ModelEvaluationController(ModelHolder holder) {
        this.holder = holder;
    }

    @GetMapping("/api/stats/eval")
    Mono<ModelEvaluationView> evaluation(@RequestParam String model) {
        return Mono.fromCallable(() -> read(holder.require(model).id())).subscribeOn(Schedulers.boundedElastic());
    }

    private ModelEvaluationView read(String model) {
        Path directory = holder.directory();
        Path file = directory == null ? null : directory.resolve(HeldOutReport.FILE);
        if (file == null || !Files.isRegularFile(file)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model", "eval_report_not_found",
                    "model " + model + " has no " + HeldOutReport.FILE + "; write one with java -jar switchboard.jar eval"
                            + " --model <model folder> --recipe <its recipe> --json --output <model folder>/"
                            + HeldOutReport.FILE, null);
        }
        try {
            return new ModelEvaluationView(model, HeldOutReport.FILE, FILE_FORMAT.readValue(Files.readString(file),
                    HeldOutReport.class));
        } catch (IOException | JacksonException | IllegalArgumentException unreadable) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "model", "eval_report_unreadable",
                    "the " + HeldOutReport.FILE + " of model " + model + " cannot be read (" + unreadable.getMessage()
                            + "); write it again with eval --json --output", null);
        }
    }
}
