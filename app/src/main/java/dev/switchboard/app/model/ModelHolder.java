package dev.switchboard.app.model;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.system.SwitchboardProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the served model: loads {@code switchboard.model} (the shipped {@link DefaultModel} when it is not set,
 * none when it is {@code none}) on a background thread at start (so the HTTP
 * server, liveness and the admin routes come up at once), and closes it when the context is destroyed,
 * after every lifecycle (the scheduler included) has stopped. A lifecycle stop alone (Spring's test
 * context pausing) keeps the model.
 * Readiness stays DOWN until the model is loaded ({@link ModelHealthIndicator}).
 */
@Component
public class ModelHolder implements SmartLifecycle, DisposableBean {

    /** Stops after the generation scheduler, which still uses the model while it drains. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    private static final Logger log = LoggerFactory.getLogger(ModelHolder.class);

    /** Where loading stands. */
    enum State {
        NOT_CONFIGURED,
        LOADING,
        READY,
        FAILED,
        CLOSED
    }

    /** The value of {@code switchboard.model} that serves no model. */
    public static final String NO_MODEL = "none";

    private final @Nullable Path directory;
    private final boolean shippedDefault;
    private final String id;
    private final ServedModelLoader loader;
    private volatile State state;
    private volatile @Nullable ServedModel model;
    private volatile @Nullable String failure;
    private @Nullable Thread loadingThread;
    private volatile boolean running;

    ModelHolder(SwitchboardProperties properties, ServedModelLoader loader) {
        Path configured = properties.model();
        this.shippedDefault = configured == null;
        this.directory = shippedDefault ? DefaultModel.directory(properties.dataDir())
                : configured.toString().equals(NO_MODEL) ? null : configured;
        this.id = shippedDefault ? DefaultModel.ID
                : directory == null ? NO_MODEL : directory.toAbsolutePath().normalize().getFileName().toString();
        this.loader = loader;
        this.state = directory == null ? State.NOT_CONFIGURED : State.LOADING;
    }

    /** The loaded model, or a 503 that says why there is none (not configured, still loading, failed). */
    public ServedModel require() {
        ServedModel current = model;
        if (current != null) {
            return current;
        }
        throw switch (state) {
            case NOT_CONFIGURED -> ApiException.unavailable("model_not_configured",
                    "No model is served (switchboard.model=none): start Switchboard with switchboard.model=<model directory>"
                            + " or without it for the default model", null);
            case LOADING -> ApiException.unavailable("model_loading", "The model is still loading", Duration.ofSeconds(5));
            default -> ApiException.unavailable("model_unavailable", "The model failed to load or was unloaded", null);
        };
    }

    /** Like {@link #require()}, and 404 when {@code requested} is not the served model's id. */
    public ServedModel require(String requested) {
        ServedModel current = require();
        if (!current.id().equals(requested)) {
            throw ApiException.modelNotFound(requested);
        }
        return current;
    }

    public Optional<ServedModel> current() {
        return Optional.ofNullable(model);
    }

    State state() {
        return state;
    }

    /** The served model's folder; null when none is configured. */
    @Nullable Path directory() {
        return directory;
    }

    @Nullable String failure() {
        return failure;
    }

    @Override
    public synchronized void start() {
        running = true;
        if (directory == null || loadingThread != null) {
            if (directory == null) {
                log.info("No model served (switchboard.model=none); inference routes answer 503");
            }
            return;
        }
        if (!shippedDefault) {
            ModelPreflight.check(directory, id); // a corrupt checkpoint ends start-up here, with one line
        }
        loadingThread = new Thread(this::load, "model-loader");
        loadingThread.setDaemon(true);
        loadingThread.start();
    }

    private void load() {
        long started = System.nanoTime();
        log.info("Loading model {} from {}", id, directory);
        try {
            if (shippedDefault) {
                DefaultModel.install(directory);
            }
            ServedModel loaded = loader.load(directory, id);
            synchronized (this) {
                if (state == State.CLOSED) {
                    loaded.close();
                    return;
                }
                model = loaded;
                state = State.READY;
            }
            log.info("Model {} ready in {} ms", id, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            failure = e.getMessage();
            state = State.FAILED;
            log.error("Model {} failed to load from {}: {}", id, directory, e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public synchronized void destroy() {
        ServedModel current = model;
        model = null;
        state = State.CLOSED;
        if (current != null) {
            current.close();
            log.info("Model {} closed", id);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
