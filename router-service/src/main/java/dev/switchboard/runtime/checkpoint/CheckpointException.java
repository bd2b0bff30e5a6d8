package dev.switchboard.runtime.checkpoint;

/**
 * A checkpoint (config, safetensors header, index or data) that cannot be used. The message names the
 * file, the tensor or field, what was expected and what was found.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
