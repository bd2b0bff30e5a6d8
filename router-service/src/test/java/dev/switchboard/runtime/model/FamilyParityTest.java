package dev.switchboard.runtime.model;

import static dev.switchboard.runtime.model.ModelAssertions.greedy;
import static dev.switchboard.runtime.model.ModelAssertions.maxAbsDifference;
import static dev.switchboard.runtime.model.ModelAssertions.promptLogits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.fixtures.ReferenceFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Qwen2-MoE, Qwen3-MoE and OLMoE checkpoints against the independent numpy reference (fixtures/regenerate.sh): the
 * logits at the last prompt position within 1e-4 and 16 greedy tokens identical. Between them the fixtures switch on
 * every variation point (biases, shared expert, dense layers, per-head and whole-projection q/k norm, clip_qkv,
 * head_dim ≠ hidden/heads, both norm_topk_prob values, tied embeddings, GQA and MHA, f32 and bf16).
 */
class FamilyParityTest {

    @ParameterizedTest
    @ValueSource(strings = {ReferenceFixture.QWEN2_MOE_SHARED, ReferenceFixture.QWEN2_MOE_DENSE_BF16,
            ReferenceFixture.QWEN3_MOE_HEAD_DIM, ReferenceFixture.QWEN3_MOE_BF16, ReferenceFixture.OLMOE_CLIP,
            ReferenceFixture.OLMOE_BF16})
    void logitsAndGreedyTokensMatchTheReference(String name) {
        ReferenceFixture fixture = ReferenceFixture.named(name);
        try (Checkpoint checkpoint = fixture.open(); MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            assertThat(fixture.logitsPosition()).isEqualTo(fixture.promptIds().length - 1);
            float[] logits = promptLogits(model, fixture.promptIds());
            assertThat(maxAbsDifference(logits, fixture.logits())).isLessThan(ReferenceParityTest.F32_TOLERANCE);
            assertThat(greedy(model, fixture.promptIds(), 16)).containsExactly(fixture.generatedIds());
        }
    }
}
