package dev.switchboard.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken copies of the fixtures: each must fail at {@link Checkpoint#open} with one
 * {@link CheckpointException} naming the file, the tensor, what was expected and what was found.
 */
class CheckpointCorruptionTest {

    private static final String Q_PROJ = MixtralTensorLayout.qProj(0);
    private static final String W2 = MixtralTensorLayout.expertW2(1, 3);

    @TempDir
    Path tmp;

    @Test
    void truncatedDataNamesTheLastTensorAndTheMissingBytes() throws IOException {
        BrokenCheckpoint broken = copy().truncate("model.safetensors", Files.size(copyPath()) - 100);
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + MixtralTensorLayout.LM_HEAD + "'")
                .hasMessageContaining("lie outside the data section")
                .hasMessageContaining("truncated");
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        BrokenCheckpoint broken = copy().truncate("model.safetensors", 5);
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("file is 5 bytes, expected at least the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        BrokenCheckpoint broken = copy().patchLong("model.safetensors", 0, 1L << 40);
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("header length 1099511627776 runs past the end of the file (1154800 bytes)");
    }

    @Test
    void headerLengthWithTheTopBitSet() throws IOException {
        BrokenCheckpoint broken = copy().patchLong("model.safetensors", 0, -8);
        openFails(broken).hasMessageContaining("header length 18446744073709551608 runs past the end of the file");
    }

    @Test
    void malformedHeaderJson() throws IOException {
        BrokenCheckpoint broken = copy();
        byte[] bytes = Files.readAllBytes(broken.weights());
        bytes[8 + 1] = '{'; // the first key's opening quote becomes a brace
        Files.write(broken.weights(), bytes);
        openFails(broken).hasMessageContaining(broken.weights().toString()).hasMessageContaining("malformed header JSON");
    }

    @Test
    void headerThatIsNotAnObjectOfTensors() throws IOException {
        BrokenCheckpoint broken = copy().writeSafetensors("model.safetensors",
                "[1, 2]".getBytes(StandardCharsets.UTF_8), new byte[0]);
        openFails(broken).hasMessageContaining("header must be a JSON object of tensors, found an array");
    }

    @Test
    void duplicatedTensorNameIsRejected() throws IOException {
        BrokenCheckpoint broken = copy();
        byte[] bytes = Files.readAllBytes(broken.weights());
        int headerLength = (int) BrokenCheckpoint.headerLength(broken.weights());
        String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
        String normEntry = "\"" + MixtralTensorLayout.FINAL_NORM + "\":";
        // point the final norm's name at the embedding's byte range too: {"model.norm.weight": {...embed}, ...}
        String embedEntry = header.substring(header.indexOf("\"" + MixtralTensorLayout.EMBED_TOKENS + "\":"));
        embedEntry = embedEntry.substring(embedEntry.indexOf(':') + 1, embedEntry.indexOf('}') + 1);
        String twice = header.replaceFirst("\\{", "{" + normEntry + embedEntry + ",");
        broken.writeSafetensors("model.safetensors", twice.getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length));
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + MixtralTensorLayout.FINAL_NORM + "'")
                .hasMessageContaining("appears twice in the header");
    }

    @Test
    void lenientJsonIsRejected() throws IOException {
        BrokenCheckpoint broken = copy().writeSafetensors("model.safetensors",
                "{a: 1}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        openFails(broken).hasMessageContaining("malformed header JSON");
    }

    @Test
    void droppedTensorIsReportedWithItsExpectedShape() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> h.remove(W2));
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + W2 + "'")
                .hasMessageContaining("expected shape [64, 128] (hidden_size, intermediate_size) from config.json")
                .hasMessageContaining("found no such tensor");
    }

    @Test
    void renamedTensorIsReportedAsMissing() throws IOException {
        String renamed = "model.layers.1.block_sparse_moe.experts.4.w2.weight";
        BrokenCheckpoint broken = copy().editHeader(h -> h.add(renamed, h.remove(W2)));
        openFails(broken).hasMessageContaining("'" + W2 + "'").hasMessageContaining("found no such tensor");
    }

    @Test
    void extraTensorIsRejected() throws IOException {
        String extra = "model.layers.0.block_sparse_moe.experts.4.w1.weight";
        BrokenCheckpoint broken = copy().appendTensor(extra, "F32", new long[] {128, 64}, 128 * 64 * 4);
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + extra + "'")
                .hasMessageContaining("expected no such tensor for this config, found F32[128, 64]");
    }

    @Test
    void storedLmHeadWithTiedEmbeddingsIsRejectedWithTheReason() throws IOException {
        BrokenCheckpoint broken = copy().editJson("config.json", c -> c.addProperty("tie_word_embeddings", true));
        openFails(broken).hasMessageContaining("'lm_head.weight'").hasMessageContaining("tie_word_embeddings");
    }

    @Test
    void wrongShapeWithTheRightByteCount() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> {
            JsonArray shape = new JsonArray();
            shape.add(128);
            shape.add(64);
            h.getAsJsonObject(W2).add("shape", shape);
        });
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + W2 + "'")
                .hasMessageContaining("expected shape [64, 128] (hidden_size, intermediate_size) from config.json, "
                        + "found [128, 64]");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> h.getAsJsonObject(Q_PROJ).addProperty("dtype", "F64"));
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + Q_PROJ + "'")
                .hasMessageContaining("unsupported dtype F64, expected one of [F32, F16, BF16]");
    }

    @Test
    void dtypeThatDisagreesWithTheByteCount() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> h.getAsJsonObject(Q_PROJ).addProperty("dtype", "BF16"));
        openFails(broken).hasMessageContaining("'" + Q_PROJ + "'")
                .hasMessageContaining("span 16384 bytes, expected 8192 bytes for BF16 [64, 64]");
    }

    @Test
    void offsetsBeyondTheData() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> offsets(h, Q_PROJ, 2_000_000, 2_016_384));
        openFails(broken).hasMessageContaining("'" + Q_PROJ + "'")
                .hasMessageContaining("data_offsets [2000000, 2016384] lie outside the data section");
    }

    @Test
    void offsetsThatOverlapAnotherTensor() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> {
            JsonArray embed = h.getAsJsonObject(MixtralTensorLayout.EMBED_TOKENS).getAsJsonArray("data_offsets");
            long begin = embed.get(0).getAsLong() + 64;
            offsets(h, Q_PROJ, begin, begin + 16384);
        });
        openFails(broken).hasMessageContaining(broken.weights().toString())
                .hasMessageContaining("'" + Q_PROJ + "'")
                .hasMessageContaining("overlap tensor '" + MixtralTensorLayout.EMBED_TOKENS + "'");
    }

    @Test
    void negativeOrFractionalOffsets() throws IOException {
        BrokenCheckpoint broken = copy().editHeader(h -> offsets(h, Q_PROJ, -4, 16380));
        openFails(broken).hasMessageContaining("'" + Q_PROJ + "'")
                .hasMessageContaining("data_offsets: expected an array of 2 non-negative integers, found [-4,16380]");
    }

    @Test
    void unknownModelType() throws IOException {
        BrokenCheckpoint broken = copy().editJson("config.json", c -> c.addProperty("model_type", "deepseek_v3"));
        openFails(broken).hasMessageContaining(broken.file("config.json").toString())
                .hasMessageContaining("\"deepseek_v3\" is not supported: use one of mixtral, qwen2_moe, qwen3_moe, olmoe");
    }

    @Test
    void configThatDisagreesWithTheWeights() throws IOException {
        BrokenCheckpoint broken = copy().editJson("config.json", c -> c.addProperty("intermediate_size", 96));
        openFails(broken).hasMessageContaining("expected shape [96, 64] (intermediate_size, hidden_size)")
                .hasMessageContaining("found [128, 64]");
    }

    @Test
    void missingConfigOrWeights() throws IOException {
        BrokenCheckpoint noConfig = copy();
        Files.delete(noConfig.file("config.json"));
        openFails(noConfig).hasMessageContaining("config.json: expected the model's config.json, found no such file");
        BrokenCheckpoint noWeights = BrokenCheckpoint.copyOf(Fixtures.MHA_TOP1, tmp);
        Files.delete(noWeights.weights());
        openFails(noWeights).hasMessageContaining("no model.safetensors and no model.safetensors.index.json");
    }

    @Test
    void indexNamingAMissingShard() throws IOException {
        BrokenCheckpoint broken = BrokenCheckpoint.copyOf(Fixtures.TINY_SHARDED, tmp);
        Files.delete(broken.file("model-00002-of-00002.safetensors"));
        openFails(broken).hasMessageContaining(broken.file("model.safetensors.index.json").toString())
                .hasMessageContaining("'lm_head.weight'")
                .hasMessageContaining("expected in shard " + broken.file("model-00002-of-00002.safetensors"))
                .hasMessageContaining("that file does not exist");
    }

    @Test
    void indexThatPutsATensorInAnotherShard() throws IOException {
        BrokenCheckpoint broken = BrokenCheckpoint.copyOf(Fixtures.TINY_SHARDED, tmp).editJson(
                "model.safetensors.index.json",
                index -> index.getAsJsonObject("weight_map").addProperty(MixtralTensorLayout.FINAL_NORM,
                        "model-00002-of-00002.safetensors"));
        openFails(broken).hasMessageContaining(broken.file("model-00001-of-00002.safetensors").toString())
                .hasMessageContaining("'" + MixtralTensorLayout.FINAL_NORM + "'")
                .hasMessageContaining("stored here, but model.safetensors.index.json expects it in "
                        + "model-00002-of-00002.safetensors");
    }

    @Test
    void indexMissingAStoredTensor() throws IOException {
        BrokenCheckpoint broken = BrokenCheckpoint.copyOf(Fixtures.TINY_SHARDED, tmp).editJson(
                "model.safetensors.index.json",
                index -> index.getAsJsonObject("weight_map").remove(MixtralTensorLayout.FINAL_NORM));
        openFails(broken).hasMessageContaining("'" + MixtralTensorLayout.FINAL_NORM + "'")
                .hasMessageContaining("expects it nowhere (not in weight_map)");
    }

    @Test
    void indexListingATensorTheShardLacks() throws IOException {
        BrokenCheckpoint broken = BrokenCheckpoint.copyOf(Fixtures.TINY_SHARDED, tmp)
                .editHeader("model-00002-of-00002.safetensors", h -> h.remove("lm_head.weight"));
        openFails(broken).hasMessageContaining(broken.file("model-00002-of-00002.safetensors").toString())
                .hasMessageContaining("'lm_head.weight'")
                .hasMessageContaining("absent from its header");
    }

    @Test
    void indexPointingOutsideTheDirectory() throws IOException {
        BrokenCheckpoint broken = BrokenCheckpoint.copyOf(Fixtures.TINY_SHARDED, tmp).editJson(
                "model.safetensors.index.json",
                index -> index.getAsJsonObject("weight_map").addProperty("lm_head.weight", "../elsewhere.safetensors"));
        openFails(broken).hasMessageContaining("'lm_head.weight'")
                .hasMessageContaining("expected a shard file name in the same directory, found \"../elsewhere.safetensors\"");
    }

    @Test
    void aValidCopyStillOpens() {
        // guards the helpers: an unmodified copy must open, so each failure above comes from its one edit
        try (Checkpoint checkpoint = Checkpoint.open(copy().dir)) {
            assertThat(checkpoint.tensorNames()).hasSize(41);
        }
    }

    private BrokenCheckpoint copy() {
        return BrokenCheckpoint.copyOf(Fixtures.TINY_F32, tmp);
    }

    private Path copyPath() {
        return tmp.resolve(Fixtures.TINY_F32).resolve("model.safetensors");
    }

    private static void offsets(JsonObject header, String name, long begin, long end) {
        JsonArray offsets = new JsonArray();
        offsets.add(begin);
        offsets.add(end);
        header.getAsJsonObject(name).add("data_offsets", offsets);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> openFails(BrokenCheckpoint broken) {
        return assertThatThrownBy(() -> Checkpoint.open(broken.dir).close()).isInstanceOf(CheckpointException.class);
    }
}
