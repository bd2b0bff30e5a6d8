package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import dev.switchboard.experts.swiglu.SwiGluKind;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test expert kinds named "swiglu" that wrap the real swiglu expert: the model builds experts in
 * layer-major order, so the n-th created expert is expert {@code n % experts} of layer {@code n / experts}.
 */
final class WrappingKinds {

    private WrappingKinds() {}

    /** One call of an instrumented expert. */
    record Call(int layer, int expert, long rows) {}

    /** A resolver offering {@code kind} as "swiglu". */
    static ExpertKindResolver resolver(ExpertKind kind) {
        return new ExpertKindResolver() {
            @Override
            public Optional<ExpertKind> find(String name) {
                return name.equals(kind.name()) ? Optional.of(kind) : Optional.empty();
            }

            @Override
            public Collection<String> knownNames() {
                return List.of(kind.name());
            }
        };
    }

    /** Swiglu whose experts record every call's row count. */
    static final class Recording extends Wrapping {
        final List<Call> calls = new CopyOnWriteArrayList<>();

        Recording(int expertsPerLayer) {
            super(expertsPerLayer);
        }

        @Override
        NDArray intercept(int layer, int expert, Expert delegate, NDArray tokens) {
            calls.add(new Call(layer, expert, tokens.getShape().get(0)));
            return delegate.forward(tokens);
        }
    }

    /** Swiglu where one expert misbehaves: it throws, or returns a wrongly shaped output. */
    static final class Faulty extends Wrapping {
        private final int badLayer;
        private final int badExpert;
        private final boolean wrongShape;

        Faulty(int expertsPerLayer, int badLayer, int badExpert, boolean wrongShape) {
            super(expertsPerLayer);
            this.badLayer = badLayer;
            this.badExpert = badExpert;
            this.wrongShape = wrongShape;
        }

        @Override
        NDArray intercept(int layer, int expert, Expert delegate, NDArray tokens) {
            if (layer == badLayer && expert == badExpert) {
                if (wrongShape) {
                    return tokens.get(":, :3").duplicate();
                }
                throw new IllegalStateException("simulated plugin bug");
            }
            return delegate.forward(tokens);
        }
    }

    /** The shared wrapping machinery. */
    abstract static class Wrapping implements ExpertKind {
        private final SwiGluKind swiglu = new SwiGluKind();
        private final int expertsPerLayer;
        private final List<Expert> created = new ArrayList<>();

        Wrapping(int expertsPerLayer) {
            this.expertsPerLayer = expertsPerLayer;
        }

        abstract NDArray intercept(int layer, int expert, Expert delegate, NDArray tokens);

        @Override
        public String name() {
            return swiglu.name();
        }

        @Override
        public Set<String> weightNames() {
            return swiglu.weightNames();
        }

        @Override
        public synchronized Expert create(ExpertSpec spec, ExpertWeights weights) {
            int id = created.size();
            Expert delegate = swiglu.create(spec, weights);
            Expert wrapper = new Expert() {
                @Override
                public NDArray forward(NDArray tokens) {
                    return intercept(id / expertsPerLayer, id % expertsPerLayer, delegate, tokens);
                }

                @Override
                public long parameterCount() {
                    return delegate.parameterCount();
                }

                @Override
                public long memoryBytes() {
                    return delegate.memoryBytes();
                }

                @Override
                public void close() {
                    delegate.close();
                }
            };
            created.add(wrapper);
            return wrapper;
        }
    }
}
