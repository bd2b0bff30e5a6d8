package dev.switchboard.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** One token (the Java kernel) and several (PyTorch) give the same product as a plain matMul. */
class ProjectionTest {

    @Test
    void oneTokenAndManyTokensEqualMatMul() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.randomUniform(-1, 1, new Shape(96, 200), DataType.FLOAT32); // (in, out)
            Projection projection = new Projection(weight, true);
            for (int tokens : new int[] {1, 3}) {
                NDArray x = manager.randomUniform(-1, 1, new Shape(tokens, 96), DataType.FLOAT32);

                NDArray y = projection.apply(x);

                assertThat(y.getShape()).isEqualTo(new Shape(tokens, 200));
                assertThat(y.getManager()).isSameAs(x.getManager());
                float[] expected = x.matMul(weight).toFloatArray();
                float[] actual = y.toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat((double) actual[i]).as("%d token(s), value %d", tokens, i).isCloseTo(expected[i], within(1e-4));
                }
            }
        }
    }
}
