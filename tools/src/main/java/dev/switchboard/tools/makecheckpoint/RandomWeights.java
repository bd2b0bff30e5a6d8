package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Random values for one tensor of a Mixtral checkpoint, in the scale a forward pass stays finite with:
 * linear weights ({@code [out, in]}) from N(0, 1/in), so activations keep their size through every
 * projection; the embedding from N(0, 1); RMSNorm weights 1 + N(0, 0.1²), so the norms are not all
 * identity. Each tensor draws from its own stream seeded by (seed, CRC-32 of its name): its values do
 * not depend on which other tensors exist or in which order they are written.
 */
final class RandomWeights {

    private static final double NORM_STD = 0.1;

    private RandomWeights() {}

    static float[] of(String name, long[] shape, long seed) {
        SplittableRandom random = new SplittableRandom(streamSeed(name, seed));
        float[] values = new float[Math.toIntExact(count(shape))];
        if (isNorm(name)) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (1 + NORM_STD * random.nextGaussian());
            }
        } else {
            double std = name.equals(MixtralTensorLayout.EMBED_TOKENS) ? 1 : 1 / Math.sqrt(shape[shape.length - 1]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (std * random.nextGaussian());
            }
        }
        return values;
    }

    private static boolean isNorm(String name) {
        return name.endsWith("layernorm.weight") || name.equals(MixtralTensorLayout.FINAL_NORM);
    }

    private static long streamSeed(String name, long seed) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return seed * 0x9E3779B97F4A7C15L ^ crc.getValue();
    }

    static long count(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }
}
