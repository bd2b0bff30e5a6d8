package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.TokenTrace;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Editing a live model's experts: adding an expert with its own router row and bias, removing it again,
 * rebuilding an expert from the checkpoint, and the calibration statistic (mean MoE input per layer).
 */
class ExpertTableEditTest {

    static final int[] PROMPT = {1, 5, 9, 300, 42, 7};
    static final ExpertKind SWIGLU = ExpertKinds.fromClassPath().find("swiglu").orElseThrow();

    @Test
    void anAddedExpertWithALargeBiasIsChosenAndRemovingItRestoresTheModel() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            float[] before = ModelAssertions.promptLogits(model, PROMPT);
            ExpertTable original = model.experts();
            Expert copy = model.buildExpert(checkpoint, 0, 1, SWIGLU);
            float[] row = new float[model.config().hiddenSize()]; // a zero row: selected by its bias alone
            model.swapExperts(original.withLayer(0, original.layer(0).withAddedExpert(copy, row, 1000f)));

            assertThat(model.experts().layer(0).gate().getShape().get(0)).isEqualTo(5);
            try (SequenceState sequence = model.newSequence()) {
                StepResult step = model.forward(List.of(new StepInput(sequence, PROMPT)), ForwardOptions.TRACE);
                for (TokenTrace token : step.trace().get(0)) {
                    assertThat(token.layers().get(0).experts()).contains(4);
                    assertThat(token.layers().get(1).experts()).doesNotContain(4);
                }
                assertThat(step.inputStats().get(0).get(0).anyChoice()).hasSize(5);
                assertThat(step.inputStats().get(0).get(0).anyChoice()[4]).isEqualTo(PROMPT.length);
            }

            ExpertTable withFive = model.experts();
            model.swapExperts(withFive.withLayer(0, withFive.layer(0).withoutExpert(4)));
            copy.close();
            assertThat(model.experts().layer(0).size()).isEqualTo(4);
            assertThat(model.experts().layer(0).gate().toFloatArray()).containsExactly(original.layer(0).gate().toFloatArray());
            // tolerance: the same float32 maths on the same rows; only the gate tensor is a copy
            assertThat(maxAbsDifference(ModelAssertions.promptLogits(model, PROMPT), before)).isLessThan(1e-6f);
        }
    }

    @Test
    void removingAMiddleExpertKeepsTheOtherRowsFlagsAndBiasesInOrder() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            LayerExperts layer = model.experts().layer(1).withDisabled(3, true);
            LayerExperts removed = layer.withoutExpert(1);
            int hidden = model.config().hiddenSize();
            float[] rows = layer.gate().toFloatArray();
            float[] kept = removed.gate().toFloatArray();
            int[] from = {0, 2, 3};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < hidden; c++) {
                    assertThat(kept[r * hidden + c]).isEqualTo(rows[from[r] * hidden + c]);
                }
                assertThat(removed.expert(r)).isSameAs(layer.expert(from[r]));
            }
            assertThat(removed.disabled()).containsExactly(false, false, true);
            assertThatThrownBy(() -> layer.withAddedExpert(layer.expert(0), new float[3], 0f))
                    .hasMessageContaining("hidden_size " + hidden);
        }
    }

    @Test
    void anExpertRebuiltFromTheCheckpointComputesTheSameLogits() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            float[] before = ModelAssertions.promptLogits(model, PROMPT);
            ExpertTable table = model.experts();
            Expert old = table.layer(1).expert(2);
            Expert rebuilt = model.buildExpert(checkpoint, 1, 2, SWIGLU);
            model.swapExperts(table.withLayer(1, table.layer(1).withExpert(2, rebuilt)));
            old.close();
            assertThat(maxAbsDifference(ModelAssertions.promptLogits(model, PROMPT), before)).isLessThan(1e-6f);
            assertThatThrownBy(() -> model.buildExpert(checkpoint, 0, 9, SWIGLU))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /**
     * One token at position 0: attention over itself is exactly its value vector, so layer 0's MoE input is
     * {@code norm₂(x + o(v(norm₁(x))))} with {@code x = embed[token]}, computed here with plain loops.
     */
    @Test
    void meanMoeInputOfOneTokenMatchesAHandComputedLayerZero() {
        try (Checkpoint checkpoint = ReferenceFixture.named(ReferenceFixture.TINY_F32).open();
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults());
                NDManager manager = NDManager.newBaseManager()) {
            MixtralConfig c = model.config();
            int token = 300;
            int hidden = c.hiddenSize();
            int headDim = c.headDim();
            float[] embed = load(checkpoint, MixtralTensorLayout.EMBED_TOKENS, manager);
            float[] x = java.util.Arrays.copyOfRange(embed, token * hidden, (token + 1) * hidden);
            float[] h1 = rmsNorm(x, load(checkpoint, MixtralTensorLayout.inputLayernorm(0), manager), c.rmsNormEps());
            float[] v = matVec(load(checkpoint, MixtralTensorLayout.vProj(0), manager), h1, c.numKeyValueHeads() * headDim);
            int group = c.numAttentionHeads() / c.numKeyValueHeads();
            float[] heads = new float[c.numAttentionHeads() * headDim];
            for (int head = 0; head < c.numAttentionHeads(); head++) {
                System.arraycopy(v, (head / group) * headDim, heads, head * headDim, headDim);
            }
            float[] o = matVec(load(checkpoint, MixtralTensorLayout.oProj(0), manager), heads, hidden);
            for (int i = 0; i < hidden; i++) {
                o[i] += x[i];
            }
            float[] expected = rmsNorm(o, load(checkpoint, MixtralTensorLayout.postAttentionLayernorm(0), manager), c.rmsNormEps());

            float[][] means = model.meanMoeInputs(new int[] {token});

            assertThat(means).hasNumberOfRows(c.numHiddenLayers());
            for (int i = 0; i < hidden; i++) {
                assertThat(means[0][i]).isCloseTo(expected[i], within(1e-4f)); // float32, different summation order
            }
        }
    }

    private static float[] load(Checkpoint checkpoint, String name, NDManager manager) {
        NDArray array = checkpoint.load(name, manager, DataType.FLOAT32);
        return array.toFloatArray();
    }

    /** {@code W x} for a Hugging Face {@code (out, in)} matrix. */
    private static float[] matVec(float[] w, float[] x, int out) {
        float[] y = new float[out];
        for (int r = 0; r < out; r++) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += (double) w[r * x.length + i] * x[i];
            }
            y[r] = (float) sum;
        }
        return y;
    }

    private static float[] rmsNorm(float[] x, float[] weight, double eps) {
        double square = 0;
        for (float value : x) {
            square += (double) value * value;
        }
        double scale = 1.0 / Math.sqrt(square / x.length + eps);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] * scale * weight[i]);
        }
        return y;
    }
}
