package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.switchboard.runtime.routing.LayerRoutingStats;
import dev.switchboard.runtime.routing.RouterStatistics;
import java.util.List;

/**
 * The per-sequence sums of every layer routed on the device in a step ({@link MoeOutput#routingSums()}), brought to
 * the host in ONE copy for all layers: {@code (sequences, Σ_l (numExperts_l + 2))} floats, the layers side by side
 * (docs/adr/0008-routing-decisions-on-the-device.md). From them and the decisions each sequence's
 * {@link LayerRoutingStats} are made exactly as from the full rows, in float32 sums instead of double.
 */
final class DeviceRoutingSums {

    private static final DeviceRoutingSums NONE = new DeviceRoutingSums(new float[0], new int[0], 0);

    private final float[] copied; // (sequences, width)
    private final int[] columns; // per layer, its first column; -1 for a layer routed on the host
    private final int width;

    private DeviceRoutingSums(float[] copied, int[] columns, int width) {
        this.copied = copied;
        this.columns = columns;
        this.width = width;
    }

    /** Copies the step's device sums, if any layer has them; call while the step's tensors are open. */
    static DeviceRoutingSums copy(List<MoeOutput> routing, HostCopy hostCopy) {
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
            return NONE;
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
        return new DeviceRoutingSums(hostCopy.toHost(all), columns, width); // the step's one statistics copy
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
        int base = input * width + columns[l];
        double[] probabilitySum = new double[numExperts];
        for (int e = 0; e < numExperts; e++) {
            probabilitySum[e] = copied[base + e];
        }
        return RouterStatistics.fromSums(l, moe.decision(), from, to, probabilitySum, copied[base + numExperts],
                copied[base + numExperts + 1]);
    }
}
