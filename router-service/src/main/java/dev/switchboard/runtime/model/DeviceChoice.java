package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where a model runs, as an operator asks for it ({@code switchboard.device}, {@code bench --device}): the CPU, the
 * first GPU, or the first GPU when the engine reports one and the CPU otherwise. Every tensor of the model, its KV
 * cache and its experts then lives on that device ({@link ModelOptions#device()}); the Java CPU kernels run only when
 * it is the CPU. docs/adr/0007-what-crosses-the-host-device-boundary.md lists what is copied between host and device.
 */
public enum DeviceChoice {
    CPU,
    GPU,
    AUTO;

    /**
     * {@code cpu}, {@code gpu} or {@code auto}, any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DeviceChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("device must be cpu, gpu or auto (gpu when the engine reports one), found '"
                    + value + "'", e);
        }
    }

    /** The device for an engine that reports {@code gpuCount} GPUs. */
    public Device resolve(int gpuCount) {
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpuCount > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpuCount == 0) {
                    throw new IllegalArgumentException("device gpu was asked for, but the PyTorch engine reports no GPU: "
                            + "this build carries the CPU natives, or no CUDA device is visible. Build with -Pcuda on a "
                            + "machine with a CUDA 12 driver, or set the device to cpu or auto");
                }
                yield Device.gpu();
            }
        };
    }

    /** {@link #resolve(int)} for the default engine. */
    public Device resolve() {
        return resolve(Engine.getInstance().getGpuCount());
    }
}
