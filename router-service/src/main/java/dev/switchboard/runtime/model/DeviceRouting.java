package dev.switchboard.runtime.model;

import ai.djl.Device;
import java.util.Locale;

/**
 * Where serving's top-k routing runs ({@code switchboard.routing.on-device}; docs/adr/0008-routing-decisions-on-the-device.md):
 * on the model's device, so that only the chosen expert ids and weights cross to the host per layer, or on the host
 * from a copy of the router logits. {@code auto} routes on the device whenever the model is not on the CPU (where host
 * and device share memory and the copy costs nothing); {@code on} forces it on the CPU too, which is how the tests
 * exercise the device path without a GPU.
 */
public enum DeviceRouting {
    AUTO,
    ON,
    OFF;

    /**
     * {@code auto}, {@code on} or {@code off}, any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DeviceRouting parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("routing on-device must be auto (on the device when it is not the CPU), on"
                    + " or off, found '" + value + "'", e);
        }
    }

    /** Whether a model on {@code device} routes on it. */
    public boolean on(Device device) {
        return switch (this) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !Device.Type.CPU.equals(device.getDeviceType());
        };
    }
}
