package dev.switchboard.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fixture opens, exposes exactly the Mixtral layout, and loads the stored values. */
class CheckpointLoadTest {

    /** bf16 keeps 8 significant bits: round-to-nearest from the f32 source is within 2^-8 relative. */
    private static final double BF16_RELATIVE = 0x1p-8;
    /** f16 keeps 11 significant bits: within 2^-11 relative in its normal range (|x| >= 2^-14). */
    private static final double F16_RELATIVE = 0x1p-11;
    /** Below 2^-14 f16 is subnormal with a fixed spacing of 2^-24: rounding is within half of that. */
    private static final double F16_SUBNORMAL_ABSOLUTE = 0x1p-25;

    private NDManager manager;

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.TINY_F32, Fixtures.MHA_TOP1, Fixtures.GQA6_TOP2, Fixtures.TINY_BF16,
        Fixtures.TINY_F16, Fixtures.TINY_SHARDED})
    void everyFixtureOpensWithExactlyTheLayoutItsConfigImplies(String fixture) {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.dir(fixture))) {
            Map<String, MixtralTensorLayout.Expected> expected = MixtralTensorLayout.expected(checkpoint.config());
            assertThat(checkpoint.tensorNames()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (MixtralTensorLayout.Expected want : expected.values()) {
                assertThat(checkpoint.tensor(want.name()).shape()).as(want.name()).containsExactly(want.shape());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.TINY_F32, Fixtures.MHA_TOP1, Fixtures.GQA6_TOP2, Fixtures.TINY_BF16,
        Fixtures.TINY_F16})
    void everyTensorLoadsAsFloat32WithTheValuesInTheFile(String fixture) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.dir(fixture))) {
            RawSafetensors raw = RawSafetensors.read(Fixtures.dir(fixture).resolve("model.safetensors"));
            for (String name : checkpoint.tensorNames()) {
                try (NDArray loaded = checkpoint.load(name, manager, DataType.FLOAT32)) {
                    assertThat(loaded.getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(loaded.getShape().getShape()).containsExactly(checkpoint.tensor(name).shape());
                    // exact: widening f16/bf16 to f32 is lossless, so torch and the hand decoder must agree bit for bit
                    assertThat(loaded.toFloatArray()).as(name).containsExactly(raw.floats(name));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.TINY_BF16, Fixtures.TINY_F16})
    void halfPrecisionFixturesMatchTheFloat32ModelWithinTheirPrecision(String fixture) {
        boolean bf16 = fixture.equals(Fixtures.TINY_BF16);
        try (Checkpoint half = Checkpoint.open(Fixtures.dir(fixture));
                Checkpoint full = Checkpoint.open(Fixtures.dir(Fixtures.TINY_F32))) {
            assertThat(half.tensor(MixtralTensorLayout.EMBED_TOKENS).dtype())
                    .isEqualTo(fixture.equals(Fixtures.TINY_BF16) ? TensorDtype.BF16 : TensorDtype.F16);
            for (String name : full.tensorNames()) {
                float[] expected = full.load(name, manager, DataType.FLOAT32).toFloatArray();
                float[] actual = half.load(name, manager, DataType.FLOAT32).toFloatArray();
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    double allowed = bf16 ? Math.abs(expected[i]) * BF16_RELATIVE : f16Tolerance(expected[i]);
                    assertThat((double) actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], within(allowed));
                }
            }
        }
    }

    @Test
    void shardedCheckpointEqualsTheSingleFileOne() {
        try (Checkpoint sharded = Checkpoint.open(Fixtures.dir(Fixtures.TINY_SHARDED));
                Checkpoint single = Checkpoint.open(Fixtures.dir(Fixtures.TINY_F32))) {
            assertThat(sharded.config()).isEqualTo(single.config());
            assertThat(sharded.tensorNames()).isEqualTo(single.tensorNames());
            assertThat(sharded.tensor(MixtralTensorLayout.LM_HEAD).file().getFileName().toString())
                    .isEqualTo("model-00002-of-00002.safetensors");
            for (String name : single.tensorNames()) {
                assertThat(sharded.load(name, manager, DataType.FLOAT32).toFloatArray()).as(name)
                        .containsExactly(single.load(name, manager, DataType.FLOAT32).toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.TINY_F32, Fixtures.TINY_BF16, Fixtures.TINY_F16})
    void float16WorkingTypeRoundsTheStoredValues(String fixture) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.dir(fixture))) {
            RawSafetensors raw = RawSafetensors.read(Fixtures.dir(fixture).resolve("model.safetensors"));
            String name = MixtralTensorLayout.expertW2(1, 3);
            try (NDArray loaded = checkpoint.load(name, manager, DataType.FLOAT16);
                    NDArray widened = loaded.toType(DataType.FLOAT32, false)) {
                assertThat(loaded.getDataType()).isEqualTo(DataType.FLOAT16);
                float[] stored = raw.floats(name);
                float[] actual = widened.toFloatArray();
                for (int i = 0; i < stored.length; i++) {
                    assertThat((double) actual[i]).as("%s[%d]", name, i)
                            .isCloseTo(stored[i], within(f16Tolerance(stored[i])));
                }
            }
        }
    }

    @Test
    void loadedArraysOutliveTheCheckpointAndLoadAfterCloseIsRefused() {
        Checkpoint checkpoint = Checkpoint.open(Fixtures.dir(Fixtures.TINY_F32));
        NDArray embed = checkpoint.load(MixtralTensorLayout.EMBED_TOKENS, manager, DataType.FLOAT32);
        float[] before = embed.toFloatArray();
        checkpoint.close();
        checkpoint.close(); // idempotent
        assertThat(embed.toFloatArray()).containsExactly(before);
        assertThatThrownBy(() -> checkpoint.load(MixtralTensorLayout.EMBED_TOKENS, manager, DataType.FLOAT32))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsUnknownTensorsAndUnsupportedWorkingTypes() {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.dir(Fixtures.TINY_F32))) {
            assertThatThrownBy(() -> checkpoint.tensor("model.layers.9.input_layernorm.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model.layers.9.input_layernorm.weight");
            assertThatThrownBy(() -> checkpoint.load(MixtralTensorLayout.FINAL_NORM, manager, DataType.INT32))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT32 or FLOAT16");
        }
    }

    private static double f16Tolerance(float exact) {
        return Math.max(Math.abs(exact) * F16_RELATIVE, F16_SUBNORMAL_ABSOLUTE);
    }
}
