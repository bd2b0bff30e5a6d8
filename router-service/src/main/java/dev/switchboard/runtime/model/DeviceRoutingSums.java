package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RouterStatistics;
import java.util.List;

/**
 * The per-sequence sums of every layer routed on the device in a step ({@link MoeOutput#routingSums()}), side by side
 * as one {@code (sequences, Σ_l (numExperts_l + 2))} tensor that reaches the host in the step's copy of the output
 * logits, as extra columns of the same rows, so the statistics add no copy of their own
 * (docs/adr/0008-routing-decisions-on-the-device.md). From them and the decisions each sequence's
 * {@link LayerRoutingStats} are made exactly as from the full rows, in float32 sums instead of double.
 */
final class DeviceRoutingSums {

    private final NDArray onDevice; // (sequences, width), valid during the step
    private final int[] columns; // per layer, its first column; -1 for a layer routed on the host
    private final int width;
    private float[] copied; // (sequences, stride) once received
    private int first; // the column of a row of `copied` where this tensor's columns start
    private int stride;

    private DeviceRoutingSums(NDArray onDevice, int[] columns, int width) {
        this.onDevice = onDevice;
        this.columns = columns;
        this.width = width;
    }

    /** The step's device sums side by side, or null when no layer was routed on the device. */
    static DeviceRoutingSums of(List<MoeOutput> routing) {
        int[] columns = new int[routing.size()];
        NDList parts = new NDList();
        int width = 0;
        for (int l = 0; l < routing.size(); l++) {
            NDArray sums = routing.get(l).routingSums();
            columns[l] = sums == null ? -1 : width;
            if (sums != null) {
                parts.add(sums);
                width += Math.toIntExact(sums.getShape().get(1));
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return new DeviceRoutingSums(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1), columns, width);
    }

    /** {@code (sequences, width)} on the device, to be copied with other per-sequence columns. */
    NDArray onDevice() {
        return onDevice;
    }

    int width() {
        return width;
    }

    /** Takes the host copy: row i of {@code values} holds sequence i's sums at {@code [first, first + width)}. */
    void received(float[] values, int first, int stride) {
        this.copied = values;
        this.first = first;
        this.stride = stride;
    }

    /**
     * Layer {@code l}'s statistics over input {@code input}'s rows {@code [from, to)}: from the device sums when the
     * layer was routed there, else from its host rows.
     */
    LayerRoutingStats stats(int l, MoeOutput moe, int input, int from, int to) {
        if (moe.routingSums() == null) {
            return RouterStatistics.compute(l, moe.gateLogits(), moe.decision(), from, to);
        }
        int numExperts = moe.decision().numExperts();
        int base = input * stride + first + columns[l];
        double[] probabilitySum = new double[numExperts];
        for (int e = 0; e < numExperts; e++) {
            probabilitySum[e] = copied[base + e];
        }
        return RouterStatistics.fromSums(l, moe.decision(), from, to, probabilitySum, copied[base + numExperts],
                copied[base + numExperts + 1]);
    }
}
