package dev.switchboard.app.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A contributed expert's files inside its plugin jar (docs/PLUGINS.md): {@code layer-<N>/<weight>.bin} raw
 * little-endian float32, row-major, Hugging Face layout {@code [out, in]}; optional {@code layer-<N>/gate.bin}
 * (the router row, {@code [dModel]}); optional {@code calibration.txt}. A weight's shape is read from
 * {@code layer-<N>/<weight>.shape} ("128,64") when present, else follows the Mixtral naming: {@code w2} is
 * {@code [dModel, dFf]}, every other weight {@code [dFf, dModel]}.
 */
final class ContributedWeights {

    private final ClassLoader jar;
    private final ContributedExpert expert;

    ContributedWeights(ClassLoader jar, ContributedExpert expert) {
        this.jar = jar;
        this.expert = expert;
    }

    /** The named weights of one layer, for {@code weightNames}; the caller closes them after create. */
    LayerWeights layer(int layer, Set<String> weightNames, ExpertSpec spec) {
        return new LayerWeights(layer, weightNames, spec);
    }

    /** The router row shipped for this layer, or null when there is none. */
    float[] gateRow(int layer, int dModel) {
        byte[] bytes = read("layer-" + layer + "/gate.bin");
        if (bytes == null) {
            return null;
        }
        if (bytes.length != dModel * Float.BYTES) {
            throw ExpertErrors.invalid(null, where("layer-" + layer + "/gate.bin") + " has " + bytes.length
                    + " bytes; a router row of hidden_size " + dModel + " needs " + dModel * Float.BYTES);
        }
        return floats(bytes);
    }

    /** The calibration text, or null when the jar ships none. */
    String calibrationText() {
        byte[] bytes = read("calibration.txt");
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** One layer's weights, read on demand into a scratch manager. */
    final class LayerWeights implements ExpertWeights, AutoCloseable {

        private final int layer;
        private final Set<String> names;
        private final ExpertSpec spec;
        private final NDManager scratch;
        private final Map<String, NDArray> loaded = new HashMap<>();

        private LayerWeights(int layer, Set<String> wanted, ExpertSpec spec) {
            this.layer = layer;
            this.spec = spec;
            Set<String> present = new TreeSet<>();
            for (String name : wanted) {
                if (jar.getResource(path(name + ".bin")) != null) {
                    present.add(name);
                }
            }
            this.names = Set.copyOf(present);
            this.scratch = NDManager.newBaseManager(spec.device());
        }

        @Override
        public Set<String> names() {
            return names;
        }

        @Override
        public NDArray get(String name) {
            return loaded.computeIfAbsent(name, this::load);
        }

        private NDArray load(String name) {
            byte[] bytes = read("layer-" + layer + "/" + name + ".bin");
            if (bytes == null) {
                throw new IllegalArgumentException(where(path(name + ".bin")) + " is missing");
            }
            Shape shape = shape(name);
            if (bytes.length != shape.size() * Float.BYTES) {
                throw new IllegalArgumentException(where(path(name + ".bin")) + " has " + bytes.length + " bytes, expected "
                        + shape.size() * Float.BYTES + " for shape " + shape + " (float32)");
            }
            NDArray array = scratch.create(floats(bytes), shape); // [out, in]
            return spec.dataType() == DataType.FLOAT32 ? array : array.toType(spec.dataType(), false);
        }

        private Shape shape(String name) {
            byte[] declared = read("layer-" + layer + "/" + name + ".shape");
            if (declared != null) {
                String[] parts = new String(declared, StandardCharsets.UTF_8).trim().split("\\s*,\\s*");
                long[] dims = new long[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    dims[i] = Long.parseLong(parts[i]);
                }
                return new Shape(dims);
            }
            return name.equals("w2") ? new Shape(spec.dModel(), spec.dFf()) : new Shape(spec.dFf(), spec.dModel());
        }

        private String path(String file) {
            return expert.resourceDirectory() + "/layer-" + layer + "/" + file;
        }

        @Override
        public void close() {
            scratch.close();
        }
    }

    private byte[] read(String relative) {
        try (InputStream in = jar.getResourceAsStream(expert.resourceDirectory() + "/" + relative)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw ExpertErrors.invalid(null, "cannot read " + where(relative) + ": " + e.getMessage());
        }
    }

    private String where(String relative) {
        String path = relative.startsWith(expert.resourceDirectory()) ? relative : expert.resourceDirectory() + "/" + relative;
        return "contributed expert '" + expert.name() + "' file " + path;
    }

    private static float[] floats(byte[] bytes) {
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
