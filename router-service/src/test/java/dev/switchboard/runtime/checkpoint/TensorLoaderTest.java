package dev.switchboard.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BF16 widening split into row blocks (as for tensors above the staging limit) gives the same values. */
class TensorLoaderTest {

    @ParameterizedTest
    @ValueSource(longs = {256, 256 * 5, 4096, 1 << 20})
    void bf16RowBlocksOfAnySizeReassembleTheTensor(long blockBytes) throws IOException {
        Path file = Fixtures.dir(Fixtures.TINY_BF16).resolve("model.safetensors");
        RawSafetensors raw = RawSafetensors.read(file);
        for (String name : new String[] {MixtralTensorLayout.expertW1(0, 2), MixtralTensorLayout.FINAL_NORM}) {
            TensorInfo info = info(raw, name, file);
            try (NDManager manager = NDManager.newBaseManager();
                    NDArray loaded = TensorLoader.load(bytes(raw, name), info, manager, DataType.FLOAT32, blockBytes)) {
                assertThat(loaded.getShape().getShape()).containsExactly(info.shape());
                assertThat(loaded.toFloatArray()).as("%s in blocks of %d bytes", name, blockBytes)
                        .containsExactly(raw.floats(name));
            }
        }
    }

    @Test
    void bf16RowBlocksAlsoWorkForFloat16() throws IOException {
        Path file = Fixtures.dir(Fixtures.TINY_BF16).resolve("model.safetensors");
        RawSafetensors raw = RawSafetensors.read(file);
        String name = MixtralTensorLayout.expertW2(1, 0);
        try (NDManager manager = NDManager.newBaseManager();
                NDArray oneBlock = TensorLoader.load(bytes(raw, name), info(raw, name, file), manager, DataType.FLOAT16);
                NDArray manyBlocks = TensorLoader.load(
                        bytes(raw, name), info(raw, name, file), manager, DataType.FLOAT16, 1000)) {
            assertThat(manyBlocks.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(manyBlocks.contentEquals(oneBlock)).isTrue();
        }
    }

    private static TensorInfo info(RawSafetensors raw, String name, Path file) {
        JsonObject entry = raw.header.getAsJsonObject(name);
        long[] shape = new long[entry.getAsJsonArray("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.getAsJsonArray("shape").get(i).getAsLong();
        }
        return new TensorInfo(name, TensorDtype.valueOf(entry.get("dtype").getAsString()), shape, file);
    }

    private static ByteBuffer bytes(RawSafetensors raw, String name) {
        JsonObject entry = raw.header.getAsJsonObject(name);
        int begin = (int) (raw.dataStart + entry.getAsJsonArray("data_offsets").get(0).getAsLong());
        int end = (int) (raw.dataStart + entry.getAsJsonArray("data_offsets").get(1).getAsLong());
        ByteBuffer direct = ByteBuffer.allocateDirect(end - begin).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(raw.bytes.duplicate().position(begin).limit(end)).flip();
        return direct;
    }
}
