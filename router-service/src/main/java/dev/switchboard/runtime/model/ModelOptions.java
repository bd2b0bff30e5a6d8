package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.routing.RoutingStrategy;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to load and run a model.
 *
 * @param device where weights, caches and activations live (CPU by default)
 * @param workingType activations and weights: {@link DataType#FLOAT32} (default) or {@link DataType#FLOAT16}
 *     (BF16 aborts DJL's PyTorch engine on CPU; BF16 checkpoints are converted while loading)
 * @param expertKinds resolves the checkpoint's expert kind name to an implementation
 * @param routingOverride a routing strategy to use instead of the one the config names, or {@code null}
 * @param faultListener told once for every expert the model disables after a runtime fault
 * @param hostCopy how a step's router and output logits reach the JVM ({@link HostCopy#DIRECT}; tests count them)
 * @param hostDecode whether a decode step (one new token for each of its sequences) runs its layers in Java
 *     ({@link HostDecode}) where the model's tensors allow it; on by default, {@code -Dswitchboard.host-decode=false}
 *     turns it off to compare
 * @param deviceRouting where serving's top-k routing runs ({@link DeviceRouting}); by default {@code auto}, or
 *     {@code -Dswitchboard.routing.on-device=auto|on|off}; where it is on, decode steps stay on the tensor path
 */
public record ModelOptions(
        Device device,
        DataType workingType,
        ExpertKindResolver expertKinds,
        RoutingStrategy routingOverride,
        Consumer<ExpertFault> faultListener,
        HostCopy hostCopy,
        boolean hostDecode,
        DeviceRouting deviceRouting) {

    public ModelOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(expertKinds, "expertKinds");
        Objects.requireNonNull(faultListener, "faultListener");
        Objects.requireNonNull(hostCopy, "hostCopy");
        Objects.requireNonNull(deviceRouting, "deviceRouting");
        if (workingType != DataType.FLOAT32 && workingType != DataType.FLOAT16) {
            throw new IllegalArgumentException("working data type must be FLOAT32 or FLOAT16, found " + workingType
                    + (workingType == DataType.BFLOAT16 ? " (BF16 aborts DJL's PyTorch engine on CPU)" : ""));
        }
    }

    /** CPU, float32, the expert kinds on the class path, the config's routing, no fault listener. */
    public static ModelOptions defaults() {
        return new ModelOptions(Device.cpu(), DataType.FLOAT32, ExpertKinds.fromClassPath(), null, fault -> {}, HostCopy.DIRECT,
                !"false".equalsIgnoreCase(System.getProperty("switchboard.host-decode")),
                DeviceRouting.parse(System.getProperty("switchboard.routing.on-device", "auto")));
    }

    /** The model's device, for example {@link DeviceChoice#resolve()}. */
    public ModelOptions withDevice(Device on) {
        return new ModelOptions(on, workingType, expertKinds, routingOverride, faultListener, hostCopy, hostDecode, deviceRouting);
    }

    /** With serving's top-k routing on the device or the host ({@link DeviceRouting}). */
    public ModelOptions withDeviceRouting(DeviceRouting where) {
        return new ModelOptions(device, workingType, expertKinds, routingOverride, faultListener, hostCopy, hostDecode, where);
    }

    /** Whether serving's top-k routing runs on the model's device. */
    public boolean routesOnDevice() {
        return deviceRouting.on(device);
    }

    /** With the {@link HostDecode} path on or off (both compute the same model; tests compare them). */
    public ModelOptions withHostDecode(boolean on) {
        return new ModelOptions(device, workingType, expertKinds, routingOverride, faultListener, hostCopy, on, deviceRouting);
    }

    public ModelOptions withHostCopy(HostCopy copy) {
        return new ModelOptions(device, workingType, expertKinds, routingOverride, faultListener, copy, hostDecode, deviceRouting);
    }

    public ModelOptions withWorkingType(DataType type) {
        return new ModelOptions(device, type, expertKinds, routingOverride, faultListener, hostCopy, hostDecode, deviceRouting);
    }

    public ModelOptions withExpertKinds(ExpertKindResolver resolver) {
        return new ModelOptions(device, workingType, resolver, routingOverride, faultListener, hostCopy, hostDecode, deviceRouting);
    }

    public ModelOptions withRouting(RoutingStrategy routing) {
        return new ModelOptions(device, workingType, expertKinds, routing, faultListener, hostCopy, hostDecode, deviceRouting);
    }

    public ModelOptions withFaultListener(Consumer<ExpertFault> listener) {
        return new ModelOptions(device, workingType, expertKinds, routingOverride, listener, hostCopy, hostDecode, deviceRouting);
    }
}
