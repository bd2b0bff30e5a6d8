package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The cause of training's rare non-finite query gradients, reproduced on purpose, and its cure. Between the forward
 * and the backward of {@code y = Σ 3·x} the garbage collector runs and the freed small blocks are filled with NaN
 * bytes: with DJL's {@code x.mul(3f)} the scalar autograd kept lived in one of them, so the gradient is NaN or some
 * other garbage instead of 3; with {@link GraphConstant} it is exactly 3.
 */
class GraphConstantTest {

    @Test
    void djlsNumberOverloadLeavesTheBackwardAFreedScalar() throws InterruptedException {
        float[] gradient = gradientOfSumTimesThree(x -> x.mul(3f));

        // Whatever now lives where the scalar was: our NaN blocks, or a block the JVM or PyTorch took (6.9e-41 seen).
        assertThat(gradient).doesNotContain(3f);
    }

    @Test
    void aGraphConstantOutlivesTheGarbageCollector() throws InterruptedException {
        float[] gradient = gradientOfSumTimesThree(x -> x.mul(GraphConstant.scalar(x.getManager(), 3f)));

        assertThat(gradient).containsExactly(3f, 3f, 3f);
    }

    private static float[] gradientOfSumTimesThree(UnaryOperator<NDArray> timesThree) throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            // The thread that frees collected direct buffers keeps its first few freed blocks of a size to itself
            // (glibc's per-thread cache): let it fill that cache, so the blocks it frees next go where malloc looks.
            for (int i = 0; i < 1_000; i++) {
                ByteBuffer.allocateDirect(4);
            }
            collectGarbage();
            List<ByteBuffer> poison = new ArrayList<>();
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = timesThree.apply(x).sum();
                collectGarbage();
                for (int i = 0; i < 20_000; i++) { // blocks of a scalar's size: malloc hands out the freed ones first
                    ByteBuffer block = ByteBuffer.allocateDirect(4);
                    block.asFloatBuffer().put(Float.NaN);
                    poison.add(block);
                }
                collector.backward(y);
            }
            try (NDArray gradient = x.getGradient()) {
                float[] values = gradient.toFloatArray();
                gradient.set(new NDIndex("..."), 0);
                poison.clear();
                return values;
            }
        }
    }

    /** A direct buffer nothing references any more is freed by its cleaner, on another thread, soon after a GC. */
    private static void collectGarbage() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
        }
    }
}
