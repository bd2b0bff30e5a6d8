package dev.switchboard.runtime.checkpoint;

import java.util.Optional;

/** The safetensors element types this runtime reads; every other dtype is rejected at open. */
public enum TensorDtype {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16. */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32, converted in Java (DJL's BFLOAT16 aborts the JVM). */
    BF16(2);

    private final int byteSize;

    TensorDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The enum for a safetensors {@code dtype} string, or empty when this runtime does not read it. */
    public static Optional<TensorDtype> fromSafetensors(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
