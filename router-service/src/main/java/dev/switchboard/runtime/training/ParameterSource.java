package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.TensorSource;
import java.util.Map;
import java.util.Set;

/**
 * A model's trainable parameters as a {@link TensorSource}: {@link #load} hands out a differentiable view of the
 * parameter (a new handle in the caller's manager), so whatever the runtime builds from it is recorded by autograd
 * and the gradients land on the parameter itself.
 */
final class ParameterSource implements TensorSource {

    private final MixtralConfig config;
    private final Map<String, NDArray> parameters;

    ParameterSource(MixtralConfig config, Map<String, NDArray> parameters) {
        this.config = config;
        this.parameters = parameters;
    }

    @Override
    public MixtralConfig config() {
        return config;
    }

    @Override
    public Set<String> tensorNames() {
        return parameters.keySet();
    }

    @Override
    public NDArray load(String name, NDManager manager, DataType workingType) {
        NDArray parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("the model in training has no parameter '" + name + "'");
        }
        // reshape() to the same shape is a view with its own handle; attaching it leaves the parameter where it is.
        NDArray view = parameter.getDataType() == workingType ? parameter.reshape(parameter.getShape())
                : parameter.toType(workingType, false);
        view.attach(manager);
        return view;
    }

    @Override
    public String toString() {
        return "the model in training";
    }
}
