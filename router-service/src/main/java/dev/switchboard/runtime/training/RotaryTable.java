package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding for whole training windows, in Hugging Face's rotate-half layout:
 * {@code x·cos + rotate_half(x)·sin} with {@code rotate_half([a, b]) = [-b, a]} over the two halves of a head.
 */
final class RotaryTable {

    private final NDArray cos;
    private final NDArray sin;
    private final int half;

    /** Tables for positions {@code 0 .. window-1}, attached to {@code manager}. */
    RotaryTable(NDManager manager, int headDim, double theta, int window) {
        this.half = headDim / 2;
        float[] cosValues = new float[window * headDim];
        float[] sinValues = new float[window * headDim];
        for (int position = 0; position < window; position++) {
            for (int i = 0; i < half; i++) {
                double angle = position / Math.pow(theta, 2.0 * i / headDim);
                for (int copy : new int[] {i, i + half}) {
                    cosValues[position * headDim + copy] = (float) Math.cos(angle);
                    sinValues[position * headDim + copy] = (float) Math.sin(angle);
                }
            }
        }
        this.cos = manager.create(cosValues, new Shape(window, headDim));
        this.sin = manager.create(sinValues, new Shape(window, headDim));
    }

    /** {@code x} is {@code [batch, heads, window, headDim]} with positions starting at 0. */
    NDArray apply(NDArray x, int window) {
        NDArray first = x.get(new NDIndex("..., :{}", half));
        NDArray second = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        // Slices of the tables belong to the tables' manager unless moved: give them to the step's.
        NDArray cosWindow = cos.get(new NDIndex(":{}", window));
        NDArray sinWindow = sin.get(new NDIndex(":{}", window));
        cosWindow.attach(x.getManager());
        sinWindow.attach(x.getManager());
        return x.mul(cosWindow).add(rotated.mul(sinWindow));
    }
}
