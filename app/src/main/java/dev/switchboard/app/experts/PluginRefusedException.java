package dev.switchboard.app.experts;

import dev.switchboard.spi.ExpertDescriptor;

/** A plugin could not be started; the message is the reason shown in the API, the log and the event. */
final class PluginRefusedException extends Exception {

    private final transient ExpertDescriptor descriptor;

    PluginRefusedException(String reason) {
        this(reason, null);
    }

    /** A refusal after the provider named itself, so the view can still show its id, version and SPI. */
    PluginRefusedException(String reason, ExpertDescriptor descriptor) {
        super(reason, null, false, false);
        this.descriptor = descriptor;
    }

    /** The refused provider's descriptor, or {@code null} when it never got that far. */
    ExpertDescriptor descriptor() {
        return descriptor;
    }
}
